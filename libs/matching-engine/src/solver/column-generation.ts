import highsLoader, { type Highs, type Model } from 'highs';
import { TradeGraph, edgeSubgraph, edgesWithin } from '../graph/trade-graph';
import { DEFAULT_MAX_CYCLE, canonicalRotation, range, realCount, solveBounded, splitLongCycle, tradedItems } from './bounded-solver';
import { cyclesOf, maxCycleCover, nearTight, optimumItems, solveAssignment } from './cycle-cover';
import { LoopState } from './local-search';
import { xorshift32 } from './random';
import { Steps, runToEnd } from './steps';
import { TightPacker, packTight } from './tight-pack';

/**
 * Loop planning by linear programming (the cycle formulation):
 *
 *   maximise Σ_c items(c)·x_c  subject to  Σ_{c ∋ v} x_c ≤ 1 for every node v,
 *
 * one column per loop of 2..cap real items. There are far too many loops to
 * list, so they are generated: start from a plan's loops, solve the linear
 * relaxation, and price — look for loops whose items outweigh the duals of the
 * nodes they use (a layered longest-path search per anchor item) — until none
 * is found or the round limit is reached (first over the edges near tight
 * under the unbounded optimum's duals, then over all). Dives over the
 * generated loops then round the relaxation into disjoint loops. The LP
 * solver is HiGHS (MIT, WebAssembly).
 *
 * Every limit here is a count (rounds, loops per anchor), so the same graph
 * always gives the same loops; the wall-time limit (`timeLimitMs`: pricing
 * stops, and the dives complete greedily, see `dive`) is a safety net for
 * pathological graphs and the budget of `lpImprove`'s passes. A plan wanted
 * within a given time (`budgetMs`) shares that time out instead, and then
 * depends on the machine's speed.
 */

/** Pricing rounds at most (each: one LP solve and one search per anchor item). */
export const LP_MAX_ROUNDS = 40;
/** Loops a single anchor item contributes per round (its best-priced ones). */
export const LP_LOOPS_PER_ANCHOR = 3;
/** Safety net on the whole call's wall time. */
export const LP_TIME_LIMIT_MS = 180_000;
/**
 * Graphs with more edges than this are planned with the LP only within the
 * unbounded optimum's neighbourhood (and by the combinatorial solver if even
 * that has more): pricing scans the graph per anchor, and on the whole UK
 * file (278k edges) one round takes seconds.
 */
export const LP_MAX_EDGES = 150_000;
/**
 * Pricing rounds when planning within the unbounded optimum's neighbourhood
 * (graphs over LP_MAX_EDGES), where a round costs seconds. UK file: 12 rounds
 * 595 items, 16 rounds 602, 20 rounds 622-623 (about 80 s with the whole planning).
 */
export const LP_NEIGHBOURHOOD_ROUNDS = 20;

/**
 * Pricing searches the edges within this many items of tight under the
 * unbounded optimum's duals first (see nearTight), and the whole graph once
 * that relaxation is solved; negative: the whole graph from the start.
 * Measured (npm run bench:matching, the 8 files up to 2,090 items): 10-35 %
 * less time, the same 1,379 items in all (files ±4, the dives' spread);
 * slack 0 alone (no second phase) loses items (greece 89, brazil 181).
 */
export const LP_SPARSE_SLACK = 1;
/**
 * Planning within a budget (`budgetMs`): the first columns are `packTight`'s
 * plan after this many ruin-and-recreate steps, then the unbounded optimum's
 * items slipped in, where `coverStart` would be weaker. On the denser files
 * few rounds fit and the start is what the planning falls back on: within
 * TradeMaximizer's times, from `coverStart` xmas ended at 244-256 items and
 * one-is-enough at 250 (their lower bounds 251 and 270), from this start at
 * 267-282 and 283. More steps cost the LP its rounds (1,000: canada 149), and
 * packTight's own slip-in (from every item: 20 ms on canada, no item there)
 * left canada at 153-155 in some runs.
 */
export const BUDGET_START_STEPS = 300;
/**
 * Within a budget, the search stops at this share of it — pricing, with the
 * dives (and the final slip-in from the optimum's items) in the rest, or on
 * graphs too dense for the LP `packTight`'s steps, with its slip-in after.
 * Measured within TradeMaximizer's times (repeated runs in one warm
 * process): canada needs 7 pricing rounds (about 140 ms) for 160 items
 * and ends at 148-156 with 6; at 0.5 it never got 7, at 0.8 the dives were cut
 * (153 and 159 after 7-8 rounds), at 0.75 it reached 160-163 once 7 fitted.
 */
