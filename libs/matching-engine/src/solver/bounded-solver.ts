import { AdjGraph, TradeGraph, edgeCount, withInEdges } from '../graph/trade-graph';
import { WarmAssignment, cyclesOf } from './cycle-cover';
import { LoopState } from './local-search';
import { lnsImprove } from './repair';
import { packTight } from './tight-pack';
import { xorshift32 } from './random';

/** Default cap on real items (people) in one exchange loop (DESIGN §5.4). */
export const DEFAULT_MAX_CYCLE = 10;

/**
 * Search effort of the dive, for ordinary graphs and for very large ones
 * (where each warm re-solve may explore far more of the graph):
 * - candidates: short loops tried per step, each with a warm re-solve;
 * - searchBudget: heap pops allowed in one such re-solve before the candidate
 *   is given up as too costly to evaluate;
 * - throughStarts: loop nodes from which short loops through other nodes are
 *   sought (besides chords of the loop itself);
 * - localRounds / packBudget: effort of the clean-up passes after the dive
 *   (packBudget: node expansions per free item of the search for a loop
 *   through it; the same on large graphs: at 400 the 100k market's build left
 *   loops of about 2,000 items among free items, 12,757 items traded instead
 *   of 14,720, for 0.5 s less).
 */
const EFFORT = {
  normal: { candidates: 24, searchBudget: 20000, throughStarts: 2, localRounds: 3, packBudget: 4000 },
  dense: { candidates: 24, searchBudget: 20000, throughStarts: 2, localRounds: 1, packBudget: 1000 },
  large: { candidates: 6, searchBudget: 5000, throughStarts: 1, localRounds: 1, packBudget: 4000 },
};
/** Graphs with more edges than this (UK: 278k) get the "dense" effort and no time share for the LNS. */
const DENSE_GRAPH_EDGES = 150_000;
/** Graphs with more nodes than this get the "large" effort. */
const LARGE_GRAPH_NODES = 20000;
/**
 * Large-neighbourhood search: attempts, region size, and its default time
 * budget — a share of the time the solve took until then, capped.
 */
const LNS_ITERATIONS = 400;
const LNS_RADIUS = 120;
const LNS_TIME_SHARE = 0.25;
const LNS_MAX_TIME_MS = 1000;
/**
 * Constructions tried by `solveBounded`, the best kept: (dive seed, arcs tried
 * per ban step; 0 = no ban phase). Dense graphs (UK) get one: there a ban step
 * costs a lot and gains nothing.
 */
const DEFAULT_VARIANTS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, 1000],
  [1, 0],
  [1, 1000],
];
const DENSE_VARIANTS: ReadonlyArray<readonly [number, number]> = [[0, 0]];
/** Graphs with more nodes than this (the engine's markets) build one construction, like dense ones. */
const PORTFOLIO_MAX_NODES = 5000;
/** Loops up to this many nodes are split by 2-swaps (quadratic); longer ones are cut along chords. */
const SPLIT_MAX_NODES = 600;
/** Breadth-first budget (nodes) of one search for short loops through a node. */
const THROUGH_BUDGET = 400;
/** Positions of a long loop searched for chords in one dive step. */
const CHORD_WINDOW = 120;
/** Search budget (node expansions) per start node of the short-cycle search. */
const SEARCH_BUDGET = 4000;

export interface SolveOptions {
  maxCycle?: number;
  /** Only these nodes may be used (others are taken or gone). */
  allowed?: Uint8Array;
  /** Finish with a large-neighbourhood search (default true; off inside it). */
  lns?: boolean;
  /** Time budget of that search in ms (default: LNS_TIME_SHARE of the time spent before it). */
  lnsBudgetMs?: number;
  /** Constructions tried, [seed, ban tries] each; the best is kept (default DEFAULT_VARIANTS). */
  variants?: ReadonlyArray<readonly [number, number]>;
}

export function realCount(g: Pick<AdjGraph, 'dummy'>, cycle: readonly number[]): number {
  let r = 0;
  for (const u of cycle) if (!g.dummy[u]) r++;
  return r;
}

/** Real items traded by a set of loops. */
export function tradedItems(g: Pick<AdjGraph, 'dummy'>, loops: readonly (readonly number[])[]): number {
  return loops.reduce((t, l) => t + realCount(g, l), 0);
}

