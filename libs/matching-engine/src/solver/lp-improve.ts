import type { Highs } from 'highs';
import { edgeCount, edgesWithin } from '../graph/trade-graph';
import { realCount, tradedItems } from './bounded-solver';
import { planWithLpSteps } from './column-generation';
import { LoopState } from './local-search';
import { xorshift32 } from './random';
import type { Steps } from './steps';
import { TwoWayGraph, neighbourhood, regionAround, subgraphOn } from './repair';

/**
 * The free items' subgraph goes to the LP planner when it has at most this
 * many edges. Synthetic markets after 1,000 updates: 12k free edges at 10k
 * items (150 ms), 42k at 20k (0.5 s, +292 items); the 100k market's free
 * subgraph is far over (one pricing round takes minutes there).
 */
export const LP_IMPROVE_FREE_MAX_EDGES = 60_000;
/** Nodes in a region re-planned by the LP (before adding the loops it overlaps). */
export const LP_IMPROVE_RADIUS = 3_000;
/** A region's subgraph goes to the LP only up to this many edges. */
export const LP_IMPROVE_REGION_MAX_EDGES = 10_000;
/** After this many regions in a row over LP_IMPROVE_REGION_MAX_EDGES (a dense market: 100k items), the pass leaves the rest of its time. */
const OVERSIZED_REGIONS_IN_A_ROW = 3;

export interface LpImproveOptions {
  seed: number;
  /** Time for the whole pass (the LP planner stops pricing and diving at the deadline). */
  timeBudgetMs: number;
  /** Called with the nodes of every region whose loops were replaced, and with every new loop. */
  onChange?: (nodes: readonly number[]) => void;
}

export interface LpImproveResult {
  /** Items traded more than before. */
  gained: number;
  regionsPlanned: number;
  /** Regions over LP_IMPROVE_REGION_MAX_EDGES, left alone. */
  regionsTooLarge: number;
}

/**
 * Improvement by the LP planner (`planWithLp`), for an engine that has HiGHS
 * loaded. Only plans trading strictly more items are taken.
 *
 * 1. The items no loop uses, all at once when their subgraph is small enough:
 *    new loops, no existing one touched.
 * 2. Until the deadline (or until regions keep coming out too large):
 *    around a random free item, its neighbourhood plus every loop it
 *    overlaps, planned with those loops as the first columns; the region's
 *    loops are replaced when the plan trades more. Where `lnsImprove` (the
 *    combinatorial solver on regions of 120 nodes) is blind to long loops
 *    through many items, the LP prices them.
 *
 * A generator: it pauses within each planning (after each pricing round and
 * each re-solve of the dives: `planWithLpSteps`) and after it, so that a
 * caller can let other work run in between (`runYielding`; `runToEnd` runs it
 * at once); the plan is valid at every pause. Its value is the items gained
 * and the regions planned and skipped (too large).
 */
export function* lpImprove(highs: Highs, g: TwoWayGraph, state: LoopState, cap: number, opts: LpImproveOptions): Steps<LpImproveResult> {
  const result: LpImproveResult = { gained: 0, regionsPlanned: 0, regionsTooLarge: 0 };
  if (opts.timeBudgetMs <= 0) return result;
  const deadline = Date.now() + opts.timeBudgetMs;
  const usable = state.usable;
  const isFree = (u: number) => usable[u] === 1 && state.succ[u] < 0;

  const freeMask = new Uint8Array(g.n);
  const freeNodes: number[] = [];
  for (let u = 0; u < g.n; u++) {
    if (!isFree(u)) continue;
    freeMask[u] = 1;
    freeNodes.push(u);
  }
  if (edgesWithin(g, freeMask) <= LP_IMPROVE_FREE_MAX_EDGES) {
    const { sub, nodes } = subgraphOn(g, freeNodes, freeMask);
    const { loops } = yield* planWithLpSteps(highs, sub, { maxCycle: cap, timeLimitMs: deadline - Date.now() });
    for (const local of loops) {
      const loop = local.map((i) => nodes[i]);
      state.addLoop(loop);
      result.gained += realCount(g, loop);
      opts.onChange?.(loop);
    }
    yield;
  }

  const rand = xorshift32(opts.seed);
  let oversized = 0;
  // (Starting a region only while the last one's time is left gives 439 items at 10k every time,
  // against 437-487 here: a region cut short by the deadline still gains items now and then.)
  while (Date.now() < deadline && oversized < OVERSIZED_REGIONS_IN_A_ROW) {
    const free: number[] = [];
    for (let u = 0; u < g.n; u++) if (isFree(u) && !g.dummy[u]) free.push(u);
    if (free.length === 0) break;
    const ball = neighbourhood(g, [free[Math.floor(rand() * free.length)]], LP_IMPROVE_RADIUS);
    // The ball plus every loop it overlaps.
    const region = regionAround(state, ball);
    const start = region.loops;
    const current = tradedItems(g, start);
    const { sub, nodes } = subgraphOn(g, region.nodes, usable);
    if (edgeCount(sub) > LP_IMPROVE_REGION_MAX_EDGES) {
      oversized++;
      result.regionsTooLarge++;
      yield;
      continue;
    }
    oversized = 0;
    result.regionsPlanned++;
    const local = new Map<number, number>();
    nodes.forEach((u, i) => local.set(u, i));
    const { loops, stats } = yield* planWithLpSteps(highs, sub, {
      maxCycle: cap,
      start: start.map((loop) => loop.map((u) => local.get(u)!)),
      timeLimitMs: deadline - Date.now(),
    });
    if (stats.items > current) {
      for (const loop of start) state.removeLoopOf(loop[0]);
      for (const l of loops) state.addLoop(l.map((i) => nodes[i]));
      result.gained += stats.items - current;
      opts.onChange?.(nodes);
    }
    yield;
  }
  return result;
}