export const BUDGET_SEARCH_SHARE = 0.75;
/**
 * Within a budget, once BUDGET_PROBE_ROUNDS pricing rounds have run: if their
 * pace leaves room for fewer than this many before pricing must stop, the LP
 * is left and the packer that made the start goes on for the rest of the
 * budget (its plan never gets worse; no dives). Within TradeMaximizer's times,
 * in a warm process, the pace allowed 9-12 rounds on canada and brazil, 5-12
 * on ask, 20-35 on greece, but under 4 on xmas, one-is-enough and romania,
 * whose few rounds' dives rarely beat the start: handed over, xmas went from
 * 267-286 items to 302-305 and one-is-enough from 283 to 304-306 (romania 76
 * either way). Canada needs 7 rounds for its 160 items.
 */
export const BUDGET_MIN_ROUNDS = 5;
/** Pricing rounds that run before the pace is judged (the first ones are the cheapest). */
export const BUDGET_PROBE_ROUNDS = 2;

/** Loops whose reduced cost is below minus this when pricing ends are left out of the dives (see roundingModel). */
const DIVE_REDUCED_COST_FLOOR = 0.3;
/** Reduced costs below this are zero (floating-point noise of the LP). */
const EPS = 1e-6;
/** LP values this close to 0 or 1 count as integral. */
const INTEGRAL = 1e-6;

export interface LpPlanOptions {
  maxCycle?: number;
  /** Only these nodes may be used. */
  allowed?: Uint8Array;
  /** Plan to start from: its loops are the first columns, and it is returned if rounding does worse (default: `coverStart`'s; loops outside `allowed` are dropped). */
  start?: number[][];
  maxRounds?: number;
  loopsPerAnchor?: number;
  timeLimitMs?: number;
  /** `planLoops`: the whole graph goes to the LP up to this many edges (default LP_MAX_EDGES). */
  lpMaxEdges?: number;
  /** Price the edges within this many items of tight first (default LP_SPARSE_SLACK; negative: the whole graph from the start). */
  sparseSlack?: number;
  /**
   * Plan within about this many milliseconds: the start is `packTight`'s
   * (BUDGET_START_STEPS steps), pricing stops at BUDGET_SEARCH_SHARE of the
   * budget, the dives take the rest, and the slip-ins start only from the
   * items the unbounded optimum trades; where the first rounds are too slow
   * for the budget (BUDGET_MIN_ROUNDS) the start's packer gets the rest
   * instead of the LP. Graphs over `lpMaxEdges` edges go to
   * `packTight` alone, its steps (as many as fit) stopped at the same share.
   * An aim, not a guarantee: a solve or a search step under way runs to its
   * end. The plan then depends on the machine's speed.
   */
  budgetMs?: number;
}

export interface LpPlanStats {
  /** Items traded by the starting plan. */
  startItems: number;
  /** Items traded by the returned plan. */
  items: number;
  /** Optimum of the linear relaxation over the generated loops (an upper bound once pricing finds nothing). */
  lpBound: number;
  /** True when the last pricing round found no improving loop (lpBound is then the relaxation's optimum, up to pricing's reach). */
  converged: boolean;
  columns: number;
  rounds: number;
  /** Of those, the rounds that priced only the near-tight edges (0 with `sparseSlack` negative). */
  nearTightRounds: number;
  pricingMs: number;
  roundingMs: number;
  /** Within a budget: too few pricing rounds fitted, and the starting plan's packer had the rest of the time instead of the dives (see BUDGET_MIN_ROUNDS); its steps count as roundingMs. */
  handedOver: boolean;
}

let loading: Promise<Highs> | null = null;

/** Loads the HiGHS WebAssembly module once per process (the only asynchronous step). */
export function loadLpSolver(): Promise<Highs> {
  loading ??= highsLoader();
  return loading;
}

/**
 * How `planLoops` plans a graph: the LP on the whole graph, the LP on the
 * unbounded optimum's neighbourhood, combinatorially, or (a graph over
 * `lpMaxEdges` within a budget) `packTight` alone.
 */
export type PlanMethod = 'lp' | 'lp-neighbourhood' | 'combinatorial' | 'tight-pack';

/** The method `planLoops` uses for this graph. */
export function planMethod(g: TradeGraph, opts: LpPlanOptions = {}): PlanMethod {
  return planScope(g, opts).method;
}

/**
 * The best plan this library makes for a graph: the LP planning where the
 * graph is sparse enough for its pricing; on denser graphs the LP planning
 * within the unbounded optimum's neighbourhood (`optimumNeighbourhood`);
 * the combinatorial solver when even that is too dense.
 */
export async function planLoops(g: TradeGraph, opts: LpPlanOptions = {}): Promise<number[][]> {
  return planLoopsWith(await loadLpSolver(), g, opts);
}

