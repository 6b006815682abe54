import { withInEdges } from '../graph/trade-graph';
import { LoopState } from './local-search';
import { repairAround } from './repair';
import { checkLoops, graphOf, traded } from './spec-graphs';

/** The graph with in-edges, and a loop state holding `loops` (given by name). */
function setUp(spec: string, loops: string[][] = []) {
  const { g: plain, id } = graphOf(spec);
  const g = withInEdges(plain);
  const state = new LoopState(g, 10, new Uint8Array(g.n).fill(1));
  for (const loop of loops) state.addLoop(loop.map(id));
  return { g, id, state };
}

describe('repairAround: re-planning around a change', () => {
  it('closes a loop through the change that reaches past its neighbourhood', () => {
    // Six people in a ring; the first and the last also have five other
    // neighbours each, which fill a neighbourhood of 8 nodes before the ring does.
    const dead = [1, 2, 3, 4, 5].map((i) => `a1>d${i} e${i}>a1`).join(' ');
    const { g, id, state } = setUp(`${dead} a1>a2 a2>a3 a3>a4 a4>a5 a5>a6 a6>a1`);
    repairAround(g, state, [id('a1')], 10, 8);
    const loops = state.loops();
    checkLoops(g, loops, 10);
    expect(traded(g, loops)).toBe(6);
  });

  // b1..b5 trade in a ring. A new pair x, y fits between b1 and b3 (b2 would
  // then give nothing): a ring of six. Neither x nor y can be slipped in alone.
  const rerouteSpec = 'b1>b2 b2>b3 b3>b4 b4>b5 b5>b1 b1>x x>y y>b3';
  const ring = ['b1', 'b2', 'b3', 'b4', 'b5'];

  it('with reroute (an item added or changed), re-routes a loop through the neighbourhood when that trades more, taking in the loop where it reaches past it', () => {
    const { g, id, state } = setUp(rerouteSpec, [ring]);
    const changed = repairAround(g, state, [id('x')], 10, 6, { reroute: true });
    const loops = state.loops();
    checkLoops(g, loops, 10);
    expect(traded(g, loops)).toBe(6);
    expect(loops.flat().sort()).toEqual(['b1', 'x', 'y', 'b3', 'b4', 'b5'].map(id).sort());
    // Every node whose loop changed is reported, b2 (now out) included.
    for (const name of ['b1', 'b2', 'b3', 'b4', 'b5', 'x', 'y']) expect(changed.has(id(name))).toBe(true);
  });

  it('without reroute (after a withdrawal), keeps the loops the change did not touch', () => {
    const { g, id, state } = setUp(rerouteSpec, [ring]);
    const changed = repairAround(g, state, [id('x')], 10, 6);
    expect(state.loops().map((l) => [...l].sort())).toEqual([ring.map(id).sort()]);
    for (const name of ring) expect(changed.has(id(name))).toBe(false);
  });

  it('keeps the loops around the change when re-planning gains nothing', () => {
    const { g, id, state } = setUp('p>q q>p q>r r>q', [['p', 'q']]);
    const changed = repairAround(g, state, [id('r')], 10, 400);
    expect(state.loops().map((l) => [...l].sort())).toEqual([[id('p'), id('q')].sort()]);
    expect(changed.has(id('p'))).toBe(false);
  });
});
