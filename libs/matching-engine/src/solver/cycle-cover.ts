import { TradeGraph } from '../graph/trade-graph';

/**
 * Maximum unbounded cycle cover, the way TradeMaximizer frames it: an
 * assignment in which every node either points to a node it wants or to itself
 * (not trading), minimising the number of real nodes pointing to themselves.
 *
 * Solved as a min-cost perfect matching with the primal-dual method: a Dijkstra
 * pass on reduced costs fixes the shortest augmenting distance, then a
 * Hopcroft–Karp blocking flow augments along every tight path of that
 * distance. Costs are 0/1, so there are only a handful of Dijkstra passes and
 * the whole run is close to a single Hopcroft–Karp.
 *
 * `allowed` restricts the solve to a subset of nodes (others stay untraded and
 * are never used). Returns `succ`, where succ[u] === u means u does not trade.
 */
export function maxCycleCover(g: TradeGraph, allowed?: Uint8Array): Int32Array {
  return solveAssignment(g, allowed).mL;
}

/**
 * Edges within `slack` of tight under the assignment's duals (TradeMaximizer's
 * unbounded optimum): reduced cost pL[u] − pR[v] ≤ slack. Every unbounded
 * optimum uses only tight ones (slack 0), and the capped plans mostly
 * near-tight ones: at slack 1, 7-23 % of the edges of the nine files.
 */
export function nearTight({ pL, pR }: { pL: Int32Array; pR: Int32Array }, slack: number): (u: number, v: number) => boolean {
  return (u, v) => pL[u] - pR[v] <= slack;
}

/** The real items the unbounded optimum (its successor map `mL`) trades among usable nodes. */
export function optimumItems(g: TradeGraph, mL: Int32Array, usable: Uint8Array): number[] {
  const out: number[] = [];
  for (let v = 0; v < g.n; v++) if (usable[v] && !g.dummy[v] && mL[v] >= 0 && mL[v] !== v) out.push(v);
  return out;
}