/** `planLoops` with a loaded solver: synchronous. */
export function planLoopsWith(highs: Highs, g: TradeGraph, opts: LpPlanOptions = {}): number[][] {
  const cap = opts.maxCycle ?? DEFAULT_MAX_CYCLE;
  const scope = planScope(g, opts);
  if (scope.method === 'tight-pack') {
    return packTight(g, { maxCycle: cap, allowed: opts.allowed, iterations: Infinity, timeLimitMs: BUDGET_SEARCH_SHARE * (opts.budgetMs ?? 0), widen: true });
  }
  if (scope.method === 'combinatorial') return solveBounded(g, { maxCycle: cap, allowed: opts.allowed });
  if (scope.method === 'lp') return planWithLp(highs, g, opts).loops;
  // Pricing stops before it converges here, so the first columns matter: the
  // combinatorial solver's plan (UK: 506 items, 1.5 s) rather than coverStart's
  // (390 items) ends 4-9 items higher. (Asked for one construction, not
  // `packTight`: from its plan, 568 items in the neighbourhood, the LP ends at 617.)
  const start = opts.start ?? solveBounded(g, { maxCycle: cap, allowed: scope.allowed, lns: false, variants: [[0, 0]] });
  // Pricing on the near-tight edges first is left out here: it ends at 615-617
  // items (40 s) instead of 623 (70 s), as the rounds run out before the whole
  // neighbourhood is priced.
  const { loops } = planWithLp(highs, g, { maxRounds: LP_NEIGHBOURHOOD_ROUNDS, sparseSlack: -1, ...opts, start, allowed: scope.allowed });
  // Items outside the neighbourhood may still slip into the planned loops.
  const state = new LoopState(g, cap, opts.allowed ?? new Uint8Array(g.n).fill(1));
  for (const loop of loops) state.addLoop(loop);
  state.improveFrom(range(g.n));
  return state.loops().map(canonicalRotation);
}

function planScope(g: TradeGraph, opts: LpPlanOptions): { method: PlanMethod; allowed?: Uint8Array } {
  const maxEdges = opts.lpMaxEdges ?? LP_MAX_EDGES;
  if (edgesWithin(g, opts.allowed) <= maxEdges) return { method: 'lp' };
  // One LP round over such a graph's neighbourhood takes seconds (UK): no budget has room for it.
  if (opts.budgetMs !== undefined) return { method: 'tight-pack' };
  const near = optimumNeighbourhood(g, opts.allowed);
  if (edgesWithin(g, near) <= maxEdges) return { method: 'lp-neighbourhood', allowed: near };
  return { method: 'combinatorial' };
}

/**
 * The nodes the unbounded optimum trades (TradeMaximizer's assignment), plus
 * every node that could be slipped between two of them (an edge in from one
 * and out to one). On the UK file: 3,412 of 9,549 nodes, 68k of 278k edges,
 * and a plan of 623 items where the combinatorial solver finds 531.
 */
export function optimumNeighbourhood(g: TradeGraph, allowed?: Uint8Array): Uint8Array {
  const n = g.n;
  const succ = maxCycleCover(g, allowed);
  const core = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (succ[v] >= 0 && succ[v] !== v) core[v] = 1;
  const fromCore = new Uint8Array(n);
  const toCore = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
      const w = g.targets[e];
      if (core[v]) fromCore[w] = 1;
      if (core[w]) toCore[v] = 1;
    }
  }
  const out = new Uint8Array(n);
  for (let v = 0; v < n; v++) if ((!allowed || allowed[v]) && (core[v] || (fromCore[v] && toCore[v]))) out[v] = 1;
  return out;
}

/** The planning itself: synchronous once the solver is loaded. */
export function planWithLp(highs: Highs, g: TradeGraph, opts: LpPlanOptions = {}): LpPlan {
  return runToEnd(planWithLpSteps(highs, g, opts));
}

export interface LpPlan {
  loops: number[][];
  stats: LpPlanStats;
}

/**
 * `planWithLp` as a generator that pauses after each pricing round and each
 * re-solve of the dives (a few to a few tens of milliseconds each), so that a
 * caller can let other work run in between (`runYielding`). Its value is the plan.
 */