/**
 * Disjoint loops of 2..maxCycle real items maximising items traded.
 *
 * 1. The unbounded optimum: a min-cost assignment, as TradeMaximizer does.
 * 2. A dive rounds it into short loops: from a loop over the cap, candidate
 *    short loops (closed by a chord of it, or found through other items) are
 *    each withdrawn in turn and the assignment warm-re-solved; the one that
 *    costs the rest the fewest items (then the largest) is fixed. Loops under
 *    the cap stay in the assignment until the end, so re-routing may use them.
 * 3. Short loops among the free remainder; free items slipped into loops.
 * 4. Alternating-move local search, then a large-neighbourhood search.
 *
 * Dense graphs of up to LARGE_GRAPH_NODES nodes go to `packTight` instead
 * (unless `variants` asks for constructions).
 *
 * Deterministic: the same graph gives the same loops.
 */
export function solveBounded(g: TradeGraph, opts: SolveOptions = {}): number[][] {
  const cap = opts.maxCycle ?? DEFAULT_MAX_CYCLE;
  const dense = edgeCount(g) > DENSE_GRAPH_EDGES;
  // Dense graphs of a few thousand items (UK): the tight-edge packing
  // (UK: 579 items in 1.2 s where one dive construction gives 531 in 1.5 s).
  if (dense && g.n <= LARGE_GRAPH_NODES && !opts.variants) return packTight(g, { maxCycle: cap, allowed: opts.allowed });
  const effort = g.n > LARGE_GRAPH_NODES ? EFFORT.large : dense ? EFFORT.dense : EFFORT.normal;
  const usable = opts.allowed ?? new Uint8Array(g.n).fill(1);
  const started = Date.now();
  const variants = opts.variants ?? (g.n > PORTFOLIO_MAX_NODES || dense ? DENSE_VARIANTS : DEFAULT_VARIANTS);
  // The unbounded optimum, and the ban phase's result per ban setting, are the
  // same for every construction (the seed only steers the dive): computed once
  // and copied when several constructions start from them.
  const prepared = new Map<number, WarmAssignment>();
  const startFrom = (banTries: number): WarmAssignment => {
    if (variants.length === 1) return prepareAssignment(g, new WarmAssignment(g, usable), cap, effort, banTries);
    let wa = prepared.get(banTries);
    if (!wa) {
      const plain = prepared.get(0) ?? new WarmAssignment(g, usable);
      prepared.set(0, plain);
      wa = banTries > 0 ? prepareAssignment(g, plain.clone(), cap, effort, banTries) : plain;
      prepared.set(banTries, wa);
    }
    return wa.clone();
  };
  const construct = (seed: number, banTries: number): LoopState => {
    const free = new Uint8Array(g.n);
    free.set(usable);
    const result: number[][] = [];
    diveWithAssignment(g, free, cap, result, effort, seed, startFrom(banTries));
    result.push(...packFree(g, free, cap, undefined, effort.packBudget));
    improveByInsertion(g, result, free, cap);
    const st = new LoopState(g, cap, usable);
    for (const c of result) st.addLoop(c);
    for (let round = 0; round < effort.localRounds; round++) {
      if (st.improveFrom(range(g.n)) === 0) break;
    }
    return st;
  };
  let state: LoopState | null = null;
  let bestItems = -1;
  for (const [seed, banTries] of variants) {
    const st = construct(seed, banTries);
    const loops = st.loops();
    const items = tradedItems(g, loops);
    // Strictly more items only: on a tie the earlier (plainer) construction stands.
    if (items > bestItems) {
      state = st;
      bestItems = items;
    }
  }
  state = state!;
  if (opts.lns !== false) {
    // By default the search gets a share of the time spent so far.
    const budget = opts.lnsBudgetMs ?? (dense ? 0 : Math.min(LNS_MAX_TIME_MS, (LNS_TIME_SHARE * (Date.now() - started)) / variants.length));
    // (Dense graphs get none: there a re-plan is costly and gained nothing.)
    if (budget > 0) {
      lnsImprove(withInEdges(g), state, cap, {
        iterations: LNS_ITERATIONS,
        radius: LNS_RADIUS,
        seed: 12345,
        timeBudgetMs: budget,
        loopScore: (loop) => loopScore(g, loop),
      });
    }
  }
  return state.loops().map(canonicalRotation);
}

