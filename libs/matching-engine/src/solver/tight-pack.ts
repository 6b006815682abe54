import { TradeGraph, edgeSubgraph, withInEdges } from '../graph/trade-graph';
import { DEFAULT_MAX_CYCLE, canonicalRotation, range, realCount } from './bounded-solver';
import { nearTight, optimumItems, solveAssignment } from './cycle-cover';
import { LoopState } from './local-search';
import { xorshift32 } from './random';

/**
 * Ruin-and-recreate steps of `packTight`. On the UK file each takes about
 * 0.1 ms; the plan gains most in the first few thousand (573 items after
 * 4,000, 579 after 8,000, 581 after 12,000, about 590 after 70,000). Widened
 * (`widen`), a step costs about twice as much there: 574 items after 4,000
 * steps (0.9 s), 578 after 8,000 (1.7 s; tight edges alone: 0.8 s).
 */
export const TIGHT_PACK_ITERATIONS = 8000;
/** Loops next to a stranded item that one step takes apart (2 and 5 did no better). */
export const TIGHT_PACK_RUIN_LOOPS = 3;
/** Node expansions one search for a loop through an item may spend. */
export const TIGHT_PACK_SEARCH_BUDGET = 3000;
/**
 * With `widen`: steps in a row without a gain after which the search widens
 * from the tight edges to those within TIGHT_PACK_LOOSE_SLACK of tight, where
 * more loops close under the cap. Measured with packTight alone on the eight
 * files from ask to UK, within three quarters of their budgets in the
 * benchmark's timed pass (seeds 1-6, mean items): 1,811 in all on the tight
 * edges alone, 1,863 widened (xmas 283 → 302, ask 165 → 178, brazil 169 →
 * 178, greece 87 → 95; one-is-enough 308 → 307, UK 574 → 573). Widening after
 * 200 stalled steps, or at a fixed step (300, 1,000, 3,000), ended at 1,852-1,868:
 * within the seeds' spread.
 */
export const TIGHT_PACK_STALL_STEPS = 500;
/** Reduced cost (under the unbounded optimum's duals) of the edges the widened search may take. */
export const TIGHT_PACK_LOOSE_SLACK = 1;
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
  /** Widen the search to near-tight edges once it stalls (TIGHT_PACK_STALL_STEPS; default false). */
  widen?: boolean;
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
 *    items, so the plan never gets worse. With `widen`, once the steps stop
 *    gaining, over the near-tight edges as well.
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
  const assignment = solveAssignment(g, usable);
  const packer = new TightPacker(g, cap, usable, assignment, xorshift32(opts.seed ?? 1), opts.widen ?? false);
  packer.search(iterations, deadline);
  const state = new LoopState(g, cap, usable);
  for (const loop of packer.plan()) state.addLoop(loop);
  state.improveFrom(range(g.n));
  return state.loops().map(canonicalRotation);
}

/**
 * packTight's search kept alive between calls: `search` goes on from the plan
 * it has (the greedy start runs on the first call only), so a caller can take
 * a first plan after a few steps and resume later.
 */
export class TightPacker {
  /** The subgraph searched among usable nodes (the tight edges; near-tight too once widened), with in-edges. */
  private t!: ReturnType<typeof withInEdges>;
  /** Real items the unbounded optimum trades: the ones to cover. */
  private readonly core: number[];
  private readonly isCore: Uint8Array;
  private readonly free: Uint8Array;
  /** Free out- and in-neighbours per node in the searched subgraph (kept up to date as nodes are taken and freed, recounted when it widens). */
  private readonly outFree: Int32Array;
  private readonly inFree: Int32Array;
  /** Ruin-and-recreate steps taken so far (over all calls to `search`). */
  private steps = 0;
  /** The step that last gained items. */
  private lastGain = 0;
  /** Whether the search has widened to the near-tight edges. */
  private widened = false;
  private readonly loopOf: Int32Array;
  private readonly loops: (number[] | null)[] = [];
  private total = 0;
  /** Real items still needed to get from a node back to the search's start (free tight edges). */
  private readonly back: Int32Array;
  private readonly backStamp: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;
  private readonly onPath: Uint8Array;
  private started = false;