export function* planWithLpSteps(highs: Highs, g: TradeGraph, opts: LpPlanOptions = {}): Steps<LpPlan> {
  const cap = opts.maxCycle ?? DEFAULT_MAX_CYCLE;
  const n = g.n;
  const usable = opts.allowed ?? new Uint8Array(n).fill(1);
  const began = Date.now();
  const budget = opts.budgetMs;
  const deadline = began + Math.min(opts.timeLimitMs ?? LP_TIME_LIMIT_MS, budget ?? Infinity);
  // Within a budget pricing leaves its last part to the dives.
  const pricingDeadline = budget === undefined ? deadline : Math.min(deadline, began + BUDGET_SEARCH_SHARE * budget);
  const sparse = opts.sparseSlack ?? LP_SPARSE_SLACK;
  // The unbounded optimum with its duals (the first columns, the near-tight edges): solved once, if needed.
  let assignment: ReturnType<typeof solveAssignment> | undefined;
  const unbounded = () => (assignment ??= solveAssignment(g, usable));
  // (A starting loop through a node outside `allowed` is dropped.)
  // Within a budget the slip-ins start only from the items the unbounded optimum
  // trades: on the nine files they find all or nearly all that a slip-in from
  // every item finds (xmas 267 of 272, greece 84 of 85, the others the same)
  // in 1-5 ms instead of 9-23.
  const slipFrom = () => (budget === undefined ? range(n) : optimumItems(g, unbounded().mL, usable));
  // Within a budget the packer that made the start is kept: it may get the rest of the time.
  let packer: TightPacker | undefined;
  const slippedIn = (plan: readonly number[][]) => {
    const state = new LoopState(g, cap, usable);
    for (const loop of plan) state.addLoop(loop);
    state.improveFrom(slipFrom());
    return state.loops().map(canonicalRotation);
  };
  const first = () => {
    if (budget === undefined) return coverStart(g, cap, usable, unbounded().mL);
    packer = new TightPacker(g, cap, usable, unbounded(), xorshift32(1), true);
    packer.search(BUDGET_START_STEPS);
    return slippedIn(packer.plan());
  };
  const start = (opts.start ?? first()).filter((loop) => loop.every((v) => usable[v]));
  yield;
  const startItems = tradedItems(g, start);
  const stats: LpPlanStats = { startItems, items: startItems, lpBound: startItems, converged: false, columns: 0, rounds: 0, nearTightRounds: 0, pricingMs: 0, roundingMs: 0, handedOver: false };
  const cyclic = nodesOnCycles(g, usable);
  // One row per node that can be on a loop at all: the others never appear in a column.
  const rowOf = new Int32Array(n).fill(-1);
  const nodeOf: number[] = [];
  for (let v = 0; v < n; v++) {
    if (!cyclic[v]) continue;
    rowOf[v] = nodeOf.length;
    nodeOf.push(v);
  }
  const model = loopModel(highs, nodeOf.length, deadline);
  try {
    const columns = new ColumnPool(g, model, rowOf);
    for (const loop of start) columns.add(loop);
    // First on the near-tight edges (7-23 % of them on the nine files), then on all:
    // the second phase starts from nearly final prices and proves the relaxation solved.
    // (Built when their phase starts: a budget often ends within the first.)
    const phases = [() => new LoopPricer(g, cap, cyclic)];
    if (sparse >= 0) phases.unshift(() => new LoopPricer(g, cap, cyclic, nearTight(unbounded(), sparse)));
    const maxRounds = opts.maxRounds ?? LP_MAX_ROUNDS;
    const pricingStarted = Date.now();
    // Set when a solve stopped at the deadline (HiGHS's time limit): its prices are not an optimum's.
    let cutShort = false;
    for (const [phase, makePricer] of phases.entries()) {
      stats.converged = false;
      if (stats.rounds >= maxRounds || Date.now() >= pricingDeadline || cutShort) break;
      const pricer = makePricer();
      let partial = false;
      while (stats.rounds < maxRounds && Date.now() < pricingDeadline && !cutShort) {
        stats.rounds++;
        // With no loop yet (an empty starting plan) there is nothing to solve: every price is zero.
        let duals: Float64Array = new Float64Array(n);
        if (columns.size > 0) {
          model.run();
          if (!solved(highs, model)) {
            cutShort = true;
            break;
          }
          stats.lpBound = model.getObjectiveValue();
          const rowDual = model.getSolution().rowDual;
          for (let r = 0; r < nodeOf.length; r++) duals[nodeOf[r]] = rowDual[r];
          yield;
        }
        const found = pricer.price(duals, opts.loopsPerAnchor ?? LP_LOOPS_PER_ANCHOR, partial, pricingDeadline);
        let added = 0;
        for (const loop of found) if (columns.add(loop)) added++;
        if (phase < phases.length - 1) stats.nearTightRounds++;
        // (A search cut short by the deadline proves nothing.)
        stats.converged = added === 0 && !partial && Date.now() <= pricingDeadline;
        if (stats.converged) break;
        // Rounds search only the anchors that found loops last time, until they
        // find nothing; then a full round decides whether the relaxation is solved.
        partial = added > 0;
        if (packer && stats.rounds === BUDGET_PROBE_ROUNDS && tooFewRounds(Date.now() - pricingStarted, pricingDeadline - Date.now())) {
          stats.handedOver = true;
          break;
        }
        yield;
      }
      if (stats.handedOver) break;
    }
    stats.pricingMs = Date.now() - pricingStarted;
    stats.columns = columns.size;
    const roundingStarted = Date.now();
    let chosen: number[][] = [];
    let chosenCount = -1;
    if (packer && stats.handedOver) {
      // The packer's steps take the dives' time as well (its final slip-in costs 1-5 ms).
      packer.search(Infinity, deadline);
      chosen = slippedIn(packer.plan());
      chosenCount = tradedItems(g, chosen);
    }
    // Past the deadline already: the start plan stands (rounding costs at least two solves).
    else if (columns.size > 0 && !cutShort && Date.now() <= deadline) {
      const rounding = roundingModel(highs, model, columns, g, nodeOf, rowOf, deadline);
      yield;
      try {
        for (const rule of DIVE_RULES) {
          // Past the deadline, the best plan in hand is returned.
          if (chosenCount >= 0 && Date.now() > deadline) break;
          const loops = yield* dive(highs, rounding.model, rounding.columns, g, rule, deadline);
          const count = tradedItems(g, loops);
          if (count > chosenCount) {
            chosen = loops;
            chosenCount = count;
          }
        }
      } finally {
        rounding.model.dispose();
      }
    }
    stats.roundingMs = Date.now() - roundingStarted;
    const plan = chosenCount >= startItems && disjoint(n, chosen) ? chosen : start;
    // Slip leftover items into the chosen loops where the want lists allow
    // (handed over, both plans have had theirs).
    const loops = stats.handedOver ? plan : slippedIn(plan);
    stats.items = tradedItems(g, loops);
    return { loops, stats };
  } finally {
    model.dispose();
  }
}