/** Rotation of a loop that starts at its smallest node (the canonical form). */
export function canonicalRotation(cycle: number[]): number[] {
  let k = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[k]) k = i;
  return k === 0 ? cycle : cycle.slice(k).concat(cycle.slice(0, k));
}

/**
 * Cuts a loop with too many items into short loops closed by chords,
 * maximising the items kept (DP over a few rotations of the loop).
 */
export function breakLongCycle(g: TradeGraph, cyc: number[], cap: number): number[][] {
  const L = cyc.length;
  const window = cap * 3; // node window (dummies do not count toward the cap)
  let bestTotal = -1;
  let bestSegs: number[][] = [];
  const starts = Math.min(L, 2 * cap + 2);
  const best = new Int32Array(L + 1);
  const from = new Int32Array(L + 1);
  for (let s = 0; s < starts; s++) {
    const a = new Array<number>(L);
    for (let i = 0; i < L; i++) a[i] = cyc[(s + i) % L];
    best[0] = 0;
    for (let i = 0; i < L; i++) {
      // best[i + 1]: prefix a[0..i]
      best[i + 1] = best[i];
      from[i + 1] = -1;
      let real = 0;
      for (let j = i; j >= 0 && i - j < window; j--) {
        if (!g.dummy[a[j]]) real++;
        if (real > cap) break;
        if (real >= 2 && best[j] + real > best[i + 1] && g.hasEdge(a[i], a[j])) {
          best[i + 1] = best[j] + real;
          from[i + 1] = j;
        }
      }
    }
    if (best[L] > bestTotal) {
      bestTotal = best[L];
      const segs: number[][] = [];
      let i = L;
      while (i > 0) {
        if (from[i] === -1) i--;
        else {
          segs.push(a.slice(from[i], i));
          i = from[i];
        }
      }
      bestSegs = segs;
    }
  }
  return bestSegs;
}

/**
 * packFree's work arrays, kept between calls (grown as graphs grow): the
 * engine calls it on every change, from a few starts, and allocating and
 * filling arrays the size of the 100k market's graph cost more than the search.
 * `dist` is all −1 between calls (each search resets what it touched).
 */
let packScratch = { dist: new Int32Array(0), parent: new Int32Array(0), deque: new Int32Array(2) };

function packArrays(n: number): typeof packScratch {
  if (packScratch.dist.length < n) {
    const size = Math.max(n, 2 * packScratch.dist.length);
    packScratch = { dist: new Int32Array(size).fill(-1), parent: new Int32Array(size), deque: new Int32Array(2 * size + 2) };
  }
  return packScratch;
}

/**
 * Closes short loops among free nodes: for each free real node, a 0-1 BFS
 * (dummies cost 0) for the shortest way back to it through free nodes.
 */
export function packFree(g: AdjGraph, free: Uint8Array, cap: number, starts?: Iterable<number>, budget = SEARCH_BUDGET): number[][] {
  const n = g.n;
  const out: number[][] = [];
  const { dist, parent, deque } = packArrays(n);
  const touched: number[] = [];
  const order = starts ?? range(n);
  try {
    for (const s of order) {
      if (!free[s] || g.dummy[s]) continue;
      // 0-1 BFS from s over free nodes; close when an edge x → s exists.
      let head = n + 1;
      let tail = n + 1;
      deque[tail++] = s;
      dist[s] = 1;
      parent[s] = -1;
      touched.push(s);
      let closing = -1;
      let expansions = 0;
      while (head < tail && expansions < budget) {
        const x = deque[head++];
        expansions++;
        const dx = dist[x];
        const outs = g.out(x);
        for (let j = 0; j < outs.length; j++) {
          const y = outs[j];
          if (y === s && x !== s) {
            if (dx >= 2) {
              closing = x;
              break;
            }
            continue;
          }
          if (!free[y] || dist[y] !== -1) continue;
          const dy = dx + (g.dummy[y] ? 0 : 1);
          if (dy > cap) continue;
          dist[y] = dy;
          parent[y] = x;
          touched.push(y);
          if (g.dummy[y]) deque[--head] = y;
          else deque[tail++] = y;
        }
        if (closing !== -1) break;
      }
      if (closing !== -1) {
        const path: number[] = [];
        for (let x = closing; x !== -1; x = parent[x]) path.push(x);
        path.reverse();
        out.push(path);
        for (const u of path) free[u] = 0;
      }
      for (const u of touched) dist[u] = -1;
      touched.length = 0;
    }
  } finally {
    // (Only after a throw is anything left to reset.)
    for (const u of touched) dist[u] = -1;
  }
  return out;
}