  constructor(
    private readonly g: TradeGraph,
    private readonly cap: number,
    private readonly usable: Uint8Array,
    private readonly assignment: ReturnType<typeof solveAssignment>,
    private readonly random: () => number,
    /** Widen to the near-tight edges once the steps stall. */
    private readonly widen: boolean,
  ) {
    const n = g.n;
    this.core = optimumItems(g, assignment.mL, usable);
    this.isCore = new Uint8Array(n);
    for (const v of this.core) this.isCore[v] = 1;
    this.free = new Uint8Array(n).fill(1);
    this.outFree = new Int32Array(n);
    this.inFree = new Int32Array(n);
    this.searchWithin(0);
    this.loopOf = new Int32Array(n).fill(-1);
    this.back = new Int32Array(n);
    this.backStamp = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.onPath = new Uint8Array(n);
  }

  /**
   * Up to `iterations` ruin-and-recreate steps, stopping once past `deadline`
   * (checked every 64 steps). With `widen`, once TIGHT_PACK_STALL_STEPS steps
   * in a row (over all calls) have gained nothing, the search widens to the
   * edges within TIGHT_PACK_LOOSE_SLACK of tight.
   */
  search(iterations: number, deadline = Infinity): void {
    if (!this.started) this.recreate(this.core);
    this.started = true;
    for (let i = 0; i < iterations; i++, this.steps++) {
      if ((i & 63) === 63 && Date.now() > deadline) break;
      if (this.widen && !this.widened && this.steps - this.lastGain >= TIGHT_PACK_STALL_STEPS) {
        this.widened = true;
        this.searchWithin(TIGHT_PACK_LOOSE_SLACK);
      }
      const stranded = this.core.filter((v) => this.free[v]);
      if (stranded.length === 0) break;
      const x = stranded[Math.floor(this.random() * stranded.length)];
      const before = this.total;
      const removed = this.neighbouringLoops(x).map((id) => this.remove(id));
      const made = this.recreate([x, ...removed.flat().filter((v) => this.isCore[v])]);
      if (this.total > before) this.lastGain = this.steps;
      if (this.total >= before) continue;
      for (const id of made) this.remove(id);
      for (const loop of removed) this.add(loop);
    }
  }

  /** Real items the current plan trades. */
  items(): number {
    return this.total;
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

  /** Searches the edges within `slack` of tight from now on (the plan's loops use tight edges, so they stay valid). */
  private searchWithin(slack: number): void {
    const { g, usable, free, outFree, inFree } = this;
    const near = nearTight(this.assignment, slack);
    const t = withInEdges(edgeSubgraph(g, (u, v) => usable[u] === 1 && usable[v] === 1 && near(u, v)));
    this.t = t;
    for (let v = 0; v < g.n; v++) {
      let out = 0;
      for (let e = t.offsets[v]; e < t.offsets[v + 1]; e++) out += free[t.targets[e]];
      let into = 0;
      for (const w of t.in(v)) into += free[w];
      outFree[v] = out;
      inFree[v] = into;
    }
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
    const { offsets, targets, inOffsets, inSources } = this.t;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) this.inFree[targets[e]] += delta;
    for (let e = inOffsets[v]; e < inOffsets[v + 1]; e++) this.outFree[inSources[e]] += delta;
  }

  /** Real items on the way back from each free node to s (0-1 breadth first over in-edges; pass-through nodes cost nothing). */
  private measureBack(s: number): void {
    const { g, free, back, backStamp, queue } = this;
    const { inOffsets, inSources } = this.t;
    const stamp = ++this.stamp;
    let size = 0;
    queue[size++] = s;
    back[s] = 0;
    backStamp[s] = stamp;
    for (let head = 0; head < size; head++) {
      const u = queue[head];
      const step = g.dummy[u] || u === s ? 0 : 1;
      for (let e = inOffsets[u]; e < inOffsets[u + 1]; e++) {
        const w = inSources[e];
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
