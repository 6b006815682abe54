import { AdjGraph, TradeGraph, buildGraph } from '../graph/trade-graph';

/**
 * The engine's mutable item graph: nodes are slots (reused after removal),
 * edges kept both ways so that a node's edges can be dropped in O(degree).
 */
export class LiveGraph implements AdjGraph {
  n = 0;
  dummy = new Uint8Array(1024);
  /** 1 while the slot holds a live item. */
  live = new Uint8Array(1024);
  private outs: number[][] = [];
  private outScores: number[][] = [];
  private ins: number[][] = [];
  private edges = 0;
  private readonly freeSlots: number[] = [];

  allocate(dummy: boolean): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.n++;
    if (slot >= this.dummy.length) {
      const grow = (a: Uint8Array) => {
        const b = new Uint8Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.dummy = grow(this.dummy);
      this.live = grow(this.live);
    }
    this.dummy[slot] = dummy ? 1 : 0;
    this.live[slot] = 1;
    this.outs[slot] = [];
    this.outScores[slot] = [];
    this.ins[slot] = [];
    return slot;
  }

  release(slot: number): void {
    this.clearEdges(slot);
    this.live[slot] = 0;
    this.freeSlots.push(slot);
  }

  out(u: number): ArrayLike<number> {
    return this.outs[u] ?? EMPTY;
  }

  in(u: number): readonly number[] {
    return this.ins[u] ?? EMPTY;
  }

  /** Degrees are small (one user's wants, or the offers answering one want): a scan is cheapest. */
  hasEdge(u: number, v: number): boolean {
    const o = this.outs[u];
    return o !== undefined && o.indexOf(v) >= 0;
  }

  score(u: number, v: number): number {
    const o = this.outs[u];
    const i = o ? o.indexOf(v) : -1;
    return i >= 0 ? this.outScores[u][i] : 0;
  }

  addEdge(u: number, v: number, score: number): void {
    const o = this.outs[u];
    const i = o.indexOf(v);
    if (i >= 0) {
      this.outScores[u][i] = score;
      return;
    }
    o.push(v);
    this.outScores[u].push(score);
    this.ins[v].push(u);
    this.edges++;
  }

  removeEdge(u: number, v: number): void {
    const o = this.outs[u];
    const i = o ? o.indexOf(v) : -1;
    if (i < 0) return;
    swapRemoveAt(o, i);
    swapRemoveAt(this.outScores[u], i);
    removeValue(this.ins[v], u);
    this.edges--;
  }

  /** Drops every edge into and out of the slot. */
  clearEdges(u: number): void {
    for (const v of [...(this.outs[u] ?? [])]) this.removeEdge(u, v);
    for (const w of [...(this.ins[u] ?? [])]) this.removeEdge(w, u);
  }

  /** Drops the edges between u and the nodes for which `pred` holds, both ways. */
  clearEdgesWhere(u: number, pred: (v: number) => boolean): void {
    for (const v of [...(this.outs[u] ?? [])]) if (pred(v)) this.removeEdge(u, v);
    for (const w of [...(this.ins[u] ?? [])]) if (pred(w)) this.removeEdge(w, u);
  }

  edgeCount(): number {
    return this.edges;
  }

  /** A static snapshot for a full solve (slots keep their numbers). */
  toTradeGraph(): TradeGraph {
    const from: number[] = [];
    const to: number[] = [];
    const score: number[] = [];
    const dummy = this.dummy.slice(0, this.n);
    for (let u = 0; u < this.n; u++) {
      if (!this.live[u]) continue;
      const o = this.outs[u];
      const sc = this.outScores[u];
      for (let i = 0; i < o.length; i++) {
        from.push(u);
        to.push(o[i]);
        score.push(sc[i]);
      }
    }
    return buildGraph(dummy, from, to, score);
  }
}

const EMPTY: number[] = [];

function swapRemoveAt(a: number[], i: number): void {
  a[i] = a[a.length - 1];
  a.pop();
}

function removeValue(a: number[] | undefined, x: number): void {
  if (!a) return;
  const i = a.indexOf(x);
  if (i >= 0) swapRemoveAt(a, i);
}
