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

/** Builds the CSR graph; edges keep their insertion order per source, duplicates dropped. */
export function buildGraph(dummy: Uint8Array, from: ArrayLike<number>, to: ArrayLike<number>, score?: ArrayLike<number>): TradeGraph {
  const n = dummy.length;
  const m = from.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) offsets[from[i] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(m);
  const scores = new Float32Array(m);
  const seen = new Set<number>();
  let dropped = 0;
  for (let i = 0; i < m; i++) {
    const u = from[i];
    const v = to[i];
    const key = u * n + v;
    if (u === v || seen.has(key)) {
      dropped++;
      continue;
    }
    seen.add(key);
    const slot = fill[u]++;
    targets[slot] = v;
    scores[slot] = score ? score[i] : 1;
  }
  if (dropped > 0) {
    // Compact away the slots left by dropped duplicates.
    const off2 = new Int32Array(n + 1);
    const t2 = new Int32Array(m - dropped);
    const s2 = new Float32Array(m - dropped);
    let k = 0;
    for (let u = 0; u < n; u++) {
      off2[u] = k;
      for (let j = offsets[u]; j < fill[u]; j++) {
        t2[k] = targets[j];
        s2[k++] = scores[j];
      }
    }
    off2[n] = k;
    return makeGraph(dummy, off2, t2, s2, seen);
  }
  return makeGraph(dummy, offsets, targets, scores, seen);
}

function makeGraph(dummy: Uint8Array, offsets: Int32Array, targets: Int32Array, scores: Float32Array, keys: Set<number>): TradeGraph {
  const n = dummy.length;
  return {
    n,
    dummy,
    offsets,
    targets,
    scores,
    hasEdge: (u, v) => keys.has(u * n + v),
    out: (u) => targets.subarray(offsets[u], offsets[u + 1]),
  };
}

export function edgeCount(g: TradeGraph): number {
  return g.offsets[g.n];
}

/** Adds in-neighbour lists to a static graph (for searches that go both ways). */
export function withInEdges(g: TradeGraph): TradeGraph & { in(u: number): ArrayLike<number> } {
  const n = g.n;
  const m = g.offsets[n];
  const inOff = new Int32Array(n + 1);
  for (let j = 0; j < m; j++) inOff[g.targets[j] + 1]++;
  for (let i = 0; i < n; i++) inOff[i + 1] += inOff[i];
  const fill = inOff.slice(0, n);
  const inSrc = new Int32Array(m);
  for (let u = 0; u < n; u++) for (let j = g.offsets[u]; j < g.offsets[u + 1]; j++) inSrc[fill[g.targets[j]]++] = u;
  return { ...g, in: (u: number) => inSrc.subarray(inOff[u], inOff[u + 1]) };
}
