import { MatchItem, fairValue, matchWantOffer } from '../compat/compatibility';
import { DEFAULT_MAX_CYCLE, canonicalRotation, packFree, realCount, solveBounded } from '../solver/bounded-solver';
import { LoopState } from '../solver/local-search';
import { matchKeys } from '../text/similarity';
import { LiveGraph } from './live-graph';
import { buildGraph } from '../graph/trade-graph';

/** Neighbourhoods up to this many nodes are re-solved exactly on each change; larger ones get a local search. */
const COMPONENT_RESOLVE_LIMIT = 400;

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
  private itemAt: number[] = [];
  private readonly userItems = new Map<number, Set<number>>();
  private readonly cities = new Map<number, Set<string>>();
  /** Candidate index: match key → item ids (separately for wants and offers). */
  private readonly wantIndex = new Map<string, Set<number>>();
  private readonly offerIndex = new Map<string, Set<number>>();
  private readonly keysOf = new Map<number, string[]>();
  private usable = new Uint8Array(1024);
  private loops: LoopState;
  private readonly proposalsByKey = new Map<string, Proposal>();
  private readonly keyBySlot = new Map<number, string>();
  private readonly slotsByKey = new Map<string, number[]>();

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
  load(items: readonly MatchItem[], userCities: ReadonlyMap<number, readonly string[]> | Record<number, readonly string[]>): ProposalChanges {
    const entries = userCities instanceof Map ? [...userCities.entries()] : Object.entries(userCities).map(([k, v]) => [Number(k), v] as const);
    for (const [u, cs] of entries) this.cities.set(u, new Set(cs));
    for (const item of items) this.insertNode(item);
    for (const item of items) this.connectOutgoing(item.id);
    return this.fullSolve();
  }

  // --- incremental -----------------------------------------------------------

  /** Adds or changes an item. */
  upsertItem(item: MatchItem): ProposalChanges {
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
      this.index(item);
      this.graph.clearEdges(slot);
    } else {
      slot = this.insertNode(item);
    }
    this.connectAll(item.id);
    const freed = this.breakInvalid([slot]);
    return this.repairAndReconcile([slot, ...freed]);
  }

  /** Withdraws an item (archived, hidden, deleted, traded elsewhere). */
  removeItem(itemId: number): ProposalChanges {
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return { created: [], cancelled: [] };
    const freed = this.loops.removeLoopOf(slot);
    this.userItems.get(this.itemAtUser(itemId))?.delete(itemId);
    this.unindex(itemId);
    this.items.delete(itemId);
    this.graph.release(slot);
    this.usable[slot] = 0;
    this.slotOf.delete(itemId);
    this.itemAt[slot] = -1;
    return this.repairAndReconcile(freed);
  }

  /** Changes the cities a user trades in (edges to and from their items are recomputed). */
  setUserCities(userId: number, cities: readonly string[]): ProposalChanges {
    this.cities.set(userId, new Set(cities));
    const mine = [...(this.userItems.get(userId) ?? [])];
    const slots = mine.map((id) => this.slotOf.get(id)!);
    for (const id of mine) {
      const s = this.slotOf.get(id)!;
      // Only cross-user edges depend on cities.
      this.graph.clearEdgesWhere(s, (v) => this.userOfSlot(v) !== userId);
    }
    for (const id of mine) this.connectAll(id, true);
    const freed = this.breakInvalid(slots);
    return this.repairAndReconcile([...slots, ...freed]);
  }

  /** Recomputes every proposal from scratch; proposals that survive unchanged are neither cancelled nor created. */
  fullSolve(): ProposalChanges {
    const g = this.graph.toTradeGraph();
    const allowed = this.usable.slice(0, g.n);
    const loops = solveBounded(g, { maxCycle: this.cap, allowed });
    const before = new Map(this.proposalsByKey);
    this.loops = new LoopState(this.graph, this.cap, this.usable);
    this.loops.resize(this.graph.n, this.usable);
    this.proposalsByKey.clear();
    this.keyBySlot.clear();
    this.slotsByKey.clear();
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
    this.itemAt[slot] = item.id;
    let set = this.userItems.get(item.userId);
    if (!set) this.userItems.set(item.userId, (set = new Set()));
    set.add(item.id);
    this.index(item);
    return slot;
  }

  private index(item: MatchItem): void {
    const keys = matchKeys(item.name, item.category);
    this.keysOf.set(item.id, keys);
    const idx = item.kind === 'WANT' ? this.wantIndex : this.offerIndex;
    for (const k of keys) {
      let s = idx.get(k);
      if (!s) idx.set(k, (s = new Set()));
      s.add(item.id);
    }
  }

  private unindex(itemId: number): void {
    const item = this.items.get(itemId);
    const keys = this.keysOf.get(itemId);
    if (!item || !keys) return;
    const idx = item.kind === 'WANT' ? this.wantIndex : this.offerIndex;
    for (const k of keys) {
      const s = idx.get(k);
      s?.delete(itemId);
      if (s && s.size === 0) idx.delete(k);
    }
    this.keysOf.delete(itemId);
  }

  private itemAtUser(itemId: number): number {
    return this.items.get(itemId)?.userId ?? -1;
  }

  private userOfSlot(slot: number): number {
    const id = this.itemAt[slot];
    return id === undefined || id < 0 ? -1 : (this.items.get(id)?.userId ?? -1);
  }

  private shareCity(a: number, b: number): boolean {
    const ca = this.cities.get(a);
    const cb = this.cities.get(b);
    if (!ca || !cb) return false;
    for (const c of ca) if (cb.has(c)) return true;
    return false;
  }

  /** Candidates of the opposite kind sharing a match key with the item. */
  private candidates(item: MatchItem): Set<number> {
    const idx = item.kind === 'WANT' ? this.offerIndex : this.wantIndex;
    const out = new Set<number>();
    for (const k of this.keysOf.get(item.id) ?? []) for (const id of idx.get(k) ?? []) out.add(id);
    return out;
  }

  /** Edges a want gives out (to others' offers) and an offer's edges into its owner's wants. */
  private connectOutgoing(itemId: number): void {
    const item = this.items.get(itemId)!;
    const slot = this.slotOf.get(itemId)!;
    if (item.kind === 'WANT') {
      for (const oid of this.candidates(item)) this.linkWantOffer(item, this.items.get(oid)!);
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
    for (const cid of this.candidates(item)) {
      const other = this.items.get(cid)!;
      if (item.kind === 'WANT') this.linkWantOffer(item, other);
      else this.linkWantOffer(other, item);
    }
    if (crossUserOnly) return;
    for (const oid of this.userItems.get(item.userId) ?? []) {
      const o = this.items.get(oid)!;
      if (o.kind === item.kind) continue;
      const [offer, want] = item.kind === 'OFFER' ? [item, o] : [o, item];
      const eq = fairValue(offer, want);
      if (eq > 0) this.graph.addEdge(this.slotOf.get(offer.id)!, this.slotOf.get(want.id)!, eq);
    }
    void slot;
  }

  private linkWantOffer(want: MatchItem, offer: MatchItem): void {
    if (want.userId === offer.userId || !this.shareCity(want.userId, offer.userId)) return;
    const m = matchWantOffer(want, offer);
    if (m.match) this.graph.addEdge(this.slotOf.get(want.id)!, this.slotOf.get(offer.id)!, m.score);
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
   * turns the difference into created/cancelled proposals.
   */
  private repairAndReconcile(changed: readonly number[]): ProposalChanges {
    const g = this.graph;
    const realStarts = new Set<number>();
    for (const s of changed) {
      if (!g.live[s] || !this.usable[s]) continue;
      // A want cannot start a loop search; its owner's offers (its givers) can.
      if (g.dummy[s]) for (const w of g.in(s)) realStarts.add(w);
      else realStarts.add(s);
      // Items that could receive this one through a want may close a loop too.
      for (const w of g.in(s)) {
        if (!g.dummy[w]) realStarts.add(w);
        else for (const x of g.in(w)) realStarts.add(x);
      }
    }
    const free = new Uint8Array(g.n);
    for (let u = 0; u < g.n; u++) free[u] = this.usable[u] && this.loops.succ[u] < 0 ? 1 : 0;
    const dirty = new Set<number>(changed);
    // The neighbourhood of the change: the whole connected part when small,
    // else the first `exactLimit` nodes reached from it.
    const ball = this.ballAround(realStarts, this.exactLimit);
    const newLoops = ball.length > 0 ? this.solveFreePart(ball, free) : packFree(g, free, this.cap, realStarts);
    for (const loop of newLoops) {
      this.loops.addLoop(loop);
      for (const u of loop) dirty.add(u);
    }
    this.loops.touched.length = 0;
    this.loops.improveFrom(ball.length > 0 ? ball.filter((u) => !g.dummy[u]) : realStarts);
    for (const u of this.loops.touched) if (u >= 0) dirty.add(u);
    this.loops.touched.length = 0;
    if (ball.length > 0) {
      // If re-planning the neighbourhood trades strictly more items than the
      // loops it overlaps, take that plan (it replaces those loops).
      const all = new Uint8Array(g.n);
      for (const u of ball) all[u] = this.usable[u];
      const plan = this.solveFreePart(ball, all);
      const planned = plan.reduce((t, l) => t + realCount(g, l), 0);
      const overlapped = new Set<number>();
      for (const u of ball) if (this.loops.succ[u] >= 0) for (const x of this.loops.loopOf(u)) overlapped.add(x);
      let current = 0;
      for (const u of overlapped) if (!g.dummy[u]) current++;
      if (planned > current) {
        for (const u of overlapped) if (this.loops.succ[u] >= 0) for (const x of this.loops.removeLoopOf(u)) dirty.add(x);
        for (const loop of plan) {
          this.loops.addLoop(loop);
          for (const u of loop) dirty.add(u);
        }
      }
    }
    return this.reconcile(dirty);
  }

  /**
   * The nodes a short loop through the starts can use: those reached from the
   * starts along edges, and those reaching them, breadth first — up to `limit`
   * in all (half each way when the part is larger than that).
   */
  private ballAround(starts: Iterable<number>, limit: number): number[] {
    if (limit <= 0) return [];
    const g = this.graph;
    const seen = new Set<number>();
    const bfs = (forward: boolean, quota: number) => {
      const queue: number[] = [];
      const mine = new Set<number>();
      for (const s of starts) if (!mine.has(s)) (mine.add(s), queue.push(s));
      for (let h = 0; h < queue.length && queue.length < quota; h++) {
        const nb = forward ? g.out(queue[h]) : g.in(queue[h]);
        for (let j = 0; j < nb.length && queue.length < quota; j++) {
          const v = nb[j];
          if (!mine.has(v)) {
            mine.add(v);
            queue.push(v);
          }
        }
      }
      for (const u of queue) seen.add(u);
    };
    bfs(true, limit >> 1);
    bfs(false, limit >> 1);
    return [...seen];
  }

  /** Bounded solve restricted to the component's nodes flagged in `free`; returns loops in slots. */
  private solveFreePart(component: number[], free: Uint8Array): number[][] {
    const g = this.graph;
    const nodes = component.filter((u) => free[u]);
    if (nodes.length < 2) return [];
    const local = new Map<number, number>();
    nodes.forEach((u, i) => local.set(u, i));
    const dummy = new Uint8Array(nodes.length);
    const from: number[] = [];
    const to: number[] = [];
    nodes.forEach((u, i) => {
      dummy[i] = g.dummy[u];
      const outs = g.out(u);
      for (let j = 0; j < outs.length; j++) {
        const v = local.get(outs[j]);
        if (v !== undefined) {
          from.push(i);
          to.push(v);
        }
      }
    });
    const sub = buildGraph(dummy, from, to);
    return solveBounded(sub, { maxCycle: this.cap }).map((loop) => loop.map((i) => nodes[i]));
  }

  /** Re-registers the loops through `nodes`; proposals that changed are cancelled, new ones created. */
  private reconcile(nodes: Set<number>): ProposalChanges {
    const oldKeys = new Set<string>();
    for (const u of nodes) {
      const k = this.keyBySlot.get(u);
      if (k) oldKeys.add(k);
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
    for (const u of offers) if (this.itemAt[u] < this.itemAt[startSlot]) startSlot = u;
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
      const giver = this.items.get(this.itemAt[rot[i]])!;
      participants.push({
        userId: giver.userId,
        givesItemId: giver.id,
        receivesItemId: this.itemAt[rot[next]],
        wantItemId: g.dummy[wantSlot] ? this.itemAt[wantSlot] : -1,
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

  /** @internal for tests: loops as item ids, to check validity independently. */
  debugLoops(): number[][] {
    return this.loops.loops().map((l) => l.map((s) => this.itemAt[s]));
  }

  /** @internal */
  realCountOf(loop: number[]): number {
    return realCount(this.graph, loop);
  }
}

function mergeChanges(a: ProposalChanges, b: ProposalChanges): ProposalChanges {
  const createdB = new Set(b.created.map((p) => p.key));
  const cancelledB = new Set(b.cancelled.map((p) => p.key));
  return {
    created: a.created.filter((p) => !cancelledB.has(p.key)).concat(b.created),
    cancelled: a.cancelled.filter((p) => !createdB.has(p.key)).concat(b.cancelled),
  };
}
