import { readFileSync } from 'fs';
import { resolve } from 'path';
import type { Highs } from 'highs';
import { parseTradeMaximizer } from '../mathtrade/trademaximizer-reader';
import { solveBounded } from './bounded-solver';
import { BUDGET_MIN_ROUNDS, BUDGET_PROBE_ROUNDS, BUDGET_START_STEPS, coverStart, loadLpSolver, optimumNeighbourhood, planLoops, planLoopsWith, planMethod, planWithLp, planWithLpSteps, tooFewRounds } from './column-generation';
import { checkLoops, graphOf, hookedSolver, traded } from './spec-graphs';
import { solveAssignment } from './cycle-cover';
import { xorshift32 } from './random';
import { TightPacker, packTight } from './tight-pack';

describe('LP planning (column generation over short loops, then rounding)', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadLpSolver();
  });

  it('cuts a ring over the cap into the best short loops', () => {
    // A ring of 6 with chords f>d and c>a: at cap 3, a>b>c and d>e>f trade all six.
    const { g } = graphOf('a>b b>c c>d d>e e>f f>a f>d c>a');
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 3 });
    checkLoops(g, loops, 3);
    expect(traded(g, loops)).toBe(6);
    expect(stats.lpBound).toBeCloseTo(6);
    expect(stats.converged).toBe(true);
  });

  it('starts from the unbounded optimum, its long loops split where the want lists allow', () => {
    // The optimum may be the ring of 6; c>a and f>d split it into a>b>c and d>e>f with nobody lost.
    const { g } = graphOf('a>b b>c c>d d>e e>f f>a f>d c>a');
    const start = coverStart(g, 3, new Uint8Array(g.n).fill(1));
    checkLoops(g, start, 3);
    expect(traded(g, start)).toBe(6);
    // Without the chords the ring cannot be cut: no loop of at most 3 exists.
    const ring = graphOf('a>b b>c c>d d>e e>f f>a').g;
    expect(coverStart(ring, 3, new Uint8Array(ring.n).fill(1))).toEqual([]);
  });

  it('finds the loops by pricing alone, from an empty start', () => {
    // No starting plan: every loop must come from the pricing search.
    const { g } = graphOf('a>b b>c c>d d>e e>f f>a f>d c>a');
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 3, start: [] });
    checkLoops(g, loops, 3);
    expect(stats.startItems).toBe(0);
    expect(stats.columns).toBeGreaterThanOrEqual(2);
    expect(traded(g, loops)).toBe(6);
  });

  it('prices the edges off the unbounded optimum too, after the near-tight ones', () => {
    // The unbounded optimum is the ring a>f>b>c>a (4 items). At cap 3 the loops
    // a>b>c and a>f>b need a>b or b>a, which that optimum's duals price off
    // tight: only the second pricing phase (the whole graph) finds them.
    const { g } = graphOf('a>b a>f b>a b>c c>a d>a d>b e>a f>b');
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 3, start: [], sparseSlack: 0 });
    checkLoops(g, loops, 3);
    expect(traded(g, loops)).toBe(3);
    expect(stats.lpBound).toBeCloseTo(3);
    expect(stats.converged).toBe(true);
    // The first phase searched only the tight edges: one round found nothing there.
    expect(stats.nearTightRounds).toBe(1);
    expect(planWithLp(highs, g, { maxCycle: 3, start: [], sparseSlack: -1 }).stats.nearTightRounds).toBe(0);
  });

  it('passes through a dummy without counting it toward the cap', () => {
    // a gives to bob's "any of" dummy, which takes b; b gives back to a: two items.
    const { g, name } = graphOf('a>%any %any>b b>a');
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 2, start: [] });
    expect(loops.map((l) => l.map(name).sort())).toEqual([['%any', 'a', 'b']]);
    // Found by the pricing (not only by the local search at the end).
    expect(stats.columns).toBe(1);
    expect(stats.lpBound).toBeCloseTo(2);
  });

  it('uses only allowed nodes', () => {
    const { g, id } = graphOf('a>b b>a c>d d>c');
    const allowed = new Uint8Array(g.n).fill(1);
    allowed[id('a')] = 0;
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 10, allowed, start: [] });
    checkLoops(g, loops, 10);
    expect(stats.lpBound).toBeCloseTo(2);
    expect(loops.flat()).not.toContain(id('a'));
    expect(traded(g, loops)).toBe(2);
  });

  it('drops a starting loop through a node that is not allowed', () => {
    const { g, id } = graphOf('a>b b>a c>d d>c');
    const allowed = new Uint8Array(g.n).fill(1);
    allowed[id('a')] = 0;
    const { loops, stats } = planWithLp(highs, g, { maxCycle: 10, allowed, start: [[id('a'), id('b')], [id('c'), id('d')]] });
    expect(stats.startItems).toBe(2);
    expect(loops.flat()).not.toContain(id('a'));
    expect(traded(g, loops)).toBe(2);
  });

  it('gives the same loops for the same graph', () => {
    const { g } = graphOf('a>b b>c c>a a>c c>d d>a b>d d>b');
    expect(planWithLp(highs, g, { maxCycle: 3 }).loops).toEqual(planWithLp(highs, g, { maxCycle: 3 }).loops);
  });

  it('plans a dense graph within the unbounded optimum and the nodes that fit between its items', () => {
    // The optimum trades a, b, c; x fits between two of them (a>x>a); y and z
    // touch the optimum on one side only, so no loop with them returns.
    const { g, id } = graphOf('a>b b>c c>a a>x x>a a>y z>a');
    const near = optimumNeighbourhood(g);
    expect(['a', 'b', 'c', 'x'].every((v) => near[id(v)] === 1)).toBe(true);
    expect(near[id('y')] + near[id('z')]).toBe(0);
    // The whole graph has 7 edges, the neighbourhood 5.
    expect(planMethod(g, { lpMaxEdges: 7 })).toBe('lp');
    expect(planMethod(g, { lpMaxEdges: 5 })).toBe('lp-neighbourhood');
    expect(planMethod(g, { lpMaxEdges: 4 })).toBe('combinatorial');
    const loops = planLoopsWith(highs, g, { maxCycle: 10, lpMaxEdges: 5 });
    checkLoops(g, loops, 10);
    expect(traded(g, loops)).toBe(3);
  });

  it('reaches the best known plan on Brazil when planning only within the neighbourhood', () => {
    const text = readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade/brazil-2024-05_bgg336584.txt'), 'utf8');
    const { graph } = parseTradeMaximizer(text);
    // Brazil has 35k edges: a lower limit sends it down the path dense files (UK) take.
    const opts = { maxCycle: 10, lpMaxEdges: 20_000 };
    expect(planMethod(graph, opts)).toBe('lp-neighbourhood');
    const loops = planLoopsWith(highs, graph, opts);
    checkLoops(graph, loops, 10);
    expect(traded(graph, loops)).toBeGreaterThanOrEqual(184);
  });

  it('stops at its time limit with a valid plan at least as good as its start', () => {
    const text = readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade/brazil-2024-05_bgg336584.txt'), 'utf8');
    const { graph } = parseTradeMaximizer(text);
    const start = coverStart(graph, 10, new Uint8Array(graph.n).fill(1));
    // No time at all: no pricing round, no rounding; the start (plus leftover items slipped in).
    const none = planWithLp(highs, graph, { maxCycle: 10, start, timeLimitMs: -1 });
    expect(none.stats.rounds).toBe(0);
    checkLoops(graph, none.loops, 10);
    expect(traded(graph, none.loops)).toBeGreaterThanOrEqual(traded(graph, start));
    // A little time: pricing stops early (a whole planning takes about 26 rounds here).
    const short = planWithLp(highs, graph, { maxCycle: 10, start, timeLimitMs: 40 });
    expect(short.stats.converged).toBe(false);
    checkLoops(graph, short.loops, 10);
    expect(traded(graph, short.loops)).toBeGreaterThanOrEqual(traded(graph, start));
  });

  it('stepwise (planWithLpSteps): pauses between the solves of pricing and of the dives, and plans what a run without pauses plans', () => {
    const text = readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade/brazil-2024-05_bgg336584.txt'), 'utf8');
    const { graph } = parseTradeMaximizer(text);
    const opts = { maxCycle: 10, maxRounds: 6 };
    // Solves in a row without a pause (a pricing round, a dive's re-solve each end in one).
    let solves = 0;
    let inARow = 0;
    let mostInARow = 0;
    const counted = hookedSolver(highs, {
      onRun: () => {
        solves++;
        mostInARow = Math.max(mostInARow, ++inARow);
      },
    });
    const steps = planWithLpSteps(counted, graph, opts);
    let next = steps.next();
    for (; !next.done; next = steps.next()) inARow = 0;
    expect(next.value.stats.rounds).toBe(6);
    expect(solves).toBeGreaterThan(10);
    // At most the last solve of a dive and the first of the next one.
    expect(mostInARow).toBeLessThanOrEqual(2);
    expect(next.value.loops).toEqual(planWithLp(highs, graph, opts).loops);
  });

  it('plans within a budget from packTight\'s start, never under it', () => {
    const text = readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade/brazil-2024-05_bgg336584.txt'), 'utf8');
    const { graph } = parseTradeMaximizer(text);
    const packer = new TightPacker(graph, 10, new Uint8Array(graph.n).fill(1), solveAssignment(graph), xorshift32(1), true);
    packer.search(BUDGET_START_STEPS);
    const start = packer.plan();
    // A budget already spent: no pricing round; the start (packTight's steps, then
    // the unbounded optimum's items slipped in) is the plan.
    const spent = planWithLp(highs, graph, { maxCycle: 10, budgetMs: 0 });
    expect(spent.stats.rounds).toBe(0);
    expect(spent.stats.startItems).toBeGreaterThanOrEqual(traded(graph, start));
    expect(spent.stats.startItems).toBeGreaterThan(traded(graph, coverStart(graph, 10, new Uint8Array(graph.n).fill(1))));
    checkLoops(graph, spent.loops, 10);
    expect(traded(graph, spent.loops)).toBe(spent.stats.startItems);
    // A short budget: pricing stops long before it converges (about 26 rounds, half a second here).
    const short = planWithLp(highs, graph, { maxCycle: 10, budgetMs: 60 });
    expect(short.stats.converged).toBe(false);
    checkLoops(graph, short.loops, 10);
    expect(traded(graph, short.loops)).toBeGreaterThanOrEqual(traded(graph, start));
    // Without a budget the LP never hands over to the packer.
    expect(planWithLp(highs, graph, { maxCycle: 10, maxRounds: 3 }).stats.handedOver).toBe(false);
  });

  it('hands a budget over to the packer when the first rounds\' pace leaves room for too few', () => {
    expect(BUDGET_PROBE_ROUNDS).toBe(2);
    expect(BUDGET_MIN_ROUNDS).toBe(5);
    // Two rounds in 40 ms: 40 ms more fit two (4 in all), 60 ms three (5 in all).
    expect(tooFewRounds(40, 40)).toBe(true);
    expect(tooFewRounds(40, 60)).toBe(false);
    // Pricing time already up after two rounds: the packer gets the dives' share.
    expect(tooFewRounds(40, -5)).toBe(true);
    // Rounds faster than a millisecond count as a millisecond each.
    expect(tooFewRounds(0, 3)).toBe(false);
    expect(tooFewRounds(0, 2)).toBe(true);
  });

  it('hands over to the packer on a clock where solves are slow, and the packer gains on its start', () => {
    // A test clock: a millisecond per reading, a second per LP solve. Two rounds then take
    // over two seconds; a 4 s budget (pricing until 3 s) leaves room for under one more.
    const { graph } = parseTradeMaximizer(readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade/greece-2021-07_bgg286928.txt'), 'utf8'));
    const clock = { now: 1e12 };
    const slow = hookedSolver(highs, { onRun: () => void (clock.now += 1000) });
    const now = jest.spyOn(Date, 'now').mockImplementation(() => (clock.now += 1));
    try {
      const tight = planWithLp(slow, graph, { maxCycle: 10, budgetMs: 4000 });
      expect(tight.stats).toMatchObject({ handedOver: true, rounds: BUDGET_PROBE_ROUNDS });
      checkLoops(graph, tight.loops, 10);
      // The packer went on (and widened): more than the start it made after BUDGET_START_STEPS steps.
      expect(tight.stats.items).toBeGreaterThan(tight.stats.startItems);
      expect(traded(graph, tight.loops)).toBe(tight.stats.items);
      // Ten times the budget: the rounds fit, the LP prices to the end and dives.
      const ample = planWithLp(slow, graph, { maxCycle: 10, budgetMs: 40_000 });
      expect(ample.stats).toMatchObject({ handedOver: false, converged: true });
      expect(ample.stats.rounds).toBeGreaterThan(BUDGET_MIN_ROUNDS);
      checkLoops(graph, ample.loops, 10);
      expect(ample.stats.items).toBeGreaterThanOrEqual(97);
    } finally {
      now.mockRestore();
    }
  });

  it('plans a graph too dense for the LP with packTight alone when given a budget', () => {
    // Over a limit of 2 edges even the neighbourhood is too dense: without a budget the
    // combinatorial solver plans (a>b>c); with one, packTight (a>f>b, on the optimum's tight edges,
    // with a budget too short for its steps to stall and widen).
    const { g, name } = graphOf('a>b a>f b>a b>c c>a d>a d>b e>a f>b');
    const opts = { maxCycle: 3, lpMaxEdges: 2 };
    expect(planMethod(g, opts)).toBe('combinatorial');
    expect(planLoopsWith(highs, g, opts).map((l) => l.map(name).join(''))).toEqual(['abc']);
    expect(planMethod(g, { ...opts, budgetMs: 0 })).toBe('tight-pack');
    // A test clock (a millisecond per reading): the steps a budget allows do not depend on
    // this machine's speed (the time is read every 64 steps, so a spent budget allows 63).
    let clock = 1e12;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => (clock += 1));
    try {
      const loops = planLoopsWith(highs, g, { ...opts, budgetMs: 0 });
      checkLoops(g, loops, 3);
      expect(loops).toEqual(packTight(g, { maxCycle: 3, iterations: Infinity, timeLimitMs: 0, widen: true }));
      expect(loops.map((l) => l.map(name).join(''))).toEqual(['afb']);
      // With time to stall it widens, and still trades three items.
      const widened = planLoopsWith(highs, g, { ...opts, budgetMs: 50 });
      checkLoops(g, widened, 3);
      expect(traded(g, widened)).toBe(3);
    } finally {
      now.mockRestore();
    }
  });

  // The real want lists where the combinatorial solver alone stays under the
  // best known plan at loops of <= 10 (brazil 184, canada 160).
  it.each([
    ['brazil-2024-05_bgg336584.txt', 184],
    ['canada-2021-summer_bgg286870.txt', 160],
  ])('reaches the best known lower bound on %s (%i items)', async (file, lower) => {
    const text = readFileSync(resolve(__dirname, '../../../../../shared/data/mathtrade', file), 'utf8');
    const { graph } = parseTradeMaximizer(text);
    const loops = await planLoops(graph, { maxCycle: 10 });
    checkLoops(graph, loops, 10);
    expect(traded(graph, loops)).toBeGreaterThanOrEqual(lower);
    expect(traded(graph, loops)).toBeGreaterThan(traded(graph, solveBounded(graph, { maxCycle: 10 })));
  });
});
