import type { Highs } from 'highs';
import { withInEdges } from '../graph/trade-graph';
import { loadLpSolver } from './column-generation';
import { LoopState } from './local-search';
import { LP_IMPROVE_REGION_MAX_EDGES, lpImprove } from './lp-improve';
import { runToEnd } from './steps';
import { checkLoops, graphOf, traded } from './spec-graphs';

describe('lpImprove (the LP planner on a live plan)', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadLpSolver();
  });

  const stateOf = (spec: string, cap: number) => {
    const { g, id } = graphOf(spec);
    const two = withInEdges(g);
    const state = new LoopState(two, cap, new Uint8Array(g.n).fill(1));
    return { g, two, id, state };
  };

  it('plans loops among the free items without touching the existing ones', () => {
    // x<>y is planned already; a>b>c>a and d>e>d are free to take.
    const { g, two, id, state } = stateOf('x>y y>x a>b b>c c>a d>e e>d', 3);
    state.addLoop([id('x'), id('y')]);
    const changed: number[] = [];
    const { gained } = runToEnd(lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: 200, onChange: (nodes) => changed.push(...nodes) }));
    expect(gained).toBe(5);
    const loops = state.loops();
    checkLoops(g, loops, 3);
    expect(traded(g, loops)).toBe(7);
    expect(state.succ[id('x')]).toBe(id('y'));
    expect(changed).not.toContain(id('x'));
  });

  it('replaces a region’s loops when the LP plan trades more', () => {
    // The swap a<>b blocks both a>c>d>a and b>e>f>b (cap 3): six items instead of two.
    // The free items c, d, e, f close no loop on their own, so only a re-plan with a and b helps.
    const { g, two, id, state } = stateOf('a>b b>a a>c c>d d>a b>e e>f f>b', 3);
    state.addLoop([id('a'), id('b')]);
    const { gained, regionsPlanned } = runToEnd(lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: 200 }));
    expect(gained).toBe(4);
    expect(regionsPlanned).toBeGreaterThanOrEqual(1);
    const loops = state.loops();
    checkLoops(g, loops, 3);
    expect(traded(g, loops)).toBe(6);
    expect(state.succ[id('a')]).not.toBe(id('b'));
  });

  it('never uses an item that is not usable (a pinned loop, a withdrawn item)', () => {
    const { g, two, id, state } = stateOf('a>b b>a a>c c>d d>a b>e e>f f>b', 3);
    state.addLoop([id('a'), id('b')]);
    state.usable[id('e')] = 0;
    runToEnd(lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: 200 }));
    const loops = state.loops();
    checkLoops(g, loops, 3);
    expect(loops.flat()).not.toContain(id('e'));
    // a>c>d>a is still worth more than the swap; b is left without a loop.
    expect(traded(g, loops)).toBe(3);
  });

  it('leaves its time to others once regions keep coming out too large for the LP', () => {
    // 110 items that all want each other (11,990 edges) and z, who only gives. Once the
    // 110 are in loops, every region around z is the whole graph: over LP_IMPROVE_REGION_MAX_EDGES.
    const edges: string[] = ['z>k0'];
    for (let i = 0; i < 110; i++) for (let j = 0; j < 110; j++) if (i !== j) edges.push(`k${i}>k${j}`);
    const { g, two, id, state } = stateOf(edges.join(' '), 3);
    expect(g.offsets[g.n]).toBeGreaterThan(LP_IMPROVE_REGION_MAX_EDGES);
    // A budget of 20 s (the pass would spend it trying region after region).
    const { regionsPlanned, regionsTooLarge } = runToEnd(lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: 20_000 }));
    expect(regionsPlanned).toBe(0);
    expect(regionsTooLarge).toBe(3);
    checkLoops(g, state.loops(), 3);
    expect(traded(g, state.loops())).toBe(110);
    expect(state.succ[id('z')]).toBe(-1);
  }, 30_000);

  it('stepwise: pauses after each planning with a valid plan, and ends where a run without pauses does', () => {
    const spec = 'x>y y>x a>b b>c c>a a>d d>a e>f f>e';
    const { g, two, id, state } = stateOf(spec, 3);
    state.addLoop([id('x'), id('y')]);
    const steps = lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: 100 });
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) {
      pauses++;
      checkLoops(g, state.loops(), 3);
    }
    // The free items' loops at once, then a region per pause until the budget is spent.
    expect(pauses).toBeGreaterThanOrEqual(1 + next.value.regionsPlanned + next.value.regionsTooLarge);
    const whole = stateOf(spec, 3);
    whole.state.addLoop([whole.id('x'), whole.id('y')]);
    expect(runToEnd(lpImprove(highs, whole.two, whole.state, 3, { seed: 1, timeBudgetMs: 100 })).gained).toBe(next.value.gained);
    expect(traded(g, state.loops())).toBe(traded(whole.g, whole.state.loops()));
    expect(next.value.gained).toBe(5);
  });

  it('with no time left, changes nothing and leaves a valid plan', () => {
    const { g, two, id, state } = stateOf('a>b b>a a>c c>d d>a b>e e>f f>b', 3);
    state.addLoop([id('a'), id('b')]);
    expect(runToEnd(lpImprove(highs, two, state, 3, { seed: 1, timeBudgetMs: -1 }))).toEqual({ gained: 0, regionsPlanned: 0, regionsTooLarge: 0 });
    expect(state.loops()).toEqual([[id('a'), id('b')]]);
    checkLoops(g, state.loops(), 3);
  });
});