/** Whether BUDGET_PROBE_ROUNDS rounds in `spentMs`, at that pace, leave room for fewer than BUDGET_MIN_ROUNDS in all within `leftMs` more. */
export function tooFewRounds(spentMs: number, leftMs: number): boolean {
  const done = BUDGET_PROBE_ROUNDS;
  return done + Math.max(0, leftMs) / Math.max(1, spentMs / done) < BUDGET_MIN_ROUNDS;
}

/**
 * A quick first plan for the LP's first columns: the unbounded optimum's loops
 * (TradeMaximizer's assignment), those over the cap split where the want lists
 * allow (`splitLongCycle`), then free items slipped in. Measured against the
 * combinatorial solver's plan as the start (one construction): 10-40 % fewer
 * items to start from, the same items after the LP within the dives' spread,
 * and 50-400 ms sooner (UK 1.5 s → 0.7 s).
 */
export function coverStart(g: TradeGraph, cap: number, usable: Uint8Array, cover = maxCycleCover(g, usable)): number[][] {
  const state = new LoopState(g, cap, usable);
  for (const loop of cyclesOf(cover)) {
    if (realCount(g, loop) >= 2) for (const piece of splitLongCycle(g, loop, cap)) if (realCount(g, piece) >= 2) state.addLoop(piece);
  }
  state.improveFrom(range(g.n));
  return state.loops().map(canonicalRotation);
}

/**
 * An LP maximising over loops, with `rows` node rows (each node in at most one
 * loop) and no columns yet. HiGHS's time limit (summed over the model's solves)
 * ends at the deadline: a degenerate solve can take a second on a region of a
 * few thousand nodes.
 */
function loopModel(highs: Highs, rows: number, deadline: number): Model {
  const model = highs.createModel();
  model.options.set({ output_flag: false, time_limit: Math.max(0.001, (deadline - Date.now()) / 1000) });
  model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
  const empty = { indices: new Int32Array(0), values: new Float64Array(0) };
  for (let r = 0; r < rows; r++) model.addRow(-highs.infinity, 1, empty);
  return model;
}

/**
 * The LP the dives work on: the same rows, and only the loops that could still
 * matter — those in the relaxation's solution and those whose reduced cost is
 * at least −DIVE_REDUCED_COST_FLOOR. On the nine files that is a fifth to a
 * half of the generated loops; the dives' re-solves get 2-4 times faster (UK
 * 129 → 82 s whole, one-is-enough 12 → 9 s) for the same items give or take
 * the dives' own spread.
 */
function roundingModel(highs: Highs, model: Model, columns: ColumnPool, g: TradeGraph, nodeOf: readonly number[], rowOf: Int32Array, deadline: number): { model: Model; columns: ColumnPool } {
  model.run();
  const solution = model.getSolution();
  const dual = new Float64Array(g.n);
  for (let r = 0; r < nodeOf.length; r++) dual[nodeOf[r]] = solution.rowDual[r];
  const out = loopModel(highs, nodeOf.length, deadline);
  try {
    const kept = new ColumnPool(g, out, rowOf);
    for (let c = 0; c < columns.size; c++) {
      const loop = columns.loop(c);
      let reduced = 0;
      for (const v of loop) reduced += (g.dummy[v] ? 0 : 1) - dual[v];
      if (solution.colValue[c] > INTEGRAL || reduced >= -DIVE_REDUCED_COST_FLOOR) kept.add(loop);
    }
    return { model: out, columns: kept };
  } catch (error) {
    out.dispose();
    throw error;
  }
}

