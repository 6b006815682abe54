import { TradeGraphBuilder } from '../graph/trade-graph';
import { parseTradeMaximizer } from '../mathtrade/trademaximizer-reader';
import { maxCycleCover } from './cycle-cover';
import { solveBounded } from './bounded-solver';
import { checkLoops, graphOf, traded } from './spec-graphs';

describe('unbounded cycle cover (the assignment)', () => {
  it('trades everyone in a ring and nobody on a path', () => {
    const ring = graphOf('a>b b>c c>d d>a');
    expect([...maxCycleCover(ring.g)].every((v, u) => v !== u)).toBe(true);
    const path = graphOf('a>b b>c c>d');
    expect([...maxCycleCover(path.g)].every((v, u) => v === u)).toBe(true);
  });

  it('prefers covering more items over a tempting short swap', () => {
    // a<->b would strand c, d, e; the 5-ring a>c>d>e>b>a trades all five.
    const { g } = graphOf('a>b b>a a>c c>d d>e e>b');
    const succ = maxCycleCover(g);
    expect([...succ].filter((v, u) => v !== u)).toHaveLength(5);
  });
});

describe('bounded solver: disjoint loops of 2..cap items', () => {
  it('never exceeds the cap, and cuts a long ring along a chord', () => {
    // Ring of 6 with a chord f>d: at cap 3 the best is the loop d>e>f>d (3 items).
    const { g, name } = graphOf('a>b b>c c>d d>e e>f f>a f>d');
    const loops = solveBounded(g, { maxCycle: 3 });
    checkLoops(g, loops, 3);
    expect(loops.map((l) => l.map(name).sort().join(''))).toEqual(['def']);
    expect(traded(g, solveBounded(g, { maxCycle: 6 }))).toBe(6);
  });

  it('counts dummies toward neither the score nor the cap', () => {
    // a and b swap through a's dummy: a>%x>b>a is a 2-item loop.
    const { g } = graphOf('a>%x %x>b b>a');
    const loops = solveBounded(g, { maxCycle: 2 });
    checkLoops(g, loops, 2);
    expect(traded(g, loops)).toBe(2);
  });

  it('uses each item at most once even when two loops want it', () => {
    const { g } = graphOf('a>b b>a a>c c>a');
    const loops = solveBounded(g);
    checkLoops(g, loops, 10);
    expect(traded(g, loops)).toBe(2);
  });

  it('is deterministic', () => {
    const { g } = graphOf('a>b b>c c>a c>d d>e e>c b>e e>a d>a');
    expect(solveBounded(g)).toEqual(solveBounded(g));
  });

  it('matches a brute-force optimum on small random graphs', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 25; trial++) {
      const n = 7;
      const b = new TradeGraphBuilder();
      for (let i = 0; i < n; i++) b.addNode(false);
      for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (u !== v && rnd() < 0.3) b.addEdge(u, v);
      const g = b.build();
      const cap = 3;
      const loops = solveBounded(g, { maxCycle: cap });
      checkLoops(g, loops, cap);
      expect(traded(g, loops)).toBe(bruteForce(g, cap));
    }
  });
});

/** Exact optimum by trying every set of disjoint short cycles (tiny graphs only). */
function bruteForce(g: ReturnType<typeof graphOf>['g'], cap: number): number {
  const cycles: number[][] = [];
  const path: number[] = [];
  const dfs = (start: number, u: number) => {
    for (const v of Array.from(g.out(u))) {
      if (v === start && path.length >= 2) cycles.push([...path]);
      else if (v > start && !path.includes(v) && path.length < cap) {
        path.push(v);
        dfs(start, v);
        path.pop();
      }
    }
  };
  for (let s = 0; s < g.n; s++) {
    path.push(s);
    dfs(s, s);
    path.pop();
  }
  let best = 0;
  const pick = (i: number, used: Set<number>, total: number) => {
    best = Math.max(best, total);
    for (let j = i; j < cycles.length; j++) {
      if (cycles[j].some((u) => used.has(u))) continue;
      cycles[j].forEach((u) => used.add(u));
      pick(j + 1, used, total + cycles[j].length);
      cycles[j].forEach((u) => used.delete(u));
    }
  };
  pick(0, new Set(), 0);
  return best;
}

describe('TradeMaximizer reader', () => {
  const file = `
#! ALLOW-DUMMIES REQUIRE-COLONS REQUIRE-USERNAMES
!BEGIN-OFFICIAL-NAMES
A1 ==> "Game A" (from ann)
B1 ==> "Game B" (from bob)
C1 ==> "Game C" (from cat)
B2 ==> "Game B2" (from bob)
!END-OFFICIAL-NAMES
(ann) A1 : B1 ; %ANY UNKNOWN
(ann) %ANY : C1 B2
(bob) B1 : A1 B2 C1
(bob) B2 : C1
(cat) C1 : a1
(cat) X9 : A1
`;

  it('reads official names, usernames, per-user dummies and priorities', () => {
    const mt = parseTradeMaximizer(file);
    expect(mt.items).toBe(4); // X9 is not official; the dummy is not an item
    expect(mt.names).toContain('%ANY for user ann');
    const want = (a: string) => [...mt.wantNames.get(a)!].sort();
    expect(want('A1')).toEqual(['%ANY for user ann', 'B1']); // UNKNOWN dropped, ";" skipped
    expect(want('B1')).toEqual(['A1', 'C1']); // bob's own B2 dropped
    expect(want('C1')).toEqual(['A1']); // names are case-insensitive
  });

  it('turns the want lists into loops, counting only real items', () => {
    const mt = parseTradeMaximizer(file);
    const loops = solveBounded(mt.graph, { maxCycle: 10 });
    const named = loops.map((l) => l.map((u) => mt.names[u]));
    // ann gives A1 and, through her dummy, receives C1 or B2; cat gets A1.
    expect(traded(mt.graph, loops)).toBeGreaterThanOrEqual(2);
    // The best plan trades 3 (A1>B1>C1 or A1>%ANY>B2>C1; C1 only wants A1, so not all 4).
    expect(traded(mt.graph, loops)).toBe(3);
    for (const loop of named) loop.forEach((x, i) => expect(mt.wantNames.get(x)!.has(loop[(i + 1) % loop.length])).toBe(true));
  });
});