/** The assignment with its optimal duals (potentials). */
export function solveAssignment(g: TradeGraph, allowed?: Uint8Array): { mL: Int32Array; mR: Int32Array; pL: Int32Array; pR: Int32Array } {
  const n = g.n;
  const { offsets, targets, dummy } = g;
  const mL = new Int32Array(n).fill(-1); // L_u matched to R_{mL[u]}: u gives, receives mL[u]
  const mR = new Int32Array(n).fill(-1);
  const pL = new Int32Array(n);
  const pR = new Int32Array(n);
  let free = 0;
  for (let u = 0; u < n; u++) {
    if (allowed && !allowed[u]) {
      mL[u] = u;
      mR[u] = u;
    } else free++;
  }
  const ok = (v: number) => !allowed || allowed[v] === 1;
  const selfCost = (u: number) => (dummy[u] ? 0 : 1);

  const INF = 0x3fffffff;
  const distL = new Int32Array(n);
  const distR = new Int32Array(n);
  const heap = new MinHeap(n * 2 + 16);
  const layer = new Int32Array(n);
  const it = new Int32Array(n);
  const stackU = new Int32Array(n + 1);
  const stackV = new Int32Array(n + 1);
  const queue = new Int32Array(n);
  // The tight arcs of a phase (self arcs included), in the want lists' order.
  const tightOff = new Int32Array(n + 1);
  const tightTo = new Int32Array(offsets[n] + n);

  while (free > 0) {
    // --- Dijkstra on reduced costs from every free left node.
    distL.fill(INF);
    distR.fill(INF);
    heap.clear();
    for (let u = 0; u < n; u++) {
      if (mL[u] === -1) {
        distL[u] = 0;
        heap.push(0, u);
      }
    }
    let D = INF;
    while (heap.size > 0) {
      const d = heap.topKey();
      const x = heap.pop();
      if (d >= D) break;
      if (x < n) {
        const u = x;
        if (d !== distL[u]) continue;
        const base = d + pL[u];
        const end = offsets[u + 1];
        for (let j = offsets[u]; j <= end; j++) {
          const v = j === end ? u : targets[j];
          const c = j === end ? selfCost(u) : 0;
          if (v === mL[u] || !ok(v)) continue;
          const nd = base + c - pR[v];
          if (nd < distR[v]) {
            distR[v] = nd;
            heap.push(nd, v + n);
          }
        }
      } else {
        const v = x - n;
        if (d !== distR[v]) continue;
        const u2 = mR[v];
        if (u2 === -1) {
          D = d;
          break;
        }
        if (d < distL[u2]) {
          distL[u2] = d;
          heap.push(d, u2);
        }
      }
    }
    if (D === INF) throw new Error('maxCycleCover: no augmenting path (cannot happen with self arcs)');
    for (let u = 0; u < n; u++) {
      pL[u] += distL[u] < D ? distL[u] : D;
      pR[u] += distR[u] < D ? distR[u] : D;
    }

    // --- The arcs tight under the new potentials: the phase's augmenting
    // paths use only these (a tenth or less of the graph), so they are listed once.
    let m = 0;
    for (let u = 0; u < n; u++) {
      tightOff[u] = m;
      if (!ok(u)) continue;
      const end = offsets[u + 1];
      for (let j = offsets[u]; j <= end; j++) {
        const v = j === end ? u : targets[j];
        if (!ok(v)) continue;
        const c = j === end ? selfCost(u) : 0;
        if (c + pL[u] - pR[v] === 0) tightTo[m++] = v;
      }
    }
    tightOff[n] = m;

    // --- Hopcroft–Karp on tight arcs.
    for (;;) {
      // BFS layers over left nodes.
      layer.fill(-1);
      let qh = 0;
      let qt = 0;
      for (let u = 0; u < n; u++) {
        if (mL[u] === -1) {
          layer[u] = 0;
          queue[qt++] = u;
        }
      }
      let foundLayer = INF;
      while (qh < qt) {
        const u = queue[qh++];
        if (layer[u] >= foundLayer) break;
        for (let j = tightOff[u]; j < tightOff[u + 1]; j++) {
          const v = tightTo[j];
          if (v === mL[u]) continue;
          const u2 = mR[v];
          if (u2 === -1) {
            if (foundLayer === INF) foundLayer = layer[u] + 1;
          } else if (layer[u2] === -1) {
            layer[u2] = layer[u] + 1;
            queue[qt++] = u2;
          }
        }
      }
      if (foundLayer === INF) break;
      // Iterative DFS along layers.
      it.set(tightOff.subarray(0, n));
      let augmented = 0;
      for (let s = 0; s < n; s++) {
        if (mL[s] !== -1 || layer[s] !== 0) continue;
        let sp = 0;
        stackU[0] = s;
        while (sp >= 0) {
          const u = stackU[sp];
          const end = tightOff[u + 1];
          let advanced = false;
          while (it[u] < end) {
            const v = tightTo[it[u]++];
            if (v === mL[u]) continue;
            const u2 = mR[v];
            if (u2 === -1) {
              if (layer[u] + 1 !== foundLayer) continue;
              // Augment along the stack.
              stackV[sp] = v;
              for (let k = sp; k >= 0; k--) {
                const uu = stackU[k];
                const vv = stackV[k];
                mL[uu] = vv;
                mR[vv] = uu;
              }
              augmented++;
              free--;
              sp = -1;
              advanced = true;
              break;
            }
            if (layer[u2] !== layer[u] + 1) continue;
            stackV[sp] = v;
            stackU[++sp] = u2;
            advanced = true;
            break;
          }
          if (!advanced) {
            layer[u] = -2; // dead end for this phase
            sp--;
          }
        }
      }
      if (augmented === 0) break;
    }
  }
  return { mL, mR, pL, pR };
}

