import { TradeGraph, TradeGraphBuilder } from '../graph/trade-graph';
import { canonicalRotation, solveBounded } from './bounded-solver';
import { solveAssignment } from './cycle-cover';
import { checkLoops, graphOf, traded } from './spec-graphs';
import { xorshift32 } from './random';
import { TIGHT_PACK_ITERATIONS, TIGHT_PACK_STALL_STEPS, TightPacker, packTight } from './tight-pack';

describe('tight packing (dense graphs)', () => {
  it('takes apart a loop the greedy start chose badly', () => {
    // The greedy start swaps b and c, which leaves a, e and f no loop at cap 3;
    // ruin-and-recreate takes the swap apart and finds c>e>f.
    const { g, name } = graphOf('a>b a>c b>c c>b c>e d>a e>a e>c e>f f>a f>c');
    const greedy = packTight(g, { maxCycle: 3, iterations: 0 });
    expect(traded(g, greedy)).toBe(2);
    const loops = packTight(g, { maxCycle: 3 });
    checkLoops(g, loops, 3);
    expect(traded(g, loops)).toBe(3);
    expect(loops.map((l) => l.map(name).join(''))).toEqual(['cef']);
  });

  /** The packer's own plan after `steps` steps, without packTight's final slip-in (what the budgeted LP planning starts from). */
  const packerPlan = (g: TradeGraph, cap: number, steps: number, opts: { assignment?: ReturnType<typeof solveAssignment>; widen?: boolean } = {}) => {
    const packer = new TightPacker(g, cap, new Uint8Array(g.n).fill(1), opts.assignment ?? solveAssignment(g), xorshift32(1), opts.widen ?? false);
    packer.search(steps);
    return packer.plan().map((l) => canonicalRotation([...l]));
  };

  it('packs from the unbounded optimum it is given, stops its steps at a time limit, and slips free items in at the end', () => {
    const { g } = graphOf('a>b a>c b>c c>b c>e d>a e>a e>c e>f f>a f>c');
    // From the assignment packTight solves itself: the same steps, before the slip-in.
    const own = packerPlan(g, 3, TIGHT_PACK_ITERATIONS, { assignment: solveAssignment(g) });
    checkLoops(g, own, 3);
    expect(traded(g, own)).toBe(traded(g, packTight(g, { maxCycle: 3 })));
    // The assignment given is the one used: one that trades nothing leaves no item to cover.
    const nothing = { ...solveAssignment(g), mL: new Int32Array(g.n).fill(-1) };
    expect(packerPlan(g, 3, TIGHT_PACK_ITERATIONS, { assignment: nothing })).toEqual([]);
    // Steps without a count end at the time limit (checked every 64 steps); the plan never gets worse.
    expect(() => packTight(g, { maxCycle: 3, iterations: Infinity })).toThrow(RangeError);
    const timed = packTight(g, { maxCycle: 3, iterations: Infinity, timeLimitMs: 0 });
    checkLoops(g, timed, 3);
    expect(traded(g, timed)).toBeGreaterThanOrEqual(traded(g, packTight(g, { maxCycle: 3, iterations: 0 })));
    // Without the final slip-in: the ruin-and-recreate plan alone, never more.
    const bare = packerPlan(g, 3, TIGHT_PACK_ITERATIONS);
    checkLoops(g, bare, 3);
    expect(traded(g, bare)).toBeLessThanOrEqual(traded(g, packTight(g, { maxCycle: 3 })));
    // At cap 2 no loop lies on this graph's tight edges: a>b>a is the slip-in's alone
    // (unless the search widens, see the next test).
    const { g: off, name } = graphOf('a>b a>f b>a b>c c>a d>a d>b e>a f>b');
    expect(packerPlan(off, 2, TIGHT_PACK_ITERATIONS)).toEqual([]);
    expect(packTight(off, { maxCycle: 2 }).map((l) => l.map(name).join(''))).toEqual(['ab']);
  });

  it('widens to the near-tight edges once its steps stop gaining, and can be resumed where it stopped', () => {
    // The unbounded optimum is a>f>b>c>a (d and e want what it uses): at cap 2
    // no loop lies on its tight edges, and b>a is within one item of tight.
    const { g, name } = graphOf('a>b a>f b>a b>c c>a d>a d>b e>a f>b');
    const names = (loops: number[][]) => loops.map((l) => l.map(name).join(''));
    expect(packerPlan(g, 2, TIGHT_PACK_STALL_STEPS, { widen: true })).toEqual([]);
    expect(names(packerPlan(g, 2, TIGHT_PACK_STALL_STEPS + 1, { widen: true }))).toEqual(['ab']);
    // Not asked to widen, it never does.
    expect(packerPlan(g, 2, 4 * TIGHT_PACK_STALL_STEPS)).toEqual([]);
    // Resumed: the steps count over both calls.
    const packer = new TightPacker(g, 2, new Uint8Array(g.n).fill(1), solveAssignment(g), xorshift32(1), true);
    packer.search(TIGHT_PACK_STALL_STEPS);
    expect(packer.plan()).toEqual([]);
    packer.search(1);
    expect(names(packer.plan())).toEqual(['ab']);
    expect(packer.items()).toBe(2);
  });

  it('keeps to the cap, counting dummies toward neither it nor the score', () => {
    // A ring of six items through three dummies, and a chord e>a: the shortest loop,
    // a>b>c>d>e (dummies included), has five items, so nothing fits at cap 3.
    const { g } = graphOf('a>%1 %1>b b>c c>%2 %2>d d>e e>%3 %3>f f>a e>a');
    const loops = packTight(g, { maxCycle: 3 });
    checkLoops(g, loops, 3);
    expect(loops).toEqual([]);
    const five = packTight(g, { maxCycle: 5 });
    checkLoops(g, five, 5);
    expect(traded(g, five)).toBe(5);
  });

  it('uses only allowed nodes', () => {
    const { g, id } = graphOf('a>b b>a b>c c>a');
    const allowed = new Uint8Array(g.n).fill(1);
    allowed[id('b')] = 0;
    expect(packTight(g, { allowed })).toEqual([]);
    allowed[id('b')] = 1;
    allowed[id('c')] = 0;
    expect(traded(g, packTight(g, { allowed }))).toBe(2);
  });

  it('is deterministic, and is what solveBounded uses on a dense graph of a few thousand nodes', () => {
    // 700 items on a circle, each wanting the 230 items 3, 6, 9, ... places on (161k edges).
    const b = new TradeGraphBuilder();
    for (let i = 0; i < 700; i++) b.addNode(false);
    for (let u = 0; u < 700; u++) for (let k = 1; k <= 230; k++) b.addEdge(u, (u + 3 * k) % 700);
    const g = b.build();
    const loops = packTight(g);
    checkLoops(g, loops, 10);
    expect(traded(g, loops)).toBe(700);
    expect(packTight(g)).toEqual(loops);
    expect(solveBounded(g)).toEqual(loops);
  });
});