/**
 * Rounds the relaxation by diving: fixes a fractional loop (by the rule) and
 * re-solves (warm, a few milliseconds) until the solution is
 * integral. Each fix forces the loops sharing a node to zero through the rows.
 * (A branch-and-bound over the same loops gains 1-3 % more items at 10-100
 * times the time on these graphs; measured, not kept.) Past the deadline the
 * dive stops fixing and completes greedily (`completeGreedily`).
 */
function* dive(highs: Highs, model: Model, columns: ColumnPool, g: TradeGraph, rule: DiveRule, deadline: number): Steps<number[][]> {
  const fixed: number[] = [];
  try {
    for (;;) {
      model.run();
      const x = model.getSolution().colValue;
      if (!solved(highs, model) || Date.now() > deadline) return completeGreedily(fixed, x, columns, g);
      let pick = -1;
      let bestValue = -1;
      for (let c = 0; c < x.length; c++) {
        const v = x[c];
        if (v > INTEGRAL && v < 1 - INTEGRAL) {
          const loop = columns.loop(c);
          const score = diveScore(rule, v, loop, realCount(g, loop), c);
          if (score > bestValue) {
            bestValue = score;
            pick = c;
          }
        }
      }
      if (pick === -1) {
        const out: number[][] = [];
        for (let c = 0; c < x.length; c++) if (x[c] > 0.5) out.push(columns.loop(c));
        return out;
      }
      model.changeColBounds(pick, 1, 1);
      fixed.push(pick);
      yield;
    }
  } finally {
    // Undo the fixes, so that another dive starts from the relaxation.
    for (const c of fixed) model.changeColBounds(c, 0, 1);
  }
}

function solved(highs: Highs, model: Model): boolean {
  return model.getModelStatus() === highs.constants.modelStatus.optimal;
}

/**
 * A dive cut short: the loops it fixed, then those of the last solution by
 * decreasing value (a solve stopped by the time limit may leave any values),
 * each kept when it shares no node with those already kept. Disjoint by
 * construction.
 */
function completeGreedily(fixed: readonly number[], x: Float64Array, columns: ColumnPool, g: TradeGraph): number[][] {
  const rest: number[] = [];
  for (let c = 0; c < Math.min(x.length, columns.size); c++) if (x[c] > INTEGRAL) rest.push(c);
  rest.sort((a, b) => x[b] - x[a] || a - b);
  const order = [...fixed, ...rest];
  const used = new Uint8Array(g.n);
  const out: number[][] = [];
  for (const c of order) {
    const loop = columns.loop(c);
    if (loop.some((v) => used[v])) continue;
    for (const v of loop) used[v] = 1;
    out.push(loop);
  }
  return out;
}

/**
 * Which fractional loop a dive fixes: the most-chosen one (longer or shorter
 * first among ties), the one carrying most items, or a balance of the two.
 * Each dive ends in a different plan (the relaxation has many optima); the
 * best of the four is kept. Measured on the nine files: any single rule is
 * 1-6 items under the best of four on some file.
 */
type DiveRule = 'value' | 'items' | 'short' | 'balanced';
const DIVE_RULES: readonly DiveRule[] = ['value', 'items', 'short', 'balanced'];

function diveScore(rule: DiveRule, x: number, loop: readonly number[], items: number, column: number): number {
  switch (rule) {
    case 'value':
      return x + 1e-3 * loop.length;
    case 'items':
      return x * items;
    case 'short':
      return x - 1e-3 * loop.length;
    case 'balanced':
      // A fixed hash of the column breaks the many exact ties differently from the rules above.
      return x * Math.sqrt(items) + 1e-6 * ((column * 2654435761) % 1000);
  }
}

/** The generated loops: one LP column each, deduplicated by their canonical rotation. */
class ColumnPool {
  private readonly index = new Map<string, number>();
  private readonly loops: number[][] = [];

  constructor(
    private readonly g: TradeGraph,
    private readonly model: Model,
    private readonly rowOf: Int32Array,
  ) {}

  get size(): number {
    return this.loops.length;
  }

  /** Adds a loop as a column; false when it is already there. */
  add(loop: readonly number[]): boolean {
    const canonical = canonicalRotation([...loop]);
    const key = canonical.join(',');
    if (this.index.has(key)) return false;
    this.index.set(key, this.loops.length);
    this.loops.push(canonical);
    const rows = Int32Array.from(canonical, (v) => this.rowOf[v]).sort();
    this.model.addCol(realCount(this.g, canonical), 0, 1, { indices: rows, values: new Float64Array(rows.length).fill(1) });
    return true;
  }

  loop(c: number): number[] {
    return this.loops[c];
  }
}