/** Binary min-heap of (int key, int value). */
class MinHeap {
  private keys: Int32Array;
  private vals: Int32Array;
  size = 0;
  constructor(cap: number) {
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
  }
  clear(): void {
    this.size = 0;
  }
  topKey(): number {
    return this.keys[0];
  }
  push(k: number, v: number): void {
    if (this.size === this.keys.length) {
      const nk = new Int32Array(this.keys.length * 2);
      nk.set(this.keys);
      const nv = new Int32Array(this.vals.length * 2);
      nv.set(this.vals);
      this.keys = nk;
      this.vals = nv;
    }
    let i = this.size++;
    const keys = this.keys;
    const vals = this.vals;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= k) break;
      keys[i] = keys[p];
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = k;
    vals[i] = v;
  }
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0];
    const n = --this.size;
    if (n > 0) {
      const k = keys[n];
      const v = vals[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= k) break;
        keys[i] = keys[c];
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = k;
      vals[i] = v;
    }
    return top;
  }
}

/** Splits a successor array into its cycles (each listed from its smallest node). */
export function cyclesOf(succ: Int32Array): number[][] {
  const n = succ.length;
  const seen = new Uint8Array(n);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s] || succ[s] === s || succ[s] < 0) continue;
    const cyc: number[] = [];
    let u = s;
    while (!seen[u]) {
      seen[u] = 1;
      cyc.push(u);
      u = succ[u];
    }
    out.push(cyc);
  }
  return out;
}

/**
 * The same assignment kept alive between calls, so nodes can be withdrawn and
 * the optimum restored with a few shortest augmenting paths instead of a fresh
 * solve (used to evaluate "if this loop is fixed, what can the rest still
 * trade?"). Every operation costs in proportion to the part of the graph it
 * explores, not to the graph's size, and can be rolled back (a write journal).
 *
 * Warm start keeps the duals feasible: a freed left node's only incoming arc
 * is from the source, so its potential may rise to the common maximum; a freed
 * right node's only outgoing arc is to the sink, so its potential may drop to
 * the common minimum. Then every free left node starts level and every free
 * right node ends level, and the first free right node Dijkstra reaches is a
 * true shortest augmenting path. Potentials are only defined up to a constant,
 * so after a Dijkstra only the nodes it settled below the path length move.
 */
export class WarmAssignment {
  readonly mL: Int32Array;
  readonly mR: Int32Array;
  readonly pL: Int32Array;
  readonly pR: Int32Array;
  readonly alive: Uint8Array;
  private tradedCount = 0;
  private readonly freeL: number[] = [];
  private readonly freeR: number[] = [];
  private readonly distL: Int32Array;
  private readonly distR: Int32Array;
  private readonly stampL: Int32Array;
  private readonly stampR: Int32Array;
  private stamp = 0;
  private readonly parR: Int32Array; // left node that reached R_v
  private readonly heap: MinHeap;
  /** Write journal: (array code, index, old value) triples; null when not journaling. */
  private journal: number[] | null = null;
  /** Nodes whose assignment changed since the last `takeTouched()`. */
  private touched: number[] = [];
  /** Forbidden arcs u → v (keys u * n + v); see `ban`. */
  private readonly banned = new Set<number>();
  private bannedLog: number[] = [];

  constructor(
    readonly g: TradeGraph,
    allowed: Uint8Array,
  ) {
    const n = g.n;
    this.alive = allowed.slice();
    const sol = solveAssignment(g, this.alive);
    this.mL = sol.mL;
    this.mR = sol.mR;
    this.pL = sol.pL;
    this.pR = sol.pR;
    for (let u = 0; u < n; u++) if (this.isTrading(u)) this.tradedCount++;
    this.distL = new Int32Array(n);
    this.distR = new Int32Array(n);
    this.stampL = new Int32Array(n);
    this.stampR = new Int32Array(n);
    this.parR = new Int32Array(n);
    this.heap = new MinHeap(1024);
  }

  private isTrading(u: number): boolean {
    const v = this.mL[u];
    return this.alive[u] === 1 && v >= 0 && v !== u && !this.g.dummy[u];
  }

  /** Real nodes currently trading (not pointing to themselves). */
  traded(): number {
    return this.tradedCount;
  }

