import { AdjGraph, TradeGraph, buildGraph } from '../graph/trade-graph';

/** Key space per node in edge keys (u * KEY_SPACE + v stays an exact double). */
const KEY_SPACE = 2 ** 24;

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
  private ins: number[][] = [];
  private readonly scores = new Map<number, number>();
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
    if (slot >= KEY_SPACE) throw new Error('LiveGraph: too many nodes');
    this.dummy[slot] = dummy ? 1 : 0;
    this.live[slot] = 1;
    this.outs[slot] = [];
    this.ins[slot] = [];
    return slot;
  }

  release(slot: number): void {
    this.clearEdges(slot);
    this.live[slot] = 0;
    this.freeSlots.push(slot);
  }

  out(u: number): ArrayLike<number> {
    return this.outs[u] ?? [];
  }

  in(u: number): readonly number[] {
    return this.ins[u] ?? [];
  }

  hasEdge(u: number, v: number): boolean {
    return this.scores.has(u * KEY_SPACE + v);
  }

  score(u: number, v: number): number {
    return this.scores.get(u * KEY_SPACE + v) ?? 0;
  }

  addEdge(u: number, v: number, score: number): void {
    const key = u * KEY_SPACE + v;
    if (this.scores.has(key)) {
      this.scores.set(key, score);
      return;
    }
    this.scores.set(key, score);
    this.outs[u].push(v);
    this.ins[v].push(u);
  }

  removeEdge(u: number, v: number): void {
    const key = u * KEY_SPACE + v;
    if (!this.scores.delete(key)) return;
    removeValue(this.outs[u], v);
    removeValue(this.ins[v], u);
  }

  /** Drops every edge into and out of the slot. */
  clearEdges(u: number): void {
    for (const v of this.outs[u] ?? []) {
      this.scores.delete(u * KEY_SPACE + v);
      removeValue(this.ins[v], u);
    }
    for (const w of this.ins[u] ?? []) {
      this.scores.delete(w * KEY_SPACE + u);
      removeValue(this.outs[w], u);
    }
    this.outs[u] = [];
    this.ins[u] = [];
  }

  /** Drops the edges between u and the nodes for which `pred` holds, both ways. */
  clearEdgesWhere(u: number, pred: (v: number) => boolean): void {
    for (const v of [...(this.outs[u] ?? [])]) if (pred(v)) this.removeEdge(u, v);
    for (const w of [...(this.ins[u] ?? [])]) if (pred(w)) this.removeEdge(w, u);
  }

  edgeCount(): number {
    return this.scores.size;
  }

  /** A static snapshot for a full solve (slots keep their numbers). */
  toTradeGraph(): TradeGraph {
    const from: number[] = [];
    const to: number[] = [];
    const score: number[] = [];
    const dummy = this.dummy.slice(0, this.n);
    for (let u = 0; u < this.n; u++) {
      if (!this.live[u]) continue;
      for (const v of this.outs[u]) {
        from.push(u);
        to.push(v);
        score.push(this.score(u, v));
      }
    }
    return buildGraph(dummy, from, to, score);
  }
}

function removeValue(a: number[] | undefined, x: number): void {
  if (!a) return;
  const i = a.indexOf(x);
  if (i < 0) return;
  a[i] = a[a.length - 1];
  a.pop();
}