/** 0, 1, …, n − 1 (node ids, for the searches that take a start order). */
export function* range(n: number): Iterable<number> {
  for (let i = 0; i < n; i++) yield i;
}

/**
 * Splits a loop over the cap without losing anyone where the want lists allow:
 * a 2-swap (x gives to w, y gives to x's old successor) cuts one loop into two
 * that together hold the same items. Recurses on pieces still too long, and
 * falls back to cutting along chords (which drops some items) when no swap fits.
 */
export function splitLongCycle(g: TradeGraph, cyc: number[], cap: number): number[][] {
  const out: number[][] = [];
  const stack: number[][] = [cyc];
  while (stack.length > 0) {
    const a = stack.pop()!;
    const L = a.length;
    const total = realCount(g, a);
    if (total <= cap) {
      out.push(a);
      continue;
    }
    const pos = new Map<number, number>();
    a.forEach((u, i) => pos.set(u, i));
    const pre = new Int32Array(L + 1); // real items in a[0..i)
    for (let i = 0; i < L; i++) pre[i + 1] = pre[i] + (g.dummy[a[i]] ? 0 : 1);
    // real items on the cyclic stretch a[from..to] inclusive
    const stretch = (from: number, to: number) => (from <= to ? pre[to + 1] - pre[from] : total - (pre[from] - pre[to + 1]));
    let bestI = -1;
    let bestJ = -1;
    let bestKey = -1;
    for (let i = 0; i < L && bestKey < Number.MAX_SAFE_INTEGER; i++) {
      const x = a[i];
      const sx = a[(i + 1) % L];
      for (let k = g.offsets[x]; k < g.offsets[x + 1]; k++) {
        const p = pos.get(g.targets[k]);
        if (p === undefined || p === (i + 1) % L) continue;
        const j = (p - 1 + L) % L;
        if (j === i) continue;
        if (!g.hasEdge(a[j], sx)) continue;
        const rA = stretch((i + 1) % L, j);
        const rB = total - rA;
        if (rA < 2 || rB < 2) continue;
        // Prefer a split that finishes the job; otherwise the most balanced one.
        const key = rA <= cap && rB <= cap ? Number.MAX_SAFE_INTEGER : Math.min(rA, rB) * 1000 + Math.min(Math.max(rA, rB), cap);
        if (key > bestKey) {
          bestKey = key;
          bestI = i;
          bestJ = j;
          if (key === Number.MAX_SAFE_INTEGER) break;
        }
      }
    }
    if (bestI === -1) {
      out.push(...breakLongCycle(g, a, cap));
      continue;
    }
    const pieceA: number[] = [];
    for (let t = (bestI + 1) % L; ; t = (t + 1) % L) {
      pieceA.push(a[t]);
      if (t === bestJ) break;
    }
    const pieceB: number[] = [];
    for (let t = (bestJ + 1) % L; ; t = (t + 1) % L) {
      pieceB.push(a[t]);
      if (t === bestI) break;
    }
    stack.push(pieceA, pieceB);
  }
  return out;
}

/**
 * Local search on a set of loops: slips free items (alone, or one behind a
 * free dummy / with a free dummy after it) into loops that are under the cap,
 * and swaps a free item for a loop member when the ejected member can be slipped
 * in elsewhere. Mutates `cycles` and `free`.
 */