  // Journaled writes. Codes: 0 mL, 1 mR, 2 pL, 3 pR, 4 alive.
  private setML(u: number, v: number): void {
    const was = this.isTrading(u);
    if (this.journal) this.journal.push(0, u, this.mL[u]);
    this.mL[u] = v;
    const now = this.isTrading(u);
    if (was !== now) this.tradedCount += now ? 1 : -1;
    this.touched.push(u);
  }
  private setMR(v: number, u: number): void {
    if (this.journal) this.journal.push(1, v, this.mR[v]);
    this.mR[v] = u;
  }
  private setPL(u: number, p: number): void {
    if (this.journal) this.journal.push(2, u, this.pL[u]);
    this.pL[u] = p;
  }
  private setPR(v: number, p: number): void {
    if (this.journal) this.journal.push(3, v, this.pR[v]);
    this.pR[v] = p;
  }
  private setAlive(u: number, a: number): void {
    const was = this.isTrading(u);
    if (this.journal) this.journal.push(4, u, this.alive[u]);
    this.alive[u] = a;
    const now = this.isTrading(u);
    if (was !== now) this.tradedCount += now ? 1 : -1;
    this.touched.push(u);
  }

  /**
   * An independent copy (assignment, duals, bans, scratch state), so that
   * several constructions can start from one solve without redoing it.
   */
  clone(): WarmAssignment {
    const copy = Object.create(WarmAssignment.prototype) as WarmAssignment;
    const src = this as unknown as Record<string, unknown>;
    const dst = copy as unknown as Record<string, unknown>;
    for (const key of Object.keys(src)) {
      const v = src[key];
      if (ArrayBuffer.isView(v)) dst[key] = (v as Int32Array).slice();
      else if (Array.isArray(v)) dst[key] = v.slice();
      else if (v instanceof Set) dst[key] = new Set(v);
      else if (v instanceof MinHeap) dst[key] = new MinHeap(1024);
      else dst[key] = v;
    }
    return copy;
  }

  /** Starts recording writes; `rollback()` undoes everything since. */
  begin(): void {
    this.journal = [];
    this.savedCount = this.tradedCount;
    this.savedTouched = this.touched.length;
    this.savedBans = this.bannedLog.length;
  }
  private savedBans = 0;
  private savedCount = 0;
  private savedTouched = 0;

  rollback(): void {
    const j = this.journal!;
    const arrays = [this.mL, this.mR, this.pL, this.pR] as const;
    for (let i = j.length - 3; i >= 0; i -= 3) {
      const code = j[i];
      if (code === 4) this.alive[j[i + 1]] = j[i + 2];
      else arrays[code][j[i + 1]] = j[i + 2];
    }
    this.tradedCount = this.savedCount;
    this.touched.length = this.savedTouched;
    for (let i = this.bannedLog.length - 1; i >= this.savedBans; i--) this.banned.delete(this.bannedLog[i]);
    this.bannedLog.length = this.savedBans;
    this.journal = null;
  }

  commit(): void {
    this.journal = null;
  }

  /** Nodes whose assignment changed since the last call. */
  takeTouched(): number[] {
    const t = this.touched;
    this.touched = [];
    return t;
  }

  /** Fixes a loop as final: its nodes leave the assignment (no re-solve needed: it is self-contained). */
  retire(loop: readonly number[]): void {
    for (const u of loop) {
      this.setAlive(u, 0);
      this.setML(u, u);
      this.setMR(u, u);
    }
  }

  /**
   * Forbids the arc u → v (u gives to v) and restores optimality; returns real
   * nodes traded after, or -1 when `budget` ran out (then roll back).
   */
  ban(u: number, v: number, budget = Infinity): number {
    const key = u * this.g.n + v;
    if (this.banned.has(key)) return this.tradedCount;
    this.banned.add(key);
    this.bannedLog.push(key);
    if (this.mL[u] === v) {
      this.setML(u, -1);
      this.setMR(v, -1);
      this.freeL.push(u);
      this.freeR.push(v);
    }
    return this.augmentAll(budget) ? this.tradedCount : -1;
  }

