import { TradeGraph, edgeSubgraph, withInEdges } from '../graph/trade-graph';
import { DEFAULT_MAX_CYCLE, canonicalRotation, range, realCount } from './bounded-solver';
import { nearTight, optimumItems, solveAssignment } from './cycle-cover';
import { LoopState } from './local-search';
import { xorshift32 } from './random';

/**
 * Ruin-and-recreate steps of `packTight`. On the UK file each takes about
 * 0.1 ms; the plan gains most in the first few thousand (573 items after
 * 4,000, 579 after 8,000, 581 after 12,000, about 590 after 70,000).
 */
export const TIGHT_PACK_ITERATIONS = 8000;
/** Loops next to a stranded item that one step takes apart (2 and 5 did no better). */
export const TIGHT_PACK_RUIN_LOOPS = 3;
/** Node expansions one search for a loop through an item may spend. */
export const TIGHT_PACK_SEARCH_BUDGET = 3000;
/** Random spread added to the free degree that orders a recreate's items (degrees are integers). */
const RECREATE_NOISE = 0.5;

export interface TightPackOptions {
  maxCycle?: number;
  /** Only these nodes may be used. */
  allowed?: Uint8Array;
  /** Ruin-and-recreate steps (default TIGHT_PACK_ITERATIONS); Infinity (as many as fit) needs a `timeLimitMs`. */
  iterations?: number;
  seed?: number;
  /** The ruin-and-recreate steps also stop once this many milliseconds have passed since the call (the greedy start and the final slip-in always run). */
  timeLimitMs?: number;
  /** Slip free items into the plan at the end (default true). */
  slipIn?: boolean;
  /** The unbounded optimum over `allowed` (`solveAssignment`), when the caller has already solved it. */
  assignment?: ReturnType<typeof solveAssignment>;
}

/**
 * Loops of up to `maxCycle` items for dense graphs, in about a second on the
 * UK file (2,914 items, 278k want edges): 579 items where the dive-based
 * construction finds 531 in a little more time.
 *
 * 1. The unbounded optimum (TradeMaximizer's assignment) and its duals. Its
 *    tight edges (reduced cost 0: 26k of UK's 278k) carry every unbounded
 *    optimum, and its items are the ones worth covering.
 * 2. Greedy: the item with the fewest free tight neighbours first, the
 *    longest loop through it (up to the cap) by a depth-first search that
 *    goes far from it first and returns only through nodes that can reach it.
 * 3. Ruin and recreate: a stranded item's neighbouring loops are taken apart
 *    and their items, with it, re-packed greedily; undone if it trades fewer
 *    items, so the plan never gets worse.
 * 4. Free items slipped into loops and alternating moves over the whole graph.
 *
 * Deterministic: the same graph and seed give the same loops.
 */
export function packTight(g: TradeGraph, opts: TightPackOptions = {}): number[][] {
  const cap = opts.maxCycle ?? DEFAULT_MAX_CYCLE;
  const iterations = opts.iterations ?? TIGHT_PACK_ITERATIONS;
  if (!Number.isFinite(iterations) && opts.timeLimitMs === undefined) throw new RangeError('packTight: steps without a count need a timeLimitMs');
  const deadline = Date.now() + (opts.timeLimitMs ?? Infinity);
  const usable = opts.allowed ?? new Uint8Array(g.n).fill(1);
  const assignment = opts.assignment ?? solveAssignment(g, usable);
  const packer = new TightPacker(g, cap, usable, assignment, xorshift32(opts.seed ?? 1));
  packer.search(iterations, deadline);
  const state = new LoopState(g, cap, usable);
  for (const loop of packer.plan()) state.addLoop(loop);
  if (opts.slipIn ?? true) state.improveFrom(range(g.n));
  return state.loops().map(canonicalRotation);
}

class TightPacker {
  /** The tight subgraph among usable nodes, with in-edges. */
  private readonly t: ReturnType<typeof withInEdges>;
  /** Real items the unbounded optimum trades: the ones to cover. */
  private readonly core: number[];
  private readonly isCore: Uint8Array;
  private readonly free: Uint8Array;
  /** Free tight out- and in-neighbours per node (kept up to date as nodes are taken and freed). */
  private readonly outFree: Int32Array;
  private readonly inFree: Int32Array;
  private readonly loopOf: Int32Array;
  private readonly loops: (number[] | null)[] = [];
  private total = 0;
  /** Real items still needed to get from a node back to the search's start (free tight edges). */
  private readonly back: Int32Array;
  private readonly backStamp: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;
  private readonly onPath: Uint8Array;

  constructor(
    private readonly g: TradeGraph,
    private readonly cap: number,
    usable: Uint8Array,
    assignment: ReturnType<typeof solveAssignment>,
    private readonly random: () => number,
  ) {
    const n = g.n;
    const tight = nearTight(assignment, 0);
    this.t = withInEdges(edgeSubgraph(g, (u, v) => usable[u] === 1 && usable[v] === 1 && tight(u, v)));
    this.core = optimumItems(g, assignment.mL, usable);
    this.isCore = new Uint8Array(n);
    for (const v of this.core) this.isCore[v] = 1;
    this.free = new Uint8Array(n).fill(1);
    this.outFree = new Int32Array(n);
    this.inFree = new Int32Array(n);
    for (let v = 0; v < n; v++) {
      this.outFree[v] = this.t.offsets[v + 1] - this.t.offsets[v];
      this.inFree[v] = this.t.in(v).length;
    }
    this.loopOf = new Int32Array(n).fill(-1);
    this.back = new Int32Array(n);
    this.backStamp = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.onPath = new Uint8Array(n);
  }