export function improveByInsertion(g: TradeGraph, cycles: number[][], free: Uint8Array, cap: number): void {
  const n = g.n;
  const cycleOf = new Int32Array(n).fill(-1);
  const pred = new Int32Array(n).fill(-1);
  const succ = new Int32Array(n).fill(-1);
  const reals: number[] = [];
  const alive: boolean[] = [];
  const link = (ci: number) => {
    const c = cycles[ci];
    for (let i = 0; i < c.length; i++) {
      const u = c[i];
      const v = c[(i + 1) % c.length];
      cycleOf[u] = ci;
      succ[u] = v;
      pred[v] = u;
    }
  };
  cycles.forEach((c, ci) => {
    reals.push(realCount(g, c));
    alive.push(true);
    link(ci);
  });
  const insertAfter = (x: number, path: number[]) => {
    const ci = cycleOf[x];
    const c = cycles[ci];
    const at = c.indexOf(x);
    c.splice(at + 1, 0, ...path);
    for (const u of path) free[u] = 0;
    reals[ci] = realCount(g, c);
    link(ci);
  };
  /** Tries to slip free real node f (maybe with a free dummy) into some loop. */
  const tryInsert = (f: number): boolean => {
    // f alone, or f then a free dummy d: x → f (→ d) → succ(x)
    for (let k = g.offsets[f]; k < g.offsets[f + 1]; k++) {
      const t = g.targets[k];
      if (cycleOf[t] >= 0) {
        const x = pred[t];
        if (reals[cycleOf[t]] < cap && g.hasEdge(x, f)) {
          insertAfter(x, [f]);
          return true;
        }
      } else if (free[t] && g.dummy[t]) {
        for (let k2 = g.offsets[t]; k2 < g.offsets[t + 1]; k2++) {
          const t2 = g.targets[k2];
          if (cycleOf[t2] < 0) continue;
          const x = pred[t2];
          if (reals[cycleOf[t2]] < cap && g.hasEdge(x, f)) {
            insertAfter(x, [f, t]);
            return true;
          }
        }
      }
    }
    return false;
  };
  // Free dummies in front of f: x → d → f → succ(x). Found through x's out-edges.
  const tryInsertBehindDummy = (f: number): boolean => {
    for (let k = g.offsets[f]; k < g.offsets[f + 1]; k++) {
      const t = g.targets[k];
      if (cycleOf[t] < 0 || reals[cycleOf[t]] >= cap) continue;
      const x = pred[t];
      for (let k2 = g.offsets[x]; k2 < g.offsets[x + 1]; k2++) {
        const d = g.targets[k2];
        if (free[d] && g.dummy[d] && g.hasEdge(d, f)) {
          insertAfter(x, [d, f]);
          return true;
        }
      }
    }
    return false;
  };
  let improved = true;
  for (let round = 0; improved && round < 4; round++) {
    improved = false;
    for (let f = 0; f < n; f++) {
      if (!free[f] || g.dummy[f]) continue;
      if (tryInsert(f) || tryInsertBehindDummy(f)) {
        improved = true;
        continue;
      }
      // Ejection: f replaces y (x → f → succ(y)); then y must fit elsewhere.
      let done = false;
      for (let k = g.offsets[f]; k < g.offsets[f + 1] && !done; k++) {
        const t = g.targets[k];
        if (cycleOf[t] < 0) continue;
        const y = pred[t];
        if (g.dummy[y]) continue;
        const x = pred[y];
        if (x === t || !g.hasEdge(x, f)) continue;
        const ci = cycleOf[y];
        const c = cycles[ci];
        const at = c.indexOf(y);
        c[at] = f;
        free[f] = 0;
        free[y] = 1;
        cycleOf[y] = -1;
        link(ci);
        if (tryInsert(y) || tryInsertBehindDummy(y)) {
          improved = true;
          done = true;
        } else {
          c[at] = y;
          free[f] = 1;
          free[y] = 0;
          cycleOf[f] = -1;
          link(ci);
        }
      }
    }
  }
}

/**
 * The ban phase (when banTries > 0): moves along the optimal face with lossless
 * bans that shorten long loops. Mutates and returns `wa`.
 */
function prepareAssignment(g: TradeGraph, wa: WarmAssignment, cap: number, effort: (typeof EFFORT)['normal'], banTries: number): WarmAssignment {
  let banRound = 0;
  if (banTries > 0) {
    for (let pass = 0; pass < 100; pass++) {
      let any = false;
      for (const cyc of cyclesOf(wa.mL)) {
        if (!wa.alive[cyc[0]] || realCount(g, cyc) <= cap) continue;
        if (banStep(g, wa, cyc, cap, banTries, effort.searchBudget, banRound++)) any = true;
      }
      if (!any) break;
    }
  }
  return wa;
}

