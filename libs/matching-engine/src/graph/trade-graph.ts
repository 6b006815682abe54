/**
 * A directed item graph in compressed sparse row form.
 *
 * An edge X → Y means "X's owner gives X and receives Y". Nodes flagged as
 * `dummy` are private pass-through nodes (a math-trade `%` item, or one of a
 * user's wants): they never count toward items traded nor toward the cycle cap,
 * and like every node they are used at most once.
 */
/** What the loop search needs from a graph (static CSR or the engine's live graph). */
export interface AdjGraph {
  /** Node capacity: node ids are 0..n-1. */
  readonly n: number;
  /** 1 when the node is a pass-through (dummy) node. */
  readonly dummy: Uint8Array;
  /** Out-neighbours of u, in order of preference. */
  out(u: number): ArrayLike<number>;
  hasEdge(u: number, v: number): boolean;
}

export interface TradeGraph extends AdjGraph {
  /** CSR offsets, length n + 1. */
  readonly offsets: Int32Array;
  /** CSR targets, in the owner's order of preference. */
  readonly targets: Int32Array;
  /** Edge score in [0, 1] per CSR slot (used only to break ties). */
  readonly scores: Float32Array;
}

export class TradeGraphBuilder {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly score: number[] = [];
  private readonly dummyFlags: number[] = [];

  addNode(dummy: boolean): number {
    this.dummyFlags.push(dummy ? 1 : 0);
    return this.dummyFlags.length - 1;
  }

  get size(): number {
    return this.dummyFlags.length;
  }

  addEdge(u: number, v: number, score = 1): void {
    if (u === v) return;
    this.from.push(u);
    this.to.push(v);
    this.score.push(score);
  }

  build(): TradeGraph {
    return buildGraph(Uint8Array.from(this.dummyFlags), this.from, this.to, this.score);
  }
}

/** Builds the CSR graph; edges keep their insertion order per source, self-loops and duplicates dropped. */
export function buildGraph(dummy: Uint8Array, from: ArrayLike<number>, to: ArrayLike<number>, score?: ArrayLike<number>): TradeGraph {
  const n = dummy.length;
  const m = from.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) if (from[i] !== to[i]) offsets[from[i] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  let targets = new Int32Array(offsets[n]);
  let scores = new Float32Array(offsets[n]);
  for (let i = 0; i < m; i++) {
    const u = from[i];
    if (u === to[i]) continue;
    const slot = fill[u]++;
    targets[slot] = to[i];
    scores[slot] = score ? score[i] : 1;
  }
  // A sorted copy of each adjacency answers hasEdge by binary search.
  let sorted = targets.slice();
  let dups = false;
  for (let u = 0; u < n; u++) {
    const seg = sorted.subarray(offsets[u], offsets[u + 1]);
    seg.sort();
    for (let j = 1; j < seg.length; j++) if (seg[j] === seg[j - 1]) dups = true;
  }
  if (dups) {
    // Keep the first occurrence of each edge, in preference order.
    const off2 = new Int32Array(n + 1);
    const t2: number[] = [];
    const s2: number[] = [];
    for (let u = 0; u < n; u++) {
      off2[u] = t2.length;
      const seen = new Set<number>();
      for (let j = offsets[u]; j < offsets[u + 1]; j++) {
        if (seen.has(targets[j])) continue;
        seen.add(targets[j]);
        t2.push(targets[j]);
        s2.push(scores[j]);
      }
    }
    off2[n] = t2.length;
    targets = Int32Array.from(t2);
    scores = Float32Array.from(s2);
    offsets.set(off2);
    sorted = targets.slice();
    for (let u = 0; u < n; u++) sorted.subarray(offsets[u], offsets[u + 1]).sort();
  }
  return makeGraph(dummy, offsets, targets, scores, sorted);
}

function makeGraph(dummy: Uint8Array, offsets: Int32Array, targets: Int32Array, scores: Float32Array, sorted: Int32Array): TradeGraph {
  const n = dummy.length;
  return {
    n,
    dummy,
    offsets,
    targets,
    scores,
    hasEdge: (u, v) => {
      let lo = offsets[u];
      let hi = offsets[u + 1] - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const x = sorted[mid];
        if (x === v) return true;
        if (x < v) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
    out: (u) => targets.subarray(offsets[u], offsets[u + 1]),
  };
}

export function edgeCount(g: TradeGraph): number {
  return g.offsets[g.n];
}

/** Edges between nodes flagged in `allowed` (all edges without it). */
export function edgesWithin(g: AdjGraph, allowed?: Uint8Array): number {
  let edges = 0;
  for (let u = 0; u < g.n; u++) {
    if (allowed && !allowed[u]) continue;
    const outs = g.out(u);
    if (!allowed) edges += outs.length;
    else for (let j = 0; j < outs.length; j++) edges += allowed[outs[j]];
  }
  return edges;
}

/** The same nodes with only the edges `keep` accepts, in their order of preference. */
export function edgeSubgraph(g: TradeGraph, keep: (u: number, v: number) => boolean): TradeGraph {
  const from: number[] = [];
  const to: number[] = [];
  const score: number[] = [];
  for (let u = 0; u < g.n; u++) {
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      if (!keep(u, g.targets[e])) continue;
      from.push(u);
      to.push(g.targets[e]);
      score.push(g.scores[e]);
    }
  }
  return buildGraph(g.dummy, from, to, score);
}

/**
 * Adds in-neighbour lists to a static graph (for searches that go both ways):
 * `in(u)`, or for hot loops the arrays themselves — u's in-neighbours are
 * inSources[inOffsets[u] .. inOffsets[u + 1]).
 */
export function withInEdges(g: TradeGraph): TradeGraph & { in(u: number): Int32Array; inOffsets: Int32Array; inSources: Int32Array } {
  const n = g.n;
  const m = g.offsets[n];
  const inOff = new Int32Array(n + 1);
  for (let j = 0; j < m; j++) inOff[g.targets[j] + 1]++;
  for (let i = 0; i < n; i++) inOff[i + 1] += inOff[i];
  const fill = inOff.slice(0, n);
  const inSrc = new Int32Array(m);
  for (let u = 0; u < n; u++) for (let j = g.offsets[u]; j < g.offsets[u + 1]; j++) inSrc[fill[g.targets[j]]++] = u;
  return { ...g, inOffsets: inOff, inSources: inSrc, in: (u: number) => inSrc.subarray(inOff[u], inOff[u + 1]) };
}
