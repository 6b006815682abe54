import { AdjGraph, TradeGraph, buildGraph } from '../graph/trade-graph';
import { packFree, solveBounded, tradedItems } from './bounded-solver';
import { LoopState } from './local-search';
import { xorshift32 } from './random';

/**
 * A rerouting repair's re-plan takes in the loops through its neighbourhood
 * while the whole stays within this many times the neighbourhood's limit.
 * On the 10k synthetic market after 1,000 changes (three sequences),
 * rerouting after items added or changed: 384-391 items traded where a fresh
 * solve finds 357-377 and the neighbourhood alone gave 348-373; update p99
 * 4-6 ms. On the 100k market that region is mostly larger (the ball alone is
 * re-planned there): p99 11-14 ms, against 49 ms with no limit, for no more items.
 */
const REGION_GROWTH = 2;

export interface RepairOptions {
  /** Let the re-plan re-route the loops through the neighbourhood (see repairAround, step 4). */
  reroute?: boolean;
}

/** A graph that also lists in-neighbours (the repair searches both ways). */
export interface TwoWayGraph extends AdjGraph {
  in(u: number): ArrayLike<number>;
}

/**
 * Re-plans around changed nodes, keeping every loop the change did not touch:
 *
 * 1. the neighbourhood: nodes reached from the change along edges and nodes
 *    reaching it (a loop through the change lives there), at most `limit`;
 * 2. loops among its free nodes (a bounded solve of that small subgraph),
 *    then the shortest loop through each start over all free nodes;
 * 3. alternating moves from its free items (may re-route a few loops);
 * 4. if re-planning the whole neighbourhood trades strictly more items than
 *    the loops through it, that plan replaces them. With `reroute`, the
 *    re-plan takes in those loops' nodes as well (while the whole stays
 *    within REGION_GROWTH times `limit` nodes), so that they can be
 *    re-routed: for a change that brings new possibilities (an item added or
 *    changed). After a withdrawal the loops it did not touch are kept
 *    instead (the benchmark's stability: greece kept 95 % of them rerouting,
 *    100 % without).
 *
 * Returns the nodes whose loop may have changed (for the caller's diff).
 */
export function repairAround(g: TwoWayGraph, state: LoopState, changed: readonly number[], cap: number, limit: number, opts: RepairOptions = {}): Set<number> {
  const usable = state.usable;
  const starts = new Set<number>();
  for (const s of changed) {
    if (!usable[s]) continue;
    // A pass-through node cannot start a loop search; its givers can.
    if (g.dummy[s]) for (const w of arr(g.in(s))) starts.add(w);
    else starts.add(s);
    for (const w of arr(g.in(s))) {
      if (!g.dummy[w]) starts.add(w);
      else for (const x of arr(g.in(w))) starts.add(x);
    }
  }
  const n = g.n;
  const free = new Uint8Array(n);
  for (let u = 0; u < n; u++) free[u] = usable[u] && state.succ[u] < 0 ? 1 : 0;
  const dirty = new Set<number>(changed);
  const ball = neighbourhood(g, starts, limit);
  const fresh = ball.length > 0 ? solveOn(g, ball, free, cap) : [];
  for (const loop of fresh) for (const u of loop) free[u] = 0;
  // The ball is breadth first, so it holds only the loops close to the change:
  // a longer one through a start, over free items, is found by its own search.
  fresh.push(...packFree(g, free, cap, starts));
  for (const loop of fresh) {
    state.addLoop(loop);
    for (const u of loop) dirty.add(u);
  }
  state.touched.length = 0;
  state.improveFrom(ball.length > 0 ? ball.filter((u) => !g.dummy[u]) : starts);
  for (const u of state.touched) if (u >= 0) dirty.add(u);
  state.touched.length = 0;
  if (ball.length > 0) {
    // Rerouting, the ball with the loops through it (within the ball alone
    // they rarely can be re-routed); the ball alone where that region is
    // large (dense trading, e.g. the 100k market). Either way the plan
    // replaces the loops through the ball (those through the region too).
    // `usable` is read only on the re-planned nodes: no mask of the graph's size.
    const overlapped = state.loopsThrough(ball);
    const region = opts.reroute ? regionOf(ball, overlapped) : ball;
    const within = region.length <= REGION_GROWTH * limit ? region : ball;
    const plan = solveOn(g, within, usable, cap);
    if (tradedItems(g, plan) > tradedItems(g, overlapped)) {
      for (const loop of overlapped) for (const x of state.removeLoopOf(loop[0])) dirty.add(x);
      for (const loop of plan) {
        state.addLoop(loop);
        for (const u of loop) dirty.add(u);
      }
    }
  }
  return dirty;
}

function arr(a: ArrayLike<number>): number[] {
  return Array.prototype.slice.call(a) as number[];
}

/** Nodes reached from the starts and nodes reaching them, breadth first, about `limit` in all. */
export function neighbourhood(g: TwoWayGraph, starts: Iterable<number>, limit: number): number[] {
  if (limit <= 0) return [];
  const seen = new Set<number>();
  const bfs = (forward: boolean, quota: number) => {
    const queue: number[] = [];
    const mine = new Set<number>();
    for (const s of starts) if (!mine.has(s)) (mine.add(s), queue.push(s));
    for (let h = 0; h < queue.length && queue.length < quota; h++) {
      const nb = forward ? g.out(queue[h]) : g.in(queue[h]);
      for (let j = 0; j < nb.length && queue.length < quota; j++) {
        const v = nb[j];
        if (!mine.has(v)) {
          mine.add(v);
          queue.push(v);
        }
      }
    }
    for (const u of queue) seen.add(u);
  };
  bfs(true, limit >> 1);
  bfs(false, limit >> 1);
  return [...seen];
}