/**
 * Rounds the unbounded optimum into short loops: short loops of the current
 * optimum are fixed as they are; from a long loop, candidate short loops closed
 * by a chord are tried, each by withdrawing it and letting the warm assignment
 * re-optimise the rest; the one losing the fewest items (then the largest) is
 * fixed. Repeats until no long loop is left. Mutates `free`, appends to `out`.
 */
function diveWithAssignment(g: TradeGraph, free: Uint8Array, cap: number, out: number[][], effort: (typeof EFFORT)['normal'], seed: number, wa: WarmAssignment): void {
  const rand = xorshift32(seed * 2654435761);
  const fix = (loop: number[]) => {
    out.push(loop);
    for (const u of loop) free[u] = 0;
    wa.retire(loop);
  };
  // Worklist of nodes whose loop must be looked at; starts with one node per loop.
  const work: number[] = [];
  for (const cyc of cyclesOf(wa.mL)) if (wa.alive[cyc[0]]) work.push(cyc[0]);
  wa.takeTouched();
  const trace = (u: number): number[] | null => {
    if (!wa.alive[u] || wa.mL[u] < 0 || wa.mL[u] === u) return null;
    const loop: number[] = [];
    let x = u;
    do {
      loop.push(x);
      x = wa.mL[x];
    } while (x !== u);
    return loop;
  };
  while (work.length > 0) {
    const start = work.pop()!;
    const loop = trace(start);
    if (!loop) continue;
    const r = realCount(g, loop);
    if (r <= cap) {
      // Short loops stay in the assignment, so later re-routing may still use
      // their items; they are fixed at the end.
      continue;
    }
    const pool = chordSegments(g, loop, cap).concat(cyclesThrough(g, wa.alive, loop.slice(0, effort.throughStarts), cap));
    if (seed !== 0) for (const c of pool) c.start = rand();
    const cands = pool
      .sort((x, y) => y.real - x.real || x.start - y.start)
      .slice(0, effort.candidates);
    const base = wa.traded();
    let best: Segment | null = null;
    let bestLoss = Infinity;
    let applied = false;
    for (const c of cands) {
      wa.begin();
      const after = wa.remove(c.nodes, effort.searchBudget);
      const loss = after < 0 ? Infinity : base - c.real - after;
      if (loss <= 0) {
        // Nothing can do better: keep this re-solve instead of redoing it.
        wa.commit();
        applied = true;
        best = c;
        break;
      }
      wa.rollback();
      if (loss < bestLoss) {
        bestLoss = loss;
        best = c;
      }
    }
    if (best) {
      if (!applied) wa.remove(best.nodes);
      out.push(best.nodes);
      for (const u of best.nodes) free[u] = 0;
    } else {
      // No candidate, or re-routing around them is too costly to evaluate:
      // take the whole loop out (it is self-contained, nothing to re-solve)
      // and cut it into short loops where the want lists allow.
      wa.retire(loop);
      const pieces = loop.length <= SPLIT_MAX_NODES ? splitLongCycle(g, loop, cap) : breakLongCycle(g, loop, cap);
      for (const piece of pieces) {
        const pr = realCount(g, piece);
        if (pr < 2 || pr > cap) continue;
        out.push(piece);
        for (const u of piece) free[u] = 0;
      }
    }
    for (const u of wa.takeTouched()) work.push(u);
    work.push(start);
  }
  for (const cyc of cyclesOf(wa.mL)) {
    if (!wa.alive[cyc[0]]) continue;
    const r = realCount(g, cyc);
    if (r >= 2 && r <= cap) fix(cyc);
  }
}

/** Items lost by a ban count this much against the excess it removes (large: lossless bans only). */
const BAN_LAMBDA = 1000;

/** Items of the assignment's loops beyond the cap, summed (0 when every loop is short enough). */
function excessOf(g: TradeGraph, wa: WarmAssignment, cap: number, seen: Int32Array, stamp: number): number {
  let ex = 0;
  for (let s = 0; s < g.n; s++) {
    if (seen[s] === stamp || !wa.alive[s] || wa.mL[s] < 0 || wa.mL[s] === s) continue;
    let r = 0;
    let x = s;
    do {
      seen[x] = stamp;
      if (!g.dummy[x]) r++;
      x = wa.mL[x];
    } while (x !== s && x >= 0);
    if (r > cap) ex += r - cap;
  }
  return ex;
}

