import type { Highs } from 'highs';
import { MIN_VALUE_EQUIVALENCE, MatchItem, comparableValue, fairValue, matchWantOffer } from '../compat/compatibility';
import type { TradeGraph } from '../graph/trade-graph';
import { DEFAULT_MAX_CYCLE, canonicalRotation, solveBounded } from '../solver/bounded-solver';
import { LoopState } from '../solver/local-search';
import { lpImprove } from '../solver/lp-improve';
import { xorshift32 } from '../solver/random';
import { lnsImprove, repairAround } from '../solver/repair';
import { Steps, runToEnd, runYielding } from '../solver/steps';
import { matchKeyHashes } from '../text/similarity';
import { LiveGraph } from './live-graph';

/** Neighbourhoods up to this many nodes are re-solved exactly on each change; larger ones get a local search. */
const COMPONENT_RESOLVE_LIMIT = 400;
/** Region size (nodes) re-planned by `improve()`. */
const IMPROVE_RADIUS = 120;
/**
 * `improve()` passes of at least this budget spend the first half on the LP
 * planner (`lpImprove`) when the engine has one (`useLpSolver`). Synthetic
 * market after 1,000 updates (`npm run bench:matching -- synthetic`), 2 s
 * passes: 437-487 items instead of the local search's 403-407 at 10k,
 * 1,739-1,741 instead of 1,616-1,636 at 20k. Shorter passes leave the LP too
 * little: at 1 s, 382-396 against 403 at 10k.
 */
export const LP_IMPROVE_MIN_BUDGET_MS = 1_000;
/** `improveAsync()` gives the event loop a turn after this much local search (and after every step of the LP planner). */
export const IMPROVE_SLICE_MS = 20;
/** Time given to the large-neighbourhood search at the end of a full solve. */
const FULL_SOLVE_LNS_MS = 300;

/** One person's part in a proposal. */
export interface Participant {
  userId: number;
  /** The offer this person hands over. */
  givesItemId: number;
  /** The offer this person receives. */
  receivesItemId: number;
  /** The person's want that the received offer satisfies. */
  wantItemId: number;
}

/**
 * A proposed exchange: a bilateral match (2 people) or a chain (3..10).
 *
 * `key` is canonical — the offers in loop order, starting from the smallest
 * offer id — so the same exchange always has the same key and the service can
 * dedupe on it. Bilateral matches also carry their exchange id
 * `mutual_{a}_{b}_{x}_{y}` (user a gives item x, user b gives item y, a < b);
 * chains get `chain_{id}` from the service.
 */
export interface Proposal {
  key: string;
  kind: 'BILATERAL' | 'CHAIN';
  exchangeId: string | null;
  /**
   * In loop order, starting with the giver of the smallest offer id:
   * participants[i] receives participants[i + 1]'s offer (the last receives the first's).
   */
  participants: Participant[];
  /** Mean of the loop's want/offer and fairness scores, in [0, 1]. */
  score: number;
}

export interface ProposalChanges {
  created: Proposal[];
  cancelled: Proposal[];
}

/** A loop to pin at load: its participants in loop order (participant i receives participant i + 1's offer for its want). */
export type PinnedLoop = readonly Pick<Participant, 'givesItemId' | 'wantItemId'>[];

export interface LoadOptions {
  /** Loops to keep as they are (accepted or confirmed exchanges); skipped when an item is missing or already used. */
  pinned?: readonly PinnedLoop[];
  /** `[wantItemId, offerItemId]` pairs never to use (a participant declined receiving that offer for that want). */
  forbiddenPairs?: readonly (readonly [number, number])[];
}

export interface MatchingEngineOptions {
  /** Most people (offers) in one loop; DESIGN §5.4 default 10. */
  maxParticipants?: number;
  /**
   * Neighbourhoods (nodes connected to a change) up to this size are re-planned
   * exactly on each change; larger ones get the local search only. Default 400.
   */
  exactNeighbourhoodLimit?: number;
}