const SINGLE: ReadonlyArray<readonly [number, number]> = [[0, 0]];

/** Bounded solve on the nodes of `within` flagged in `mask`; loops in g's node ids. */
export function solveOn(g: AdjGraph, within: readonly number[], mask: Uint8Array, cap: number, lns = false): number[][] {
  const { sub, nodes } = subgraphOn(g, within, mask);
  if (nodes.length < 2) return [];
  return solveBounded(sub, { maxCycle: cap, lns, variants: SINGLE }).map((loop) => loop.map((i) => nodes[i]));
}

/**
 * The subgraph induced by the nodes of `within` flagged in `mask`, as a
 * compact graph: its node i is g's node `nodes[i]`.
 */
export function subgraphOn(g: AdjGraph, within: readonly number[], mask: Uint8Array): { sub: TradeGraph; nodes: number[] } {
  const nodes = within.filter((u) => mask[u]);
  const local = new Map<number, number>();
  nodes.forEach((u, i) => local.set(u, i));
  const dummy = new Uint8Array(nodes.length);
  const from: number[] = [];
  const to: number[] = [];
  nodes.forEach((u, i) => {
    dummy[i] = g.dummy[u];
    const outs = g.out(u);
    for (let j = 0; j < outs.length; j++) {
      const v = local.get(outs[j]);
      if (v !== undefined) {
        from.push(i);
        to.push(v);
      }
    }
  });
  return { sub: buildGraph(dummy, from, to), nodes };
}

/** A ball plus every loop it overlaps: those loops (what a re-plan of the region replaces) and the region's nodes. */
export function regionAround(state: LoopState, ball: readonly number[]): { loops: number[][]; nodes: number[] } {
  const loops = state.loopsThrough(ball);
  return { loops, nodes: regionOf(ball, loops) };
}

/** The nodes of a ball and of the loops through it. */
function regionOf(ball: readonly number[], loops: readonly number[][]): number[] {
  const region = new Set<number>(ball);
  for (const loop of loops) for (const x of loop) region.add(x);
  return [...region];
}

export interface LnsOptions {
  /** Re-planning attempts. */
  iterations: number;
  /** Nodes in each re-planned neighbourhood (before adding the loops it overlaps). */
  radius: number;
  seed: number;
  /** The random stream to draw from instead of a new one from `seed` (a pass run in slices goes on with one stream). */
  random?: () => number;
  /** Stop early after this many milliseconds. */
  timeBudgetMs?: number;
  /** Also take plans that trade as many items (moves along plateaus; changes more loops). Default true. */
  acceptEqual?: boolean;
  /** Called with the nodes of every region whose loops were replaced. */
  onChange?: (nodes: readonly number[]) => void;
  /**
   * Score of a loop. When given, a plan trading as many items is always taken
   * if its loops score higher in total (the secondary objective), else at random.
   */
  loopScore?: (loop: readonly number[]) => number;
}

/**
 * Large-neighbourhood search: around a random free item, take the
 * neighbourhood plus every loop it overlaps, re-plan that region from scratch
 * with the bounded solver, and keep the new plan when it trades more items
 * (or as many, which lets the search move along plateaus). Small regions are
 * where the assignment-then-round approach is at its best. Returns items gained.
 */
export function lnsImprove(g: TwoWayGraph, state: LoopState, cap: number, opts: LnsOptions): number {
  const usable = state.usable;
  const rand = opts.random ?? xorshift32(opts.seed);
  const deadline = opts.timeBudgetMs !== undefined ? Date.now() + opts.timeBudgetMs : Infinity;
  let gained = 0;
  let freeList: number[] = [];
  const refresh = () => {
    freeList = [];
    for (let u = 0; u < g.n; u++) if (usable[u] && !g.dummy[u] && state.succ[u] < 0) freeList.push(u);
  };
  refresh();
  for (let it = 0; it < opts.iterations && freeList.length > 0; it++) {
    if ((it & 15) === 0 && Date.now() >= deadline) break;
    const f = freeList[Math.floor(rand() * freeList.length)];
    if (state.succ[f] >= 0 || !usable[f]) {
      refresh();
      continue;
    }
    const ball = neighbourhood(g, [f], opts.radius);
    // First, loops among the free items only: no existing loop is touched.
    const freeMask = new Uint8Array(g.n);
    for (const u of ball) if (usable[u] && state.succ[u] < 0) freeMask[u] = 1;
    const freePlan = solveOn(g, ball, freeMask, cap, false);
    if (freePlan.length > 0) {
      for (const loop of freePlan) state.addLoop(loop);
      gained += tradedItems(g, freePlan);
      opts.onChange?.(freePlan.flat());
      refresh();
      continue;
    }
    const { loops: overlapped, nodes } = regionAround(state, ball);
    const current = tradedItems(g, overlapped);
    const plan = solveOn(g, nodes, usable, cap, false);
    const planned = tradedItems(g, plan);
    let equalOk = false;
    if (opts.acceptEqual !== false && planned === current) {
      if (opts.loopScore) {
        const before = overlapped.reduce((t, l) => t + opts.loopScore!(l), 0);
        const after = plan.reduce((t, l) => t + opts.loopScore!(l), 0);
        // Better-scored plans always; others at random (moves along plateaus find more items).
        equalOk = after > before + 1e-9 || rand() < 0.5;
      } else equalOk = rand() < 0.5;
    }
    if (planned > current || equalOk) {
      for (const loop of overlapped) state.removeLoopOf(loop[0]);
      for (const loop of plan) state.addLoop(loop);
      opts.onChange?.(nodes);
      gained += planned - current;
      if (planned > current) refresh();
    }
  }
  return gained;
}