/**
 * Finds loops of positive reduced cost: items(c) − Σ_{v ∈ c} dual(v) > 0.
 *
 * For each anchor item s with a positive price (1 − dual), a layered search:
 * layer k holds, per node, the best-priced path from s that uses k real items;
 * pass-through nodes stay in their layer. An edge back to s closes a loop.
 * Anchors are searched in order of price, and each later search avoids the
 * earlier anchors (a loop through several of them was already found from the
 * first), which keeps the rounds short.
 */
class LoopPricer {
  private readonly best: Float64Array;
  private readonly parent: Int32Array;
  private readonly seen: Int32Array;
  private readonly layers: Int32Array[];
  private readonly onPath: Int32Array;
  /** reach[j * n + v]: an upper bound on the price a path can still collect after v with j more real items. */
  private readonly reach: Float64Array;
  private stamp = 0;
  /** Anchors whose last search found loops (searched again in partial rounds). */
  private readonly productive: Uint8Array;
  private pathStamp = 0;
  /** The graph restricted to nodes on cycles and to the kept edges (CSR): edges leaving that set never close a loop. */
  private readonly offsets: Int32Array;
  private readonly targets: Int32Array;
  /** The same edges split by target: into real items (the next layer) and into pass-through nodes (the same layer). */
  private readonly realOffsets: Int32Array;
  private readonly realTargets: Int32Array;
  private readonly passOffsets: Int32Array;
  private readonly passTargets: Int32Array;

  constructor(
    private readonly g: TradeGraph,
    private readonly cap: number,
    cyclic: Uint8Array,
    /** Only the edges this keeps are searched (default: all). */
    keepEdge: (u: number, v: number) => boolean = () => true,
  ) {
    const kept = edgeSubgraph(g, (u, v) => cyclic[u] === 1 && cyclic[v] === 1 && keepEdge(u, v));
    ({ offsets: this.offsets, targets: this.targets } = kept);
    ({ offsets: this.realOffsets, targets: this.realTargets } = edgeSubgraph(kept, (_, v) => g.dummy[v] === 0));
    ({ offsets: this.passOffsets, targets: this.passTargets } = edgeSubgraph(kept, (_, v) => g.dummy[v] === 1));
    const slots = (cap + 1) * g.n;
    this.best = new Float64Array(slots);
    this.parent = new Int32Array(slots);
    this.seen = new Int32Array(slots);
    this.layers = Array.from({ length: cap + 1 }, () => new Int32Array(g.n));
    this.onPath = new Int32Array(g.n);
    this.reach = new Float64Array(slots);
    this.productive = new Uint8Array(g.n);
  }

  /**
   * Fills \`reach\` for this round's prices: reach_j(v) = max(0, max over
   * out-neighbours w of price(w) + reach_{j - real(w)}(w)). Walks need not
   * return to the anchor, so it over-estimates: a safe bound for pruning.
   */
  private bound(gain: Float64Array): void {
    const { g, cap, reach, offsets, targets } = this;
    const n = g.n;
    reach.fill(0, 0, n);
    for (let j = 1; j <= cap; j++) {
      const base = j * n;
      const prev = base - n;
      reach.fill(0, base, base + n);
      // Two sweeps so that short runs of pass-through nodes are seen within a level.
      for (let sweep = 0; sweep < 2; sweep++) {
        for (let v = n - 1; v >= 0; v--) {
          let best = reach[base + v];
          for (let e = offsets[v]; e < offsets[v + 1]; e++) {
            const w = targets[e];
            const value = gain[w] + (g.dummy[w] ? reach[base + w] : reach[prev + w]);
            if (value > best) best = value;
          }
          reach[base + v] = best;
        }
      }
    }
  }

  price(duals: Float64Array, perAnchor: number, partial: boolean, deadline: number): number[][] {
    const { g, offsets } = this;
    const n = g.n;
    const gain = new Float64Array(n);
    const anchors: number[] = [];
    for (let v = 0; v < n; v++) {
      gain[v] = (g.dummy[v] ? 0 : 1) - duals[v];
      if (offsets[v] === offsets[v + 1]) continue;
      if (!g.dummy[v] && gain[v] > EPS && (!partial || this.productive[v])) anchors.push(v);
    }
    anchors.sort((a, b) => gain[b] - gain[a] || a - b);
    this.bound(gain);
    const excluded = new Uint8Array(n);
    const out: number[][] = [];
    for (let i = 0; i < anchors.length; i++) {
      if (Date.now() > deadline) break;
      const s = anchors[i];
      const loops = this.search(s, gain, excluded, perAnchor);
      this.productive[s] = loops.length > 0 ? 1 : 0;
      for (const loop of loops) out.push(loop);
      excluded[s] = 1;
    }
    return out;
  }

