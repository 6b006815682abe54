import { AdjGraph } from '../graph/trade-graph';

/** Alternating-move search depth (re-assignments per move). */
const MOVE_DEPTH = 4;
/** Node expansions allowed per start node. */
const MOVE_BUDGET = 2000;

/**
 * A set of disjoint loops kept as successor/predecessor arrays, improved by
 * "alternating" moves: a free item a takes a new successor b1; whoever gave
 * to b1 before (or b1 itself if it was free) takes a new successor b2; … until
 * someone takes a. Every item keeps exactly one giver and one receiver, free
 * items join, loops are re-formed; a move is applied only when every loop it
 * touches stays within 2..cap real items. This is the augmenting-path step of
 * the assignment problem restricted to short loops, and is what keeps repairs
 * local: a move touches at most MOVE_DEPTH loops.
 */
export class LoopState {
  succ: Int32Array;
  pred: Int32Array;
  private markQ: Int32Array; // re-assigned in the current move
  private markB: Int32Array; // given a new giver in the current move
  private stamp = 1;
  /** Nodes whose giver or receiver changed in applied moves (cleared by the caller). */
  readonly touched: number[] = [];

  /** `usable[u] === 1` when u may join a loop (the array may be replaced via `resize`). */
  constructor(
    readonly g: AdjGraph,
    readonly cap: number,
    public usable: Uint8Array,
  ) {
    this.succ = new Int32Array(g.n).fill(-1);
    this.pred = new Int32Array(g.n).fill(-1);
    this.markQ = new Int32Array(g.n);
    this.markB = new Int32Array(g.n);
  }

  /** Grows the arrays to the graph's current capacity. */
  resize(n: number, usable: Uint8Array): void {
    this.usable = usable;
    if (n <= this.succ.length) return;
    n = Math.max(n, this.succ.length * 2); // geometric growth: one node at a time must stay O(1)
    const grow = (a: Int32Array, fill: number) => {
      const b = new Int32Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.succ = grow(this.succ, -1);
    this.pred = grow(this.pred, -1);
    this.markQ = grow(this.markQ, 0);
    this.markB = grow(this.markB, 0);
  }

  addLoop(cyc: readonly number[]): void {
    for (let i = 0; i < cyc.length; i++) {
      const u = cyc[i];
      const v = cyc[(i + 1) % cyc.length];
      this.succ[u] = v;
      this.pred[v] = u;
    }
  }

  /** Frees every node of the loop through u; returns the freed nodes. */
  removeLoopOf(u: number): number[] {
    if (this.succ[u] < 0) return [];
    const out: number[] = [];
    let x = u;
    do {
      out.push(x);
      const nx = this.succ[x];
      this.succ[x] = -1;
      this.pred[x] = -1;
      x = nx;
    } while (x !== u && x >= 0);
    return out;
  }

  loopOf(u: number): number[] {
    const out: number[] = [];
    if (this.succ[u] < 0) return out;
    let x = u;
    do {
      out.push(x);
      x = this.succ[x];
    } while (x !== u);
    return out;
  }

  /** The loops through any of `nodes`, each once. */
  loopsThrough(nodes: Iterable<number>): number[][] {
    const seen = new Set<number>();
    const out: number[][] = [];
    for (const u of nodes) {
      if (this.succ[u] < 0 || seen.has(u)) continue;
      const loop = this.loopOf(u);
      for (const x of loop) seen.add(x);
      out.push(loop);
    }
    return out;
  }

  loops(): number[][] {
    const seen = new Uint8Array(this.succ.length);
    const out: number[][] = [];
    for (let u = 0; u < this.succ.length; u++) {
      if (seen[u] || this.succ[u] < 0) continue;
      const c = this.loopOf(u);
      for (const x of c) seen[x] = 1;
      out.push(c);
    }
    return out;
  }

  isFree(u: number): boolean {
    return this.succ[u] < 0 && this.usable[u] === 1;
  }

  /** Tries improving moves from each start (free real nodes); returns items gained. */
  improveFrom(starts: Iterable<number>): number {
    let gained = 0;
    for (const a of starts) {
      if (!this.isFree(a) || this.g.dummy[a]) continue;
      gained += this.tryMove(a);
    }
    return gained;
  }

  // --- the move search -------------------------------------------------------
  private qs: number[] = []; // re-assigned nodes, in order
  private bs: number[] = []; // their new successors
  private budget = 0;

  private tryMove(a: number): number {
    this.qs.length = 0;
    this.bs.length = 0;
    this.budget = MOVE_BUDGET;
    this.stamp++;
    return this.dfs(a, a, 0);
  }

  /** q needs a new successor; a is the start (needs a giver to close). */
  private dfs(a: number, q: number, depth: number): number {
    const g = this.g;
    const st = this.stamp;
    // Close: q → a.
    if (depth > 0 && g.hasEdge(q, a)) {
      this.qs.push(q);
      this.bs.push(a);
      const gain = this.applyIfValid();
      if (gain > 0) return gain;
      this.qs.pop();
      this.bs.pop();
    }
    if (depth >= MOVE_DEPTH) return 0;
    this.markQ[q] = st;
    const outs = g.out(q);
    // Two passes: free targets first (they bring items in), then taken ones.
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < outs.length; j++) {
        if (--this.budget < 0) return 0;
        const b = outs[j];
        if (b === a || this.markB[b] === st) continue;
        const bFree = this.isFree(b);
        if (pass === 0 ? !bFree : bFree) continue;
        if (!bFree && this.succ[b] < 0) continue; // unusable
        if (!bFree && b === this.succ[q]) continue;
        const next = bFree ? b : this.pred[b];
        if (this.markQ[next] === st) continue; // already re-assigned
        this.markB[b] = st;
        this.qs.push(q);
        this.bs.push(b);
        const r = this.dfs(a, next, depth + 1);
        if (r > 0) return r;
        this.qs.pop();
        this.bs.pop();
        this.markB[b] = 0;
      }
    }
    this.markQ[q] = 0;
    return 0;
  }

  /** Applies qs[i] → bs[i]; keeps it when all touched loops are valid. */
  private applyIfValid(): number {
    const { qs, bs, succ, pred, g, cap } = this;
    const oldSucc = qs.map((q) => succ[q]);
    const oldPredB = bs.map((b) => pred[b]);
    for (let i = 0; i < qs.length; i++) {
      succ[qs[i]] = bs[i];
      pred[bs[i]] = qs[i];
    }
    let ok = true;
    let gain = 0;
    for (const q of qs) {
      // Walk the loop through q: it must close within bounds.
      let real = 0;
      let x = q;
      let steps = 0;
      do {
        if (!g.dummy[x]) real++;
        x = succ[x];
        steps++;
      } while (x !== q && x >= 0 && real <= cap && steps <= 4 * cap + 4);
      if (x !== q || real > cap || real < 2) {
        ok = false;
        break;
      }
    }
    if (ok) {
      for (let i = 0; i < qs.length; i++) if (oldSucc[i] < 0 && !g.dummy[qs[i]]) gain++;
      if (gain > 0) {
        for (let i = 0; i < qs.length; i++) this.touched.push(qs[i], bs[i], oldSucc[i]);
        return gain;
      }
    }
    // Undo in reverse.
    for (let i = qs.length - 1; i >= 0; i--) {
      succ[qs[i]] = oldSucc[i];
      pred[bs[i]] = oldPredB[i];
    }
    return 0;
  }
}