  /**
   * Withdraws nodes and restores optimality; returns real nodes traded after,
   * or -1 when `budget` (heap pops per augmentation) ran out — then the state
   * is half-way and must be rolled back.
   */
  remove(nodes: readonly number[], budget = Infinity): number {
    const { mL, mR, alive } = this;
    for (const x of nodes) this.setAlive(x, 0);
    for (const x of nodes) {
      const giver = mR[x];
      const receiver = mL[x];
      if (giver >= 0 && alive[giver] && mL[giver] === x) {
        this.setML(giver, -1);
        this.freeL.push(giver);
      }
      if (receiver >= 0 && alive[receiver] && mR[receiver] === x) {
        this.setMR(receiver, -1);
        this.freeR.push(receiver);
      }
      this.setML(x, x);
      this.setMR(x, x);
    }
    return this.augmentAll(budget) ? this.tradedCount : -1;
  }

  private augmentAll(budget: number): boolean {
    const { g, mL, mR, pL, pR, alive, distL, distR, stampL, stampR, parR, heap, banned } = this;
    const n = g.n;
    const anyBan = banned.size > 0;
    const INF = 0x3fffffff;
    let rounds = 0;
    for (;;) {
      if (++rounds > 4 * n + 10) throw new Error('augmentAll: too many rounds');
      // Live free nodes only, each once (the lists may hold stale entries and repeats).
      const fl = [...new Set(this.freeL)].filter((u) => alive[u] && mL[u] === -1);
      const fr = [...new Set(this.freeR)].filter((v) => alive[v] && mR[v] === -1);
      this.freeL.length = 0;
      this.freeR.length = 0;
      this.freeL.push(...fl);
      this.freeR.push(...fr);
      if (fl.length === 0) return true;
      let maxP = -INF;
      for (const u of fl) if (pL[u] > maxP) maxP = pL[u];
      for (const u of fl) if (pL[u] !== maxP) this.setPL(u, maxP);
      let minQ = INF;
      for (const v of fr) if (pR[v] < minQ) minQ = pR[v];
      for (const v of fr) if (pR[v] !== minQ) this.setPR(v, minQ);
      const st = ++this.stamp;
      const visitedL: number[] = [];
      const visitedR: number[] = [];
      heap.clear();
      for (const u of fl) {
        stampL[u] = st;
        distL[u] = 0;
        visitedL.push(u);
        heap.push(0, u);
      }
      let D = INF;
      let endV = -1;
      let pops = 0;
      while (heap.size > 0) {
        const d = heap.topKey();
        const x = heap.pop();
        if (d >= D) break;
        if (++pops > budget) return false;
        if (x < n) {
          const u = x;
          if (d !== distL[u]) continue;
          const end = g.offsets[u + 1];
          for (let j = g.offsets[u]; j <= end; j++) {
            const v = j === end ? u : g.targets[j];
            if (v === mL[u] || !alive[v]) continue;
            if (anyBan && j !== end && banned.has(u * n + v)) continue;
            const c = j === end ? (g.dummy[u] ? 0 : 1) : 0;
            const nd = d + c + pL[u] - pR[v];
            if (stampR[v] !== st || nd < distR[v]) {
              if (stampR[v] !== st) {
                stampR[v] = st;
                visitedR.push(v);
              }
              distR[v] = nd;
              parR[v] = u;
              heap.push(nd, v + n);
            }
          }
        } else {
          const v = x - n;
          if (d !== distR[v]) continue;
          const u2 = mR[v];
          if (u2 === -1) {
            D = d;
            endV = v;
            break;
          }
          if (stampL[u2] !== st || d < distL[u2]) {
            if (stampL[u2] !== st) {
              stampL[u2] = st;
              visitedL.push(u2);
            }
            distL[u2] = d;
            heap.push(d, u2);
          }
        }
      }
      if (endV < 0) throw new Error('WarmAssignment: no augmenting path');
      for (const u of visitedL) if (distL[u] < D) this.setPL(u, pL[u] - (D - distL[u]));
      for (const v of visitedR) if (distR[v] < D) this.setPR(v, pR[v] - (D - distR[v]));
      // Augment along parents.
      let v = endV;
      let steps = 0;
      for (;;) {
        if (++steps > 4 * n + 10) throw new Error(`augment path loops: endV ${endV}`);
        const u = parR[v];
        const prev = mL[u];
        this.setML(u, v);
        this.setMR(v, u);
        if (prev === -1) break;
        v = prev;
      }
    }
  }
}