  private search(s: number, gain: Float64Array, excluded: Uint8Array, perAnchor: number): number[][] {
    const { g, cap, best, parent, seen, layers, realOffsets, realTargets, passOffsets, passTargets, reach } = this;
    const n = g.n;
    const stamp = ++this.stamp;
    const closings: { value: number; layer: number; node: number }[] = [];
    let size = 1;
    layers[1][0] = s;
    best[n + s] = gain[s];
    parent[n + s] = -1;
    seen[n + s] = stamp;
    for (let k = 1; k <= cap && size > 0; k++) {
      const layer = layers[k];
      const base = k * n;
      // Pass-through nodes stay in this layer.
      for (let i = 0; i < size; i++) {
        const u = layer[i];
        const bu = best[base + u];
        // The relaxation is written out here and below (not a method): as a call it made
        // pricing 15-30 % slower (romania 1.7 -> 2.3 s, one-is-enough 4.9 -> 5.7 s).
        for (let e = passOffsets[u]; e < passOffsets[u + 1]; e++) {
          const v = passTargets[e];
          if (excluded[v]) continue;
          const value = bu + gain[v];
          if (seen[base + v] !== stamp) {
            seen[base + v] = stamp;
            layer[size++] = v;
          } else if (value <= best[base + v]) continue;
          best[base + v] = value;
          parent[base + v] = u;
        }
      }
      let nextSize = 0;
      const next = k < cap ? layers[k + 1] : null;
      const nextBase = base + n;
      for (let i = 0; i < size; i++) {
        const u = layer[i];
        const bu = best[base + u];
        // Nothing reachable from here can price positively.
        if (bu + reach[(cap - k) * n + u] <= EPS) continue;
        for (let e = realOffsets[u]; e < realOffsets[u + 1]; e++) {
          const v = realTargets[e];
          if (v === s) {
            if (k >= 2 && bu > EPS) closings.push({ value: bu, layer: k, node: u });
            continue;
          }
          if (!next || excluded[v]) continue;
          const value = bu + gain[v];
          if (seen[nextBase + v] !== stamp) {
            seen[nextBase + v] = stamp;
            next[nextSize++] = v;
          } else if (value <= best[nextBase + v]) continue;
          best[nextBase + v] = value;
          parent[nextBase + v] = u;
        }
      }
      size = nextSize;
    }
    closings.sort((a, b) => b.value - a.value || a.layer - b.layer || a.node - b.node);
    const loops: number[][] = [];
    for (const c of closings) {
      if (loops.length >= perAnchor) break;
      const loop = this.trace(s, c.layer, c.node);
      if (loop) loops.push(loop);
    }
    return loops;
  }

  /** The path s → … → node back through the parents, or null when it repeats a node (a walk, not a loop). */
  private trace(s: number, layer: number, node: number): number[] | null {
    const { g, parent, onPath } = this;
    const n = g.n;
    const stamp = ++this.pathStamp;
    const path: number[] = [];
    let k = layer;
    let x = node;
    while (x !== -1) {
      if (onPath[x] === stamp) return null;
      onPath[x] = stamp;
      path.push(x);
      const p = parent[k * n + x];
      if (!g.dummy[x]) k--;
      x = p;
    }
    if (path[path.length - 1] !== s) return null;
    return path.reverse();
  }
}

/** Nodes that lie on some cycle among usable nodes (non-trivial strongly connected components). */
function nodesOnCycles(g: TradeGraph, usable: Uint8Array): Uint8Array {
  const n = g.n;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out = new Uint8Array(n);
  const edgePos = new Int32Array(n);
  const call: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!usable[root] || index[root] !== -1) continue;
    call.push(root);
    index[root] = low[root] = counter++;
    edgePos[root] = g.offsets[root];
    stack.push(root);
    onStack[root] = 1;
    while (call.length > 0) {
      const u = call[call.length - 1];
      if (edgePos[u] < g.offsets[u + 1]) {
        const v = g.targets[edgePos[u]++];
        if (!usable[v]) continue;
        if (index[v] === -1) {
          index[v] = low[v] = counter++;
          edgePos[v] = g.offsets[v];
          stack.push(v);
          onStack[v] = 1;
          call.push(v);
        } else if (onStack[v] && index[v] < low[u]) low[u] = index[v];
        continue;
      }
      call.pop();
      if (call.length > 0) {
        const p = call[call.length - 1];
        if (low[u] < low[p]) low[p] = low[u];
      }
      if (low[u] === index[u]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          members.push(w);
        } while (w !== u);
        if (members.length > 1) for (const m of members) out[m] = 1;
      }
    }
  }
  return out;
}

function disjoint(n: number, loops: readonly number[][]): boolean {
  const used = new Uint8Array(n);
  for (const loop of loops) {
    for (const u of loop) {
      if (used[u]) return false;
      used[u] = 1;
    }
  }
  return true;
}