let banSeen = new Int32Array(0);
let banStamp = 0;
/**
 * Moves along the optimal face: forbids one arc of a long loop at a time and
 * lets the warm assignment re-route; keeps the ban that loses nothing and
 * shortens the long loops most. Returns false when no arc of the loop helps.
 */
function banStep(g: TradeGraph, wa: WarmAssignment, loop: number[], cap: number, tries: number, budget: number, round: number): boolean {
  if (banSeen.length < g.n) banSeen = new Int32Array(g.n);
  const ex0 = excessOf(g, wa, cap, banSeen, ++banStamp);
  const base = wa.traded();
  const L = loop.length;
  let bestI = -1;
  let bestDelta = 0;
  const shift = (round * 7919) % L;
  tries = Math.min(tries, L);
  for (let k = 0; k < tries; k++) {
    const i = (shift + Math.floor((k * L) / tries)) % L;
    const u = loop[i];
    const v = loop[(i + 1) % L];
    wa.begin();
    const after = wa.ban(u, v, budget);
    const ok = after >= 0;
    const delta = ok ? excessOf(g, wa, cap, banSeen, ++banStamp) - ex0 + BAN_LAMBDA * (base - after) : 0;
    wa.rollback();
    if (ok && delta < bestDelta) {
      bestDelta = delta;
      bestI = i;
    }
  }
  if (bestI < 0) return false;
  wa.ban(loop[bestI], loop[(bestI + 1) % L]);
  return true;
}

/**
 * Short loops through each start using any live node: one breadth-first tree
 * from the start (dummies cost nothing), closed by every edge back to it.
 */
function cyclesThrough(g: TradeGraph, alive: Uint8Array, starts: number[], cap: number): Segment[] {
  const out: Segment[] = [];
  const dist = new Map<number, number>();
  const parent = new Map<number, number>();
  for (const v of starts) {
    if (!alive[v] || g.dummy[v]) continue;
    dist.clear();
    parent.clear();
    dist.set(v, 1);
    const queue: number[] = [v];
    for (let head = 0; head < queue.length && head < THROUGH_BUDGET; head++) {
      const x = queue[head];
      const dx = dist.get(x)!;
      if (x !== v && g.hasEdge(x, v) && dx >= 2) {
        const nodes: number[] = [];
        for (let y = x; y !== v; y = parent.get(y)!) nodes.push(y);
        nodes.push(v);
        nodes.reverse();
        out.push({ nodes, real: dx, start: -1 });
      }
      for (let k = g.offsets[x]; k < g.offsets[x + 1]; k++) {
        const y = g.targets[k];
        if (!alive[y] || dist.has(y)) continue;
        const dy = dx + (g.dummy[y] ? 0 : 1);
        if (dy > cap) continue;
        dist.set(y, dy);
        parent.set(y, x);
        queue.push(y);
      }
    }
  }
  return out;
}

interface Segment {
  nodes: number[];
  real: number;
  start: number;
}

/** Sum of the edge scores around a loop. */
export function loopScore(g: TradeGraph, loop: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < loop.length; i++) {
    const u = loop[i];
    const v = loop[(i + 1) % loop.length];
    for (let j = g.offsets[u]; j < g.offsets[u + 1]; j++) {
      if (g.targets[j] === v) {
        total += g.scores[j];
        break;
      }
    }
  }
  return total;
}

/** Stretches a[p..q] of a loop (2..cap real items) that a chord a[q] → a[p] closes. */
function chordSegments(g: TradeGraph, a: number[], cap: number): Segment[] {
  const L = a.length;
  const pos = new Map<number, number>();
  a.forEach((u, i) => pos.set(u, i));
  const out: Segment[] = [];
  // Carve from the start of the loop: chords ending in the first window only.
  const window = Math.min(L, CHORD_WINDOW);
  for (let q = 0; q < window; q++) {
    const x = a[q];
    for (let k = g.offsets[x]; k < g.offsets[x + 1]; k++) {
      const p = pos.get(g.targets[k]);
      if (p === undefined) continue;
      const len = (q - p + L) % L + 1;
      if (len >= L || len > 4 * cap) continue;
      const nodes: number[] = [];
      for (let t = 0; t < len; t++) nodes.push(a[(p + t) % L]);
      const real = realCount(g, nodes);
      if (real >= 2 && real <= cap) out.push({ nodes, real, start: p });
    }
  }
  return out;
}