/**
 * The matching engine: the live item graph, the disjoint proposals chosen on
 * it, and local repair on every change.
 *
 * Graph: every offer and every want is a node. An offer X of user u points to
 * each want W of u that X could pay for (same exchange type, equivalent value):
 * "u would give X for W". A want W of u points to each offer Y of another user
 * v that answers it (names, value, category, exchange type) when u and v share
 * a city. Wants are pass-through nodes, used at most once, so a want is
 * satisfied at most once. A loop X → W → Y → W' → … → X is an exchange where
 * each owner gives their offer and receives the next offer in the loop.
 *
 * Incremental calls cancel only the proposals that lost an item or an edge and
 * search new loops around the change; `fullSolve()` recomputes from scratch.
 */
export class MatchingEngine {
  private readonly cap: number;
  private readonly exactLimit: number;
  private readonly graph = new LiveGraph();
  private readonly items = new Map<number, MatchItem>();
  private readonly slotOf = new Map<number, number>();
  /** Slot → the item there (undefined once the slot is released). */
  private itemBySlot: (MatchItem | undefined)[] = [];
  private readonly userItems = new Map<number, Set<number>>();
  private readonly cities = new Map<number, Set<string>>();
  private readonly cityMask = new Map<number, number>();
  private readonly cityBit = new Map<string, number>();
  /** Candidate index: match key → item ids (separately for wants and offers). */
  private readonly wantIndex = new Map<number, number[]>();
  private readonly offerIndex = new Map<number, number[]>();
  private readonly keysOf = new Map<number, number[]>();
  private candStamp = new Int32Array(1024);
  private candRound = 0;
  private usable = new Uint8Array(1024);
  private loops: LoopState;
  private readonly proposalsByKey = new Map<string, Proposal>();
  private readonly keyBySlot = new Map<number, string>();
  private readonly slotsByKey = new Map<string, number[]>();
  /** Pinned loops (key → slots in loop order): out of the optimisation, kept as they are. */
  private readonly pinned = new Map<string, number[]>();
  /** Forbidden want → offer edges: want item id → offer item ids. */
  private readonly forbidden = new Map<number, Set<number>>();
  private lp: Highs | null = null;
  /** Set while an `improveAsync` pass runs: the plan is mid-pass and the proposals not yet reconciled. */
  private passing = false;

  constructor(opts: MatchingEngineOptions = {}) {
    this.cap = opts.maxParticipants ?? DEFAULT_MAX_CYCLE;
    this.exactLimit = opts.exactNeighbourhoodLimit ?? COMPONENT_RESOLVE_LIMIT;
    this.loops = new LoopState(this.graph, this.cap, this.usable);
  }

  // --- queries ---------------------------------------------------------------

