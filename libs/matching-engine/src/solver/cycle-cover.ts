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
        const end = offsets[u + 1];
        for (let j = offsets[u]; j <= end; j++) {
          const v = j === end ? u : targets[j];
          if (v === mL[u] || !ok(v)) continue;
          const c = j === end ? selfCost(u) : 0;
          if (c + pL[u] - pR[v] !== 0) continue;
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
      for (let u = 0; u < n; u++) it[u] = offsets[u];
      let augmented = 0;
      for (let s = 0; s < n; s++) {
        if (mL[s] !== -1 || layer[s] !== 0) continue;
        let sp = 0;
        stackU[0] = s;
        while (sp >= 0) {
          const u = stackU[sp];
          const end = offsets[u + 1];
          let advanced = false;
          while (it[u] <= end) {
            const j = it[u]++;
            const v = j === end ? u : targets[j];
            if (v === mL[u] || !ok(v)) continue;
            const c = j === end ? selfCost(u) : 0;
            if (c + pL[u] - pR[v] !== 0) continue;
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
 * trade?").
 *
 * Warm start keeps the duals feasible: a freed left node's only incoming arc
 * is from the source, so its potential may rise to the common maximum; a freed
 * right node's only outgoing arc is to the sink, so its potential may drop to
 * the common minimum. Then every free left node starts level and every free
 * right node ends level, and the first free right node Dijkstra reaches is a
 * true shortest augmenting path.
 */
export class WarmAssignment {
  readonly mL: Int32Array;
  readonly mR: Int32Array;
  readonly pL: Int32Array;
  readonly pR: Int32Array;
  readonly alive: Uint8Array;
  private readonly distL: Int32Array;
  private readonly distR: Int32Array;
  private readonly parR: Int32Array; // left node that reached R_v
  private readonly heap: MinHeap;

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
    this.distL = new Int32Array(n);
    this.distR = new Int32Array(n);
    this.parR = new Int32Array(n);
    this.heap = new MinHeap(4 * n + 16);
  }

  /** Real nodes currently trading (not pointing to themselves). */
  traded(): number {
    let t = 0;
    for (let u = 0; u < this.g.n; u++) if (this.alive[u] && this.mL[u] !== u && !this.g.dummy[u]) t++;
    return t;
  }

  snapshot(): Int32Array[] {
    return [this.mL.slice(), this.mR.slice(), this.pL.slice(), this.pR.slice(), Int32Array.from(this.alive)];
  }

  restore(s: Int32Array[]): void {
    this.mL.set(s[0]);
    this.mR.set(s[1]);
    this.pL.set(s[2]);
    this.pR.set(s[3]);
    for (let i = 0; i < this.alive.length; i++) this.alive[i] = s[4][i];
  }

  /** Withdraws nodes and restores optimality; returns real nodes traded after. */
  remove(nodes: readonly number[]): number {
    const { mL, mR, alive } = this;
    for (const x of nodes) alive[x] = 0;
    for (const x of nodes) {
      const giver = mR[x];
      const receiver = mL[x];
      if (giver >= 0 && alive[giver] && mL[giver] === x) mL[giver] = -1;
      if (receiver >= 0 && alive[receiver] && mR[receiver] === x) mR[receiver] = -1;
      mL[x] = x;
      mR[x] = x;
    }
    this.augmentAll();
    return this.traded();
  }

  private augmentAll(): void {
    const { g, mL, mR, pL, pR, alive, distL, distR, parR, heap } = this;
    const n = g.n;
    const INF = 0x3fffffff;
    for (;;) {
      let maxP = -INF;
      let minQ = INF;
      let anyFree = false;
      for (let u = 0; u < n; u++) {
        if (!alive[u]) continue;
        if (mL[u] === -1) {
          anyFree = true;
          if (pL[u] > maxP) maxP = pL[u];
        }
        if (mR[u] === -1 && pR[u] < minQ) minQ = pR[u];
      }
      if (!anyFree) return;
      for (let u = 0; u < n; u++) {
        if (!alive[u]) continue;
        if (mL[u] === -1) pL[u] = maxP;
        if (mR[u] === -1) pR[u] = minQ;
      }
      distL.fill(INF);
      distR.fill(INF);
      heap.clear();
      for (let u = 0; u < n; u++) {
        if (alive[u] && mL[u] === -1) {
          distL[u] = 0;
          heap.push(0, u);
        }
      }
      let D = INF;
      let endV = -1;
      while (heap.size > 0) {
        const d = heap.topKey();
        const x = heap.pop();
        if (d >= D) break;
        if (x < n) {
          if (d !== distL[x]) continue;
          const u = x;
          const end = g.offsets[u + 1];
          for (let j = g.offsets[u]; j <= end; j++) {
            const v = j === end ? u : g.targets[j];
            if (v === mL[u] || !alive[v]) continue;
            const c = j === end ? (g.dummy[u] ? 0 : 1) : 0;
            const nd = d + c + pL[u] - pR[v];
            if (nd < distR[v]) {
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
          if (d < distL[u2]) {
            distL[u2] = d;
            heap.push(d, u2);
          }
        }
      }
      if (endV < 0) throw new Error('WarmAssignment: no augmenting path');
      for (let u = 0; u < n; u++) {
        if (!alive[u]) continue;
        pL[u] += distL[u] < D ? distL[u] : D;
        pR[u] += distR[u] < D ? distR[u] : D;
      }
      // Augment along parents.
      let v = endV;
      for (;;) {
        const u = parR[v];
        const prev = mL[u];
        mL[u] = v;
        mR[v] = u;
        if (prev === -1) break;
        v = prev;
      }
    }
  }
}