  search(iterations: number, deadline: number): void {
    this.recreate(this.core);
    for (let i = 0; i < iterations; i++) {
      if ((i & 63) === 63 && Date.now() > deadline) break;
      const stranded = this.core.filter((v) => this.free[v]);
      if (stranded.length === 0) break;
      const x = stranded[Math.floor(this.random() * stranded.length)];
      const before = this.total;
      const removed = this.neighbouringLoops(x).map((id) => this.remove(id));
      const made = this.recreate([x, ...removed.flat().filter((v) => this.isCore[v])]);
      if (this.total >= before) continue;
      for (const id of made) this.remove(id);
      for (const loop of removed) this.add(loop);
    }
  }

  /** The current plan: no step ever leaves it with fewer items. */
  plan(): number[][] {
    return this.loops.filter((l): l is number[] => l !== null);
  }

  /** Up to TIGHT_PACK_RUIN_LOOPS loops holding tight neighbours of x, picked at random. */
  private neighbouringLoops(x: number): number[] {
    const { t } = this;
    const neighbours = [...t.targets.subarray(t.offsets[x], t.offsets[x + 1]), ...t.in(x)];
    for (let i = neighbours.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [neighbours[i], neighbours[j]] = [neighbours[j], neighbours[i]];
    }
    const ids = new Set<number>();
    for (const w of neighbours) {
      if (this.loopOf[w] >= 0) ids.add(this.loopOf[w]);
      if (ids.size >= TIGHT_PACK_RUIN_LOOPS) break;
    }
    return [...ids];
  }

  /** Greedy: items with the fewest free tight neighbours first, each with the longest loop through it. */
  private recreate(items: readonly number[]): number[] {
    const keyed = items.map((v) => ({ v, key: this.degree(v) + RECREATE_NOISE * this.random() }));
    keyed.sort((a, b) => a.key - b.key || a.v - b.v);
    const made: number[] = [];
    for (const { v } of keyed) {
      if (!this.free[v]) continue;
      const loop = this.longestLoopThrough(v);
      if (loop) made.push(this.add(loop));
    }
    return made;
  }

  private degree(v: number): number {
    return Math.min(this.outFree[v], this.inFree[v]);
  }

  private add(loop: number[]): number {
    const id = this.loops.length;
    this.loops.push(loop);
    for (const v of loop) {
      this.setFree(v, 0);
      this.loopOf[v] = id;
    }
    this.total += realCount(this.g, loop);
    return id;
  }

  private remove(id: number): number[] {
    const loop = this.loops[id]!;
    this.loops[id] = null;
    for (const v of loop) {
      this.setFree(v, 1);
      this.loopOf[v] = -1;
    }
    this.total -= realCount(this.g, loop);
    return loop;
  }

  private setFree(v: number, value: number): void {
    if (this.free[v] === value) return;
    this.free[v] = value;
    const delta = value ? 1 : -1;
    const { offsets, targets } = this.t;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) this.inFree[targets[e]] += delta;
    for (const w of this.t.in(v)) this.outFree[w] += delta;
  }

  /** Real items on the way back from each free node to s (0-1 breadth first over in-edges; pass-through nodes cost nothing). */
  private measureBack(s: number): void {
    const { g, t, free, back, backStamp, queue } = this;
    const stamp = ++this.stamp;
    let size = 0;
    queue[size++] = s;
    back[s] = 0;
    backStamp[s] = stamp;
    for (let head = 0; head < size; head++) {
      const u = queue[head];
      const step = g.dummy[u] || u === s ? 0 : 1;
      for (const w of t.in(u)) {
        if (!free[w] || backStamp[w] === stamp) continue;
        backStamp[w] = stamp;
        back[w] = back[u] + step;
        queue[size++] = w;
      }
    }
  }

  /** The longest loop (in real items, up to the cap) through s among free nodes, within the search budget; null if none. */
  private longestLoopThrough(s: number): number[] | null {
    const { g, t, free, onPath, back, backStamp, cap } = this;
    this.measureBack(s);
    const stamp = this.stamp;
    const path = [s];
    let best: number[] | null = null;
    let bestItems = 1;
    let budget = TIGHT_PACK_SEARCH_BUDGET;
    onPath[s] = 1;
    const visit = (u: number, items: number): boolean => {
      if (--budget < 0) return true;
      if (items > bestItems && t.hasEdge(u, s)) {
        best = path.slice();
        bestItems = items;
        if (items === cap) return true;
      }
      const next: number[] = [];
      for (let e = t.offsets[u]; e < t.offsets[u + 1]; e++) {
        const v = t.targets[e];
        if (!free[v] || onPath[v] || backStamp[v] !== stamp) continue;
        if (items + (g.dummy[v] ? 0 : 1) + back[v] <= cap) next.push(v);
      }
      // Far from s first (long loops), then the most constrained.
      next.sort((a, b) => back[b] - back[a] || this.degree(a) - this.degree(b) || a - b);
      for (const v of next) {
        path.push(v);
        onPath[v] = 1;
        const stop = visit(v, items + (g.dummy[v] ? 0 : 1));
        onPath[v] = 0;
        path.pop();
        if (stop) return true;
      }
      return false;
    };
    visit(s, 1);
    onPath[s] = 0;
    return best;
  }
}