  proposals(): Proposal[] {
    return [...this.proposalsByKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  proposalForItem(itemId: number): Proposal | null {
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return null;
    const key = this.keyBySlot.get(slot);
    return key ? (this.proposalsByKey.get(key) ?? null) : null;
  }

  /** Offers currently in a proposal. */
  itemsTraded(): number {
    let t = 0;
    for (const p of this.proposalsByKey.values()) t += p.participants.length;
    return t;
  }

  stats(): { items: number; edges: number; proposals: number; itemsTraded: number } {
    return { items: this.items.size, edges: this.graph.edgeCount(), proposals: this.proposalsByKey.size, itemsTraded: this.itemsTraded() };
  }

  // --- bulk load -------------------------------------------------------------

  /** Loads a whole market at once (faster than one upsert per item), then solves it. */
  load(
    items: readonly MatchItem[],
    userCities: ReadonlyMap<number, readonly string[]> | Record<number, readonly string[]>,
    opts: LoadOptions = {},
  ): ProposalChanges {
    this.assertIdle();
    if (this.items.size > 0) throw new Error('MatchingEngine.load() expects an empty engine; use upsertItem() for changes');
    const entries = userCities instanceof Map ? [...userCities.entries()] : Object.entries(userCities).map(([k, v]) => [Number(k), v] as const);
    for (const [u, cs] of entries) this.setCities(u, cs);
    for (const [w, o] of opts.forbiddenPairs ?? []) this.addForbidden(w, o);
    for (const item of items) this.insertNode(item);
    for (const item of items) this.connectOutgoing(item.id);
    const pinned = (opts.pinned ?? []).map((loop) => this.pinLoop(loop)).filter((p): p is Proposal => p !== null);
    const changes = this.fullSolve();
    return { created: [...pinned, ...changes.created], cancelled: changes.cancelled };
  }

  // --- lifecycle: pins and forbidden pairs -----------------------------------

  /**
   * Pins a live proposal (an accepted or confirmed exchange): its items leave the
   * optimisation and the loop is kept as is by every later call, until `unpin`,
   * `forbidPair` on one of its edges, `removeItem` of one of its items, or its
   * owner losing every city. Returns false when no such proposal is live.
   */
  pin(key: string): boolean {
    this.assertIdle();
    if (this.pinned.has(key)) return true;
    const slots = this.slotsByKey.get(key);
    if (!slots) return false;
    this.loops.removeLoopOf(slots[0]);
    this.pinned.set(key, slots);
    for (const s of slots) this.usable[s] = 0;
    return true;
  }

  isPinned(key: string): boolean {
    return this.pinned.has(key);
  }

  /** Returns a pinned loop to the optimisation (kept if still valid, else cancelled and re-planned). */
  unpin(key: string): ProposalChanges {
    this.assertIdle();
    const slots = this.release(key);
    if (!slots) return { created: [], cancelled: [] };
    const freed = this.breakInvalid([slots[0]]);
    return this.repairAndReconcile([...slots, ...freed], true);
  }

  /**
   * Never again lets `offerItemId` satisfy `wantItemId` (someone declined exactly that).
   * A loop using that edge, pinned or not, is cancelled and its items re-planned at once.
   */
  forbidPair(wantItemId: number, offerItemId: number): ProposalChanges {
    this.assertIdle();
    this.addForbidden(wantItemId, offerItemId);
    const ws = this.slotOf.get(wantItemId);
    const os = this.slotOf.get(offerItemId);
    if (ws === undefined || os === undefined || !this.graph.hasEdge(ws, os)) return { created: [], cancelled: [] };
    const key = this.keyBySlot.get(ws);
    const pinned = key ? this.pinned.get(key) : undefined;
    if (pinned && pinned[(pinned.indexOf(ws) + 1) % pinned.length] === os) this.release(key!);
    this.graph.removeEdge(ws, os);
    const freed = this.breakInvalid([ws]);
    return this.repairAndReconcile([ws, os, ...freed]);
  }

  private addForbidden(wantItemId: number, offerItemId: number): void {
    let set = this.forbidden.get(wantItemId);
    if (!set) this.forbidden.set(wantItemId, (set = new Set()));
    set.add(offerItemId);
  }

  /** Unpins: the loop goes back into the loop state as it is (callers then check it is still valid). */
  private release(key: string): number[] | null {
    const slots = this.pinned.get(key);
    if (!slots) return null;
    this.pinned.delete(key);
    for (const s of slots) this.usable[s] = this.graph.live[s] ? 1 : 0;
    this.loops.addLoop(slots);
    return slots;
  }

  /** Pins a loop given by its participants (at load); null when an item is missing, of the wrong kind, or taken. */
  private pinLoop(loop: PinnedLoop): Proposal | null {
    if (loop.length < 2) return null;
    const slots: number[] = [];
    for (const p of loop) {
      const offer = this.items.get(p.givesItemId);
      const want = this.items.get(p.wantItemId);
      if (!offer || !want || offer.kind !== 'OFFER' || want.kind !== 'WANT' || offer.userId !== want.userId) return null;
      slots.push(this.slotOf.get(offer.id)!, this.slotOf.get(want.id)!);
    }
    if (new Set(slots).size !== slots.length || slots.some((s) => !this.usable[s])) return null;
    const p = this.register(slots);
    this.pinned.set(p.key, slots);
    for (const s of slots) this.usable[s] = 0;
    return p;
  }

  // --- incremental -----------------------------------------------------------

  /** Adds or changes an item. */
  upsertItem(item: MatchItem): ProposalChanges {
    this.assertIdle();
    const existing = this.items.get(item.id);
    if (existing && (existing.kind !== item.kind || existing.userId !== item.userId)) {
      const a = this.removeItem(item.id);
      const b = this.upsertItem(item);
      return mergeChanges(a, b);
    }
    let slot: number;
    if (existing) {
      slot = this.slotOf.get(item.id)!;
      this.unindex(item.id);
      this.items.set(item.id, item);
      this.itemBySlot[slot] = item;
      this.index(item);
      this.graph.clearEdges(slot);
    } else {
      slot = this.insertNode(item);
    }
    this.connectAll(item.id);
    const freed = this.breakInvalid([slot]);
    return this.repairAndReconcile([slot, ...freed], true);
  }

  /** Withdraws an item (archived, hidden, deleted, traded elsewhere). */
  removeItem(itemId: number): ProposalChanges {
    this.assertIdle();
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return { created: [], cancelled: [] };
    // A pinned loop through it ends (release is a no-op for a loop that is not pinned).
    const key = this.keyBySlot.get(slot);
    if (key) this.release(key);
    const freed = this.loops.removeLoopOf(slot);
    this.userItems.get(this.itemAtUser(itemId))?.delete(itemId);
    this.unindex(itemId);
    this.items.delete(itemId);
    this.graph.release(slot);
    this.usable[slot] = 0;
    this.slotOf.delete(itemId);
    this.itemBySlot[slot] = undefined;
    return this.repairAndReconcile(freed);
  }

  /** Changes the cities a user trades in (edges to and from their items are recomputed). */
  setUserCities(userId: number, cities: readonly string[]): ProposalChanges {
    this.assertIdle();
    this.setCities(userId, cities);
    const mine = [...(this.userItems.get(userId) ?? [])];
    const slots = mine.map((id) => this.slotOf.get(id)!);
    // A user who trades nowhere (deactivated, deleted) is gone: their pinned loops end too.
    if (cities.length === 0) for (const s of slots) {
      const key = this.keyBySlot.get(s);
      if (key) this.release(key);
    }
    for (const id of mine) {
      const s = this.slotOf.get(id)!;
      // Only cross-user edges depend on cities.
      this.graph.clearEdgesWhere(s, (v) => this.userOfSlot(v) !== userId);
    }
    for (const id of mine) this.connectAll(id, true);
    const freed = this.breakInvalid(slots);
    return this.repairAndReconcile([...slots, ...freed], true);
  }

  /**
   * Gives `improve()` the LP planner (a loaded HiGHS: `await loadLpSolver()`),
   * or takes it away (null). Synchronous calls stay synchronous.
   */
  useLpSolver(highs: Highs | null): void {
    this.lp = highs;
  }

  /**
   * Spends up to `budgetMs` re-planning the neighbourhoods of items that are
   * not in any proposal; only plans that trade strictly more items are taken,
   * so most proposals are untouched. Meant to be called now and then (say,
   * every minute) so that a long run of incremental changes keeps close to
   * what a full recompute would find, without a full recompute's churn.
   * With the LP planner (`useLpSolver`) and a budget of at least
   * LP_IMPROVE_MIN_BUDGET_MS, the first half goes to `lpImprove` (the free
   * items' loops at once, then regions of a few thousand nodes), the rest to
   * the local search. Holds the thread for the whole budget: a service
   * calls `improveAsync`.
   */
  improve(budgetMs = 200): ProposalChanges {
    this.assertIdle();
    return runToEnd(this.improveSteps(budgetMs, Infinity));
  }

  /**
   * `improve()` that gives the event loop a turn after every pricing round
   * and re-solve of the LP planner and every IMPROVE_SLICE_MS of local
   * search, so that a service goes on answering requests and probes during
   * the pass. The longest stretch without a turn is one such step (`npm run
   * bench:matching -- synthetic` reports it: 25-122 ms at 10k items). The
   * budget is wall time, turns included. Until it resolves,
   * queries answer with the proposals as they were before the pass, and
   * every change to the engine (and another pass) throws: queue them behind it.
   */
  async improveAsync(budgetMs = 200): Promise<ProposalChanges> {
    this.assertIdle();
    this.passing = true;
    try {
      return await runYielding(this.improveSteps(budgetMs, IMPROVE_SLICE_MS));
    } finally {
      this.passing = false;
    }
  }

  /** The improve pass, pausing after each step of the LP planner and each `sliceMs` of local search; its value is the changes. */
  private *improveSteps(budgetMs: number, sliceMs: number): Steps<ProposalChanges> {
    const deadline = Date.now() + budgetMs;
    const dirty = new Set<number>();
    const onChange = (nodes: readonly number[]) => nodes.forEach((u) => dirty.add(u));
    const seed = ++this.improveRounds;
    if (this.lp && budgetMs >= LP_IMPROVE_MIN_BUDGET_MS) yield* lpImprove(this.lp, this.graph, this.loops, this.cap, { seed, timeBudgetMs: budgetMs / 2, onChange });
    // One random stream over the slices: sliced or not, the same draws.
    const random = xorshift32(seed);
    for (;;) {
      const slice = Math.max(0, Math.min(sliceMs, deadline - Date.now()));
      const sliceEnd = Date.now() + slice;
      lnsImprove(this.graph, this.loops, this.cap, { iterations: Number.MAX_SAFE_INTEGER, radius: IMPROVE_RADIUS, seed, random, timeBudgetMs: slice, acceptEqual: false, onChange });
      // Back before the slice's end: no free item is left to re-plan around.
      if (Date.now() < sliceEnd || Date.now() >= deadline) break;
      yield;
    }
    return this.reconcile(dirty);
  }

  private assertIdle(): void {
    if (this.passing) throw new Error('MatchingEngine: an improveAsync() pass is under way; changes must wait until it resolves');
  }

  private improveRounds = 0;

  /**
   * The item graph as it stands (a copy), with the nodes a new plan may use:
   * live items outside pinned loops. What `fullSolve` plans on; also for
   * planning elsewhere and for comparisons (`planLoops` on it, say).
   */
  planningGraph(): { graph: TradeGraph; usable: Uint8Array } {
    const graph = this.graph.toTradeGraph();
    return { graph, usable: this.usable.slice(0, graph.n) };
  }

  /** Recomputes every proposal from scratch; proposals that survive unchanged are neither cancelled nor created. */
  fullSolve(): ProposalChanges {
    this.assertIdle();
    const { graph: g, usable: allowed } = this.planningGraph();
    const loops = solveBounded(g, { maxCycle: this.cap, allowed, lnsBudgetMs: FULL_SOLVE_LNS_MS });
    const before = new Map(this.proposalsByKey);
    this.loops = new LoopState(this.graph, this.cap, this.usable);
    this.loops.resize(this.graph.n, this.usable);
    this.proposalsByKey.clear();
    this.keyBySlot.clear();
    this.slotsByKey.clear();
    for (const slots of this.pinned.values()) this.register(slots);
    const created: Proposal[] = [];
    for (const loop of loops) {
      this.loops.addLoop(loop);
      const p = this.register(loop);
      if (!before.has(p.key)) created.push(p);
    }
    const cancelled = [...before.values()].filter((p) => !this.proposalsByKey.has(p.key));
    return { created, cancelled };
  }

  // --- internals: nodes and edges -------------------------------------------

  private insertNode(item: MatchItem): number {
    const slot = this.graph.allocate(item.kind === 'WANT');
    if (slot >= this.usable.length) {
      const u = new Uint8Array(Math.max(slot + 1, this.usable.length * 2));
      u.set(this.usable);
      this.usable = u;
    }
    this.usable[slot] = 1;
    this.loops.resize(this.graph.n, this.usable);
    this.items.set(item.id, item);
    this.slotOf.set(item.id, slot);
    this.itemBySlot[slot] = item;
    let set = this.userItems.get(item.userId);
    if (!set) this.userItems.set(item.userId, (set = new Set()));
    set.add(item.id);
    this.index(item);
    return slot;
  }

  private index(item: MatchItem): void {
    // Keys are name keys combined with the item's value band, so a lookup only
    // meets items of about the same value (the bands next door included).
    const band = valueBand(item);
    const keys = matchKeyHashes(item.name, item.category).map((h) => withBand(h, band));
    this.keysOf.set(item.id, keys);
    const idx = item.kind === 'WANT' ? this.wantIndex : this.offerIndex;
    const slot = this.slotOf.get(item.id)!;
    for (const k of keys) {
      let posting = idx.get(k);
      if (!posting) idx.set(k, (posting = []));
      posting.push(slot);
    }
  }

  private unindex(itemId: number): void {
    const item = this.items.get(itemId);
    const keys = this.keysOf.get(itemId);
    const slot = this.slotOf.get(itemId);
    if (!item || !keys || slot === undefined) return;
    const idx = item.kind === 'WANT' ? this.wantIndex : this.offerIndex;
    for (const k of keys) {
      const posting = idx.get(k);
      if (!posting) continue;
      const i = posting.indexOf(slot);
      if (i >= 0) {
        posting[i] = posting[posting.length - 1];
        posting.pop();
      }
      if (posting.length === 0) idx.delete(k);
    }
    this.keysOf.delete(itemId);
  }

  private itemAtUser(itemId: number): number {
    return this.items.get(itemId)?.userId ?? -1;
  }

  private userOfSlot(slot: number): number {
    return this.itemBySlot[slot]?.userId ?? -1;
  }

  private shareCity(a: number, b: number): boolean {
    const overlap = (this.cityMask.get(a) ?? 0) & (this.cityMask.get(b) ?? 0);
    if (overlap === 0) return false;
    if (this.cityBit.size <= 31) return true;
    // More cities than bits: the mask only rules out; confirm with the sets.
    const ca = this.cities.get(a)!;
    const cb = this.cities.get(b)!;
    for (const c of ca) if (cb.has(c)) return true;
    return false;
  }

  private setCities(userId: number, cities: readonly string[]): void {
    this.cities.set(userId, new Set(cities));
    let mask = 0;
    for (const c of cities) {
      let bit = this.cityBit.get(c);
      if (bit === undefined) this.cityBit.set(c, (bit = this.cityBit.size % 31));
      mask |= 1 << bit;
    }
    this.cityMask.set(userId, mask);
  }

  /** Candidates (slots) of the opposite kind sharing a match key with the item. */
  private candidates(item: MatchItem): number[] {
    const idx = item.kind === 'WANT' ? this.offerIndex : this.wantIndex;
    if (this.candStamp.length < this.graph.n) {
      const grown = new Int32Array(Math.max(this.graph.n, this.candStamp.length * 2));
      grown.set(this.candStamp);
      this.candStamp = grown;
    }
    const stamp = ++this.candRound;
    const out: number[] = [];
    const band = valueBand(item);
    for (const h of matchKeyHashes(item.name, item.category)) {
      for (let b = band - 1; b <= band + 1; b++) {
        const posting = idx.get(withBand(h, b));
        if (!posting) continue;
        for (const slot of posting) {
          if (this.candStamp[slot] === stamp) continue;
          this.candStamp[slot] = stamp;
          out.push(slot);
        }
      }
    }
    return out;
  }

  /** Edges a want gives out (to others' offers) and an offer's edges into its owner's wants. */
  private connectOutgoing(itemId: number): void {
    const item = this.items.get(itemId)!;
    const slot = this.slotOf.get(itemId)!;
    if (item.kind === 'WANT') {
      for (const os of this.candidates(item)) this.linkWantOffer(item, slot, this.itemBySlot[os]!, os);
    } else {
      for (const wid of this.userItems.get(item.userId) ?? []) {
        const w = this.items.get(wid)!;
        if (w.kind !== 'WANT') continue;
        const eq = fairValue(item, w);
        if (eq > 0) this.graph.addEdge(slot, this.slotOf.get(wid)!, eq);
      }
    }
  }

  /** Every edge of the item, both directions. `crossUserOnly` skips the owner's own pairs. */
  private connectAll(itemId: number, crossUserOnly = false): void {
    const item = this.items.get(itemId)!;
    const slot = this.slotOf.get(itemId)!;
    for (const cs of this.candidates(item)) {
      const other = this.itemBySlot[cs]!;
      if (item.kind === 'WANT') this.linkWantOffer(item, slot, other, cs);
      else this.linkWantOffer(other, cs, item, slot);
    }
    if (crossUserOnly) return;
    for (const oid of this.userItems.get(item.userId) ?? []) {
      const o = this.items.get(oid)!;
      if (o.kind === item.kind) continue;
      const [offer, want] = item.kind === 'OFFER' ? [item, o] : [o, item];
      const eq = fairValue(offer, want);
      if (eq > 0) this.graph.addEdge(this.slotOf.get(offer.id)!, this.slotOf.get(want.id)!, eq);
    }
  }

  private linkWantOffer(want: MatchItem, wantSlot: number, offer: MatchItem, offerSlot: number): void {
    if (want.userId === offer.userId || !this.shareCity(want.userId, offer.userId)) return;
    if (this.forbidden.get(want.id)?.has(offer.id)) return;
    const m = matchWantOffer(want, offer);
    if (m.match) this.graph.addEdge(wantSlot, offerSlot, m.score);
  }

  // --- internals: proposals --------------------------------------------------

  /** Frees loops through these slots whose edges no longer all exist; returns the freed slots. */
  private breakInvalid(slots: readonly number[]): number[] {
    const freed: number[] = [];
    for (const s of slots) {
      if (this.loops.succ[s] < 0) continue;
      const loop = this.loops.loopOf(s);
      const intact = loop.every((u, i) => this.graph.hasEdge(u, loop[(i + 1) % loop.length]));
      if (!intact) freed.push(...this.loops.removeLoopOf(s));
    }
    return freed;
  }

  /**
   * Searches new loops around the changed slots — short loops through free
   * items, then alternating moves that may re-route a few existing loops — and
   * turns the difference into created/cancelled proposals. `reroute` (a change
   * that brings new edges: an item added or changed, cities, an unpin) lets
   * the re-plan re-route the loops around the change for more items; after a
   * withdrawal or a refusal the loops it did not touch are kept.
   */
  private repairAndReconcile(changed: readonly number[], reroute = false): ProposalChanges {
    const live = changed.filter((s) => this.graph.live[s]);
    return this.reconcile(new Set([...changed, ...repairAround(this.graph, this.loops, live, this.cap, this.exactLimit, { reroute })]));
  }

  /** Re-registers the loops through `nodes`; proposals that changed are cancelled, new ones created. */
  private reconcile(nodes: Set<number>): ProposalChanges {
    const oldKeys = new Set<string>();
    for (const u of nodes) {
      const k = this.keyBySlot.get(u);
      if (k && !this.pinned.has(k)) oldKeys.add(k);
    }
    const oldProposals = new Map<string, Proposal>();
    for (const k of oldKeys) {
      oldProposals.set(k, this.proposalsByKey.get(k)!);
      this.proposalsByKey.delete(k);
      for (const s of this.slotsByKey.get(k) ?? []) {
        this.keyBySlot.delete(s);
        nodes.add(s);
      }
      this.slotsByKey.delete(k);
    }
    const created: Proposal[] = [];
    const newKeys = new Set<string>();
    for (const u of nodes) {
      if (u >= this.loops.succ.length || this.loops.succ[u] < 0 || this.keyBySlot.has(u)) continue;
      const p = this.register(this.loops.loopOf(u));
      newKeys.add(p.key);
      if (!oldKeys.has(p.key)) created.push(p);
    }
    const cancelled = [...oldProposals.values()].filter((p) => !newKeys.has(p.key));
    return { created, cancelled };
  }

  private register(loop: number[]): Proposal {
    const p = this.toProposal(loop);
    this.proposalsByKey.set(p.key, p);
    this.slotsByKey.set(p.key, loop);
    for (const u of loop) this.keyBySlot.set(u, p.key);
    return p;
  }

  private toProposal(loop: number[]): Proposal {
    const g = this.graph;
    const c = canonicalRotation(loop);
    // Rotate so the smallest offer id comes first.
    const offers = c.filter((u) => !g.dummy[u]);
    let startSlot = offers[0];
    for (const u of offers) if (this.itemBySlot[u]!.id < this.itemBySlot[startSlot]!.id) startSlot = u;
    const at = c.indexOf(startSlot);
    const rot = c.slice(at).concat(c.slice(0, at));
    const participants: Participant[] = [];
    let scoreSum = 0;
    for (let i = 0; i < rot.length; i++) scoreSum += g.score(rot[i], rot[(i + 1) % rot.length]);
    const offerPos = rot.map((u, i) => (g.dummy[u] ? -1 : i)).filter((i) => i >= 0);
    for (let k = 0; k < offerPos.length; k++) {
      const i = offerPos[k];
      const next = offerPos[(k + 1) % offerPos.length];
      const wantSlot = rot[(i + 1) % rot.length];
      const giver = this.itemBySlot[rot[i]]!;
      participants.push({
        userId: giver.userId,
        givesItemId: giver.id,
        receivesItemId: this.itemBySlot[rot[next]]!.id,
        wantItemId: g.dummy[wantSlot] ? this.itemBySlot[wantSlot]!.id : -1,
      });
    }
    const key = `loop:${participants.map((p) => p.givesItemId).join('>')}`;
    let exchangeId: string | null = null;
    if (participants.length === 2) {
      const [p, q] = participants[0].userId < participants[1].userId ? [participants[0], participants[1]] : [participants[1], participants[0]];
      exchangeId = `mutual_${p.userId}_${q.userId}_${p.givesItemId}_${q.givesItemId}`;
    }
    const score = Math.max(0, Math.min(1, scoreSum / rot.length));
    return { key, kind: participants.length === 2 ? 'BILATERAL' : 'CHAIN', exchangeId, participants, score };
  }
}

/** Width of a value band: two items within MIN_VALUE_EQUIVALENCE are at most one band apart. */
const BAND_WIDTH = -Math.log(MIN_VALUE_EQUIVALENCE);

function valueBand(item: MatchItem): number {
  const v = comparableValue(item);
  return v > 0 ? Math.floor(Math.log(v) / BAND_WIDTH) : -1_000_000;
}

function withBand(hash: number, band: number): number {
  return Math.imul(hash ^ (band + 0x9e3779b9), 0x01000193) >>> 0;
}

function mergeChanges(a: ProposalChanges, b: ProposalChanges): ProposalChanges {
  const createdB = new Set(b.created.map((p) => p.key));
  const cancelledB = new Set(b.cancelled.map((p) => p.key));
  return {
    created: a.created.filter((p) => !cancelledB.has(p.key)).concat(b.created),
    cancelled: a.cancelled.filter((p) => !createdB.has(p.key)).concat(b.cancelled),
  };
}
