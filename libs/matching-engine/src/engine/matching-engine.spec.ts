import { MatchItem, fairValue, matchWantOffer } from '../compat/compatibility';
import type { Highs } from 'highs';
import { LP_IMPROVE_MIN_BUDGET_MS, MatchingEngine, Proposal } from './matching-engine';
import { loadLpSolver } from '../solver/column-generation';
import { solveBounded } from '../solver/bounded-solver';
import { hookedSolver, traded } from '../solver/spec-graphs';

let nextId = 1;
const offer = (userId: number, name: string, valueTenge = 10000, extra: Partial<MatchItem> = {}): MatchItem => ({
  id: nextId++,
  userId,
  kind: 'OFFER',
  exchangeType: 'PERMANENT',
  name,
  valueTenge,
  durationDays: null,
  category: 'tools',
  ...extra,
});
const want = (userId: number, name: string, valueTenge = 10000, extra: Partial<MatchItem> = {}): MatchItem => ({ ...offer(userId, name, valueTenge, extra), kind: 'WANT' });

const ALICE = 1;
const BOB = 2;
const CHARLIE = 3;
const DIANA = 4;

function engineWith(items: MatchItem[], cities: Record<number, string[]>): MatchingEngine {
  const e = new MatchingEngine();
  e.load(items, cities);
  return e;
}

const users = (p: Proposal) => p.participants.map((x) => x.userId).sort();

let highs: Highs;
beforeAll(async () => {
  highs = await loadLpSolver();
});

/** The real LP solver, counting the models made with it (every LP planning makes at least one): shows a pass used it. */
function countingModels(real: Highs): { solver: Highs; models: () => number } {
  let models = 0;
  const solver = hookedSolver(real, { onModel: () => models++ });
  return { solver, models: () => models };
}

describe('MatchingEngine: bilateral matches', () => {
  it('Alice and Bob swap when each has what the other wants and they share a city', () => {
    const aWant = want(ALICE, 'набор инструментов');
    const aOffer = offer(ALICE, 'запчасти для велосипеда');
    const bOffer = offer(BOB, 'инструменты набор');
    const bWant = want(BOB, 'запчасти велосипеда');
    const e = engineWith([aWant, aOffer, bOffer, bWant], { [ALICE]: ['Алматы'], [BOB]: ['Алматы'] });
    const ps = e.proposals();
    expect(ps).toHaveLength(1);
    expect(ps[0].kind).toBe('BILATERAL');
    expect(ps[0].exchangeId).toBe(`mutual_${ALICE}_${BOB}_${aOffer.id}_${bOffer.id}`);
    const alice = ps[0].participants.find((p) => p.userId === ALICE)!;
    expect(alice).toEqual({ userId: ALICE, givesItemId: aOffer.id, receivesItemId: bOffer.id, wantItemId: aWant.id });
    expect(ps[0].score).toBeGreaterThan(0.5);
    expect(ps[0].score).toBeLessThanOrEqual(1);
  });

  it('people who share no city are never matched', () => {
    const items = [want(ALICE, 'дрель'), offer(ALICE, 'палатка'), offer(CHARLIE, 'дрель'), want(CHARLIE, 'палатка')];
    const e = engineWith(items, { [ALICE]: ['Алматы', 'Астана'], [CHARLIE]: ['Шымкент'] });
    expect(e.proposals()).toHaveLength(0);
    // Charlie moves to Астана: now they match.
    const changes = e.setUserCities(CHARLIE, ['Астана']);
    expect(changes.created).toHaveLength(1);
    expect(e.proposals()).toHaveLength(1);
    // And back: the proposal is cancelled.
    const back = e.setUserCities(CHARLIE, ['Шымкент']);
    expect(back.cancelled.map((p) => p.key)).toEqual(changes.created.map((p) => p.key));
    expect(e.proposals()).toHaveLength(0);
  });

  it('an unfair swap (one side worth far more) is not proposed', () => {
    const items = [want(ALICE, 'дрель', 10000), offer(ALICE, 'палатка', 50000), offer(BOB, 'дрель', 10000), want(BOB, 'палатка', 50000)];
    const e = engineWith(items, { [ALICE]: ['Алматы'], [BOB]: ['Алматы'] });
    expect(e.proposals()).toHaveLength(0);
  });
});

describe('MatchingEngine: chains', () => {
  it('closes a 3-way chain (scenario A4)', () => {
    const items = [
      want(ALICE, 'инструменты'), offer(ALICE, 'запчасти велосипеда'),
      want(BOB, 'запчасти велосипеда'), offer(BOB, 'велосипед детский'),
      want(CHARLIE, 'велосипед детский'), offer(CHARLIE, 'инструменты'),
    ];
    const e = engineWith(items, { [ALICE]: ['Алматы'], [BOB]: ['Алматы'], [CHARLIE]: ['Алматы'] });
    const ps = e.proposals();
    expect(ps).toHaveLength(1);
    expect(ps[0].kind).toBe('CHAIN');
    expect(ps[0].exchangeId).toBeNull();
    expect(users(ps[0])).toEqual([ALICE, BOB, CHARLIE]);
    // Alice receives the tools from Charlie.
    expect(ps[0].participants.find((p) => p.userId === ALICE)!.receivesItemId).toBe(items[5].id);
  });

  it('closes a 4-way chain (scenario A5) and nothing when a link is missing (A6)', () => {
    const ring = [
      want(ALICE, 'инструменты'), offer(ALICE, 'запчасти'),
      want(BOB, 'запчасти'), offer(BOB, 'велосипед'),
      want(CHARLIE, 'велосипед'), offer(CHARLIE, 'книга'),
      want(DIANA, 'книга'), offer(DIANA, 'инструменты'),
    ];
    const cities = { [ALICE]: ['Алматы'], [BOB]: ['Алматы'], [CHARLIE]: ['Алматы'], [DIANA]: ['Алматы'] };
    const e = engineWith(ring, cities);
    expect(e.proposals().map((p) => p.participants.length)).toEqual([4]);
    const broken = engineWith([...ring.slice(0, 5), offer(CHARLIE, 'что-то другое')], cities);
    expect(broken.proposals()).toHaveLength(0);
  });

  it('the key is canonical: it starts at the smallest offer id, whatever the insertion order', () => {
    const items = [
      want(ALICE, 'инструменты'), offer(ALICE, 'запчасти'),
      want(BOB, 'запчасти'), offer(BOB, 'велосипед'),
      want(CHARLIE, 'велосипед'), offer(CHARLIE, 'инструменты'),
    ];
    const cities = { [ALICE]: ['Алматы'], [BOB]: ['Алматы'], [CHARLIE]: ['Алматы'] };
    const a = engineWith(items, cities).proposals()[0].key;
    const b = engineWith([...items].reverse(), cities).proposals()[0].key;
    expect(a).toBe(b);
    // Alice gives the parts and receives Charlie's tools: the loop runs Alice → Charlie → Bob.
    expect(a).toBe(`loop:${items[1].id}>${items[5].id}>${items[3].id}`);
  });

  it('respects the cap on people per loop', () => {
    const n = 5;
    const items: MatchItem[] = [];
    const cities: Record<number, string[]> = {};
    const nouns = ['палатка', 'дрель', 'гитара', 'самокат', 'монитор'];
    for (let u = 0; u < n; u++) {
      cities[100 + u] = ['Алматы'];
      items.push(offer(100 + u, nouns[u]), want(100 + u, nouns[(u + 1) % n]));
    }
    const capped = new MatchingEngine({ maxParticipants: 4 });
    capped.load(items, cities);
    expect(capped.proposals()).toHaveLength(0);
    const e = new MatchingEngine();
    e.load(items, cities);
    expect(e.proposals().map((p) => p.participants.length)).toEqual([5]);
  });
});

describe('MatchingEngine: a want is satisfied at most once; proposals are disjoint', () => {
  it('someone who wants one bike and offers three things receives one bike', () => {
    const items: MatchItem[] = [want(ALICE, 'велосипед'), offer(ALICE, 'палатка'), offer(ALICE, 'дрель'), offer(ALICE, 'гитара')];
    const cities: Record<number, string[]> = { [ALICE]: ['Алматы'] };
    ['палатка', 'дрель', 'гитара'].forEach((thing, i) => {
      const u = 10 + i;
      cities[u] = ['Алматы'];
      items.push(want(u, thing), offer(u, 'велосипед'));
    });
    const e = engineWith(items, cities);
    const ps = e.proposals();
    expect(ps).toHaveLength(1);
    const received = ps.flatMap((p) => p.participants.filter((x) => x.userId === ALICE));
    expect(received).toHaveLength(1);
  });
});

describe('MatchingEngine: incremental updates', () => {
  const cities = { [ALICE]: ['Алматы'], [BOB]: ['Алматы'], [CHARLIE]: ['Алматы'] };

  it('adding the missing item creates the proposal; withdrawing it cancels it', () => {
    const e = engineWith([want(ALICE, 'дрель'), offer(ALICE, 'палатка'), want(BOB, 'палатка')], cities);
    expect(e.proposals()).toHaveLength(0);
    const drill = offer(BOB, 'дрель');
    const added = e.upsertItem(drill);
    expect(added.created).toHaveLength(1);
    expect(added.cancelled).toHaveLength(0);
    const removed = e.removeItem(drill.id);
    expect(removed.cancelled.map((p) => p.key)).toEqual(added.created.map((p) => p.key));
    expect(removed.created).toHaveLength(0);
    expect(e.proposals()).toHaveLength(0);
  });

  it('changing an item so it no longer fits cancels its proposal, and a replacement is found', () => {
    const drillB = offer(BOB, 'дрель');
    const e = engineWith([want(ALICE, 'дрель'), offer(ALICE, 'палатка'), want(BOB, 'палатка'), drillB, want(CHARLIE, 'палатка'), offer(CHARLIE, 'дрель')], cities);
    expect(e.proposals()).toHaveLength(1);
    const first = e.proposals()[0];
    const holder = first.participants.find((p) => p.userId !== ALICE)!;
    const changed = e.upsertItem({ ...(holder.givesItemId === drillB.id ? drillB : offer(CHARLIE, 'x')), id: holder.givesItemId, userId: holder.userId, name: 'диван' });
    expect(changed.cancelled.map((p) => p.key)).toEqual([first.key]);
    expect(changed.created).toHaveLength(1);
    expect(users(changed.created[0])).not.toContain(holder.userId);
  });

  it('a proposal untouched by a change is kept as is', () => {
    const e = engineWith([want(ALICE, 'дрель'), offer(ALICE, 'палатка'), want(BOB, 'палатка'), offer(BOB, 'дрель')], cities);
    const before = e.proposals();
    const c = e.upsertItem(offer(CHARLIE, 'гитара'));
    expect(c).toEqual({ created: [], cancelled: [] });
    expect(e.proposals()).toEqual(before);
  });

  // Users 11..15 trade in a ring (each wants the next one's item); user 11
  // also wants a sofa, user 21 offers it and wants a laptop, user 22 offers
  // the laptop and wants the drill of user 13's ring. So 11 → 21 → 22 → 13 →
  // 14 → 15 is a ring of six, without 12.
  const ringOf = () => {
    const names = ['гитара', 'палатка', 'дрель', 'самокат', 'монитор'];
    const items = names.flatMap((name, i) => [offer(11 + i, name), want(11 + i, names[(i + 1) % 5])]);
    const sofa = [want(11, 'диван'), offer(21, 'диван'), want(21, 'ноутбук')];
    const laptop = [offer(22, 'ноутбук'), want(22, 'дрель')];
    const everyone = Object.fromEntries([11, 12, 13, 14, 15, 21, 22, 23].map((u) => [u, ['Алматы']]));
    return { items, sofa, laptop, everyone };
  };

  it('an item that makes a longer loop possible re-routes a loop around it (12 leaves, 21 and 22 join)', () => {
    const { items, sofa, laptop, everyone } = ringOf();
    // A neighbourhood of 12 nodes around the laptop reaches 11's guitar and 13's drill, not 14 and 15.
    const e = new MatchingEngine({ exactNeighbourhoodLimit: 12 });
    e.load([...items, ...sofa, laptop[1]], everyone);
    expect(e.proposals().map(users)).toEqual([[11, 12, 13, 14, 15]]);
    const ring = e.proposals()[0];
    const c = e.upsertItem(laptop[0]);
    expect(c.cancelled.map((p) => p.key)).toEqual([ring.key]);
    expect(c.created.map(users)).toEqual([[11, 13, 14, 15, 21, 22]]);
    expect(e.itemsTraded()).toBe(6);
  });
});

// ---------------------------------------------------------------------------
// Property test: long random sequences of changes keep the incremental state
// valid and within 1 % (at least one item) of a full recompute.

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['велосипед', 'bike', 'дрель', 'палатка', 'гитара', 'ноутбук', 'laptop', 'самокат', 'монитор', 'диван'];
const CITIES = ['Алматы', 'Астана', 'Шымкент'];

function checkValid(e: MatchingEngine, items: Map<number, MatchItem>, cities: Map<number, string[]>, cap: number): void {
  const usedOffers = new Set<number>();
  const usedWants = new Set<number>();
  for (const p of e.proposals()) {
    expect(p.participants.length).toBeGreaterThanOrEqual(2);
    expect(p.participants.length).toBeLessThanOrEqual(cap);
    expect(p.score).toBeGreaterThanOrEqual(0);
    expect(p.score).toBeLessThanOrEqual(1);
    for (const part of p.participants) {
      const gives = items.get(part.givesItemId)!;
      const gets = items.get(part.receivesItemId)!;
      const w = items.get(part.wantItemId)!;
      expect(gives && gets && w).toBeTruthy();
      expect(usedOffers.has(gives.id)).toBe(false);
      expect(usedWants.has(w.id)).toBe(false);
      usedOffers.add(gives.id);
      usedWants.add(w.id);
      expect(gives.userId).toBe(part.userId);
      expect(w.userId).toBe(part.userId);
      expect(gets.userId).not.toBe(part.userId);
      expect(matchWantOffer(w, gets).match).toBe(true);
      expect(fairValue(gives, w)).toBeGreaterThan(0);
      const shared = (cities.get(part.userId) ?? []).some((c) => (cities.get(gets.userId) ?? []).includes(c));
      expect(shared).toBe(true);
    }
  }
}

/**
 * A random sequence of changes (items added, withdrawn, renamed or revalued;
 * cities changed) applied to a new engine, its state checked every 10 steps.
 */
function randomRun(seed: number, USERS: number, STEPS: number, limit: number) {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const e = new MatchingEngine({ exactNeighbourhoodLimit: limit });
  const items = new Map<number, MatchItem>();
  const cities = new Map<number, string[]>();
  for (let u = 1; u <= USERS; u++) {
    const cs = CITIES.filter(() => r() < 0.6);
    cities.set(u, cs.length ? cs : [pick(CITIES)]);
    e.setUserCities(u, cities.get(u)!);
  }
  let id = 1000;
  const randomItem = (): MatchItem => ({
    id: ++id,
    userId: 1 + Math.floor(r() * USERS),
    kind: r() < 0.5 ? 'WANT' : 'OFFER',
    exchangeType: 'PERMANENT',
    name: pick(NOUNS),
    valueTenge: pick([10000, 11000, 12000, 20000]),
    durationDays: null,
    category: null,
  });
  for (let step = 0; step < STEPS; step++) {
    const x = r();
    if (x < 0.6 || items.size < 5) {
      const it = randomItem();
      items.set(it.id, it);
      e.upsertItem(it);
    } else if (x < 0.8) {
      const victim = pick([...items.keys()]);
      items.delete(victim);
      e.removeItem(victim);
    } else if (x < 0.9) {
      const target = items.get(pick([...items.keys()]))!;
      const changed = { ...target, name: pick(NOUNS), valueTenge: pick([10000, 11000, 12000, 20000]) };
      items.set(changed.id, changed);
      e.upsertItem(changed);
    } else {
      const u = 1 + Math.floor(r() * USERS);
      const cs = CITIES.filter(() => r() < 0.5);
      cities.set(u, cs.length ? cs : [pick(CITIES)]);
      e.setUserCities(u, cities.get(u)!);
    }
    if (step % 10 === 0 || step === STEPS - 1) checkValid(e, items, cities, 10);
  }
  return { e, items, cities };
}

describe('MatchingEngine: property — incremental equals a full recompute (within 1 %, at least one item)', () => {
  it.each(
    [1, 2, 3, 4, 5, 6].flatMap((seed) => [[seed, 14, 150, 400], [seed + 100, 90, 700, 400]]),
  )('random sequence with seed %i (%i users, %i changes, exact neighbourhoods up to %i nodes)', (seed, USERS, STEPS, limit) => {
    const { e, items, cities } = randomRun(seed, USERS, STEPS, limit);
    const fresh = new MatchingEngine();
    fresh.load([...items.values()], Object.fromEntries(cities));
    const full = fresh.itemsTraded();
    const inc = e.itemsTraded();
    expect(Math.abs(full - inc)).toBeLessThanOrEqual(Math.max(1, Math.floor(full * 0.01)));
    // The periodic improve() only ever adds items and keeps the state valid.
    e.improve(20);
    checkValid(e, items, cities, 10);
    expect(e.itemsTraded()).toBeGreaterThanOrEqual(inc);
  });
});

describe('MatchingEngine: improve() with the LP planner', () => {
  it.each([101, 102])('after a random sequence (seed %i) repaired without re-planning: back to a full recompute, valid, and the changes it reports are what changed', (seed) => {
    // Exact neighbourhoods of 0 nodes: each change gets only the cheapest repair, which leaves items untraded.
    const { e, items, cities } = randomRun(seed, 90, 700, 0);
    const fresh = new MatchingEngine();
    fresh.load([...items.values()], Object.fromEntries(cities));
    expect(e.itemsTraded()).toBeLessThan(fresh.itemsTraded());
    const lp = countingModels(highs);
    e.useLpSolver(lp.solver);
    const before = new Map(e.proposals().map((p) => [p.key, p]));
    const { created, cancelled } = e.improve(LP_IMPROVE_MIN_BUDGET_MS);
    expect(lp.models()).toBeGreaterThan(0);
    checkValid(e, items, cities, 10);
    expect(e.itemsTraded()).toBeGreaterThanOrEqual(fresh.itemsTraded());
    for (const p of cancelled) before.delete(p.key);
    for (const p of created) before.set(p.key, p);
    expect([...before.keys()].sort()).toEqual(e.proposals().map((p) => p.key).sort());
    // Shorter passes are the local search's alone.
    const made = lp.models();
    e.improve(LP_IMPROVE_MIN_BUDGET_MS / 5);
    expect(lp.models()).toBe(made);
  });
});

describe('MatchingEngine: improveAsync() (the pass a service runs)', () => {
  it('lets other work run during the pass, refuses changes and a second pass until it resolves, and reports what changed', async () => {
    const { e, items, cities } = randomRun(101, 90, 700, 0);
    e.useLpSolver(highs);
    const before = new Map(e.proposals().map((p) => [p.key, p]));
    const tradedBefore = e.itemsTraded();
    const someItem = [...items.keys()][0];
    // Work queued on the event loop (as a request or a probe would be): it runs at every turn the pass gives.
    let turns = 0;
    let proposalsSeen = -1;
    const refused: unknown[] = [];
    let running = true;
    const tick = () => {
      if (!running) return;
      turns++;
      if (turns === 1) {
        proposalsSeen = e.proposals().length;
        try {
          e.removeItem(someItem);
        } catch (error) {
          refused.push(error);
        }
        e.improveAsync(10).catch((error) => refused.push(error));
      }
      setImmediate(tick);
    };
    setImmediate(tick);
    const { created, cancelled } = await e.improveAsync(LP_IMPROVE_MIN_BUDGET_MS);
    running = false;
    // A turn after each LP planning and each IMPROVE_SLICE_MS of local search: many in a 1 s pass.
    expect(turns).toBeGreaterThan(10);
    // Mid-pass, queries answer with the proposals as they were.
    expect(proposalsSeen).toBe(before.size);
    expect(refused).toHaveLength(2);
    for (const error of refused) expect((error as Error).message).toMatch(/improveAsync\(\) pass is under way/);
    checkValid(e, items, cities, 10);
    expect(e.itemsTraded()).toBeGreaterThan(tradedBefore);
    for (const p of cancelled) before.delete(p.key);
    for (const p of created) before.set(p.key, p);
    expect([...before.keys()].sort()).toEqual(e.proposals().map((p) => p.key).sort());
    // Once it resolved, changes go through again.
    items.delete(someItem);
    e.removeItem(someItem);
    checkValid(e, items, cities, 10);
  });
});

describe('MatchingEngine: pinned loops and forbidden pairs (exchange lifecycle)', () => {
  const CITIES = { [ALICE]: ['Алматы'], [BOB]: ['Алматы'], [CHARLIE]: ['Алматы'], [DIANA]: ['Алматы'] };
  /**
   * Alice and Bob swap a tent for a drill. Charlie (wants a drill, gives a bike) and
   * Diana (wants a bike, gives a tent) would rather make a 3-way loop with Bob,
   * trading more items: a full solve prefers Bob → Charlie → Diana → Bob.
   */
  const market = () => {
    const aWant = want(ALICE, 'дрель');
    const aOffer = offer(ALICE, 'палатка');
    const bOffer = offer(BOB, 'дрель');
    const bWant = want(BOB, 'палатка');
    const cWant = want(CHARLIE, 'дрель');
    const cOffer = offer(CHARLIE, 'велосипед');
    const dWant = want(DIANA, 'велосипед');
    const dOffer = offer(DIANA, 'палатка');
    return { ab: [aWant, aOffer, bOffer, bWant], cd: [cWant, cOffer, dWant, dOffer], aWant, aOffer, bOffer, bWant };
  };
  const itemsIn = (e: MatchingEngine) => e.proposals().flatMap((p) => p.participants.map((x) => x.givesItemId));

  it('without a pin, the optimisation replaces the bilateral by the larger loop (the defect)', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    const cancelled: Proposal[] = [];
    for (const it of m.cd) cancelled.push(...e.upsertItem(it).cancelled);
    cancelled.push(...e.fullSolve().cancelled);
    expect(cancelled.map((p) => p.key)).toContain(ab.key);
    expect(e.proposals().map(users)).toEqual([[BOB, CHARLIE, DIANA]]);
  });

  it('a pinned loop survives changes around it, improve() and fullSolve(), and its items are not offered elsewhere', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    expect(e.pin(ab.key)).toBe(true);
    expect(e.isPinned(ab.key)).toBe(true);
    expect(e.pin('loop:nope')).toBe(false);
    const seen: Proposal[] = [];
    for (const it of m.cd) seen.push(...e.upsertItem(it).cancelled);
    seen.push(...e.improve(50).cancelled, ...e.fullSolve().cancelled, ...e.improve(50).cancelled);
    // The LP planner's pass too.
    const lp = countingModels(highs);
    e.useLpSolver(lp.solver);
    seen.push(...e.improve(LP_IMPROVE_MIN_BUDGET_MS).cancelled);
    expect(lp.models()).toBeGreaterThan(0);
    // A change to a pinned item (still there) keeps the loop too.
    seen.push(...e.upsertItem({ ...m.bOffer, name: 'дрель ударная' }).cancelled);
    seen.push(...e.setUserCities(BOB, ['Алматы', 'Астана']).cancelled);
    expect(seen.map((p) => p.key)).not.toContain(ab.key);
    expect(e.proposals()).toEqual([ab]);
    expect(itemsIn(e)).toEqual(ab.participants.map((x) => x.givesItemId));
  });

  it('planningGraph() is what a full solve plans on: every live item, pinned loops not usable', () => {
    const m = market();
    const e = engineWith([...m.ab, ...m.cd], CITIES);
    const open = e.planningGraph();
    // Four offers and four wants; Bob → Charlie → Diana → Bob is the plan on it.
    expect(open.usable.reduce((t, u) => t + u, 0)).toBe(8);
    expect(traded(open.graph, solveBounded(open.graph, { allowed: open.usable }))).toBe(3);

    const [abLoop] = engineWith(m.ab, CITIES).proposals();
    const pinned = engineWith(m.ab, CITIES);
    pinned.pin(abLoop.key);
    for (const it of m.cd) pinned.upsertItem(it);
    const closed = pinned.planningGraph();
    // The pinned swap's two offers and two wants are not usable; Charlie and Diana alone make no loop.
    expect(closed.usable.reduce((t, u) => t + u, 0)).toBe(4);
    expect(solveBounded(closed.graph, { allowed: closed.usable })).toEqual([]);
    expect(pinned.fullSolve().created).toEqual([]);
  });

  it('removing an item of a pinned loop cancels it and frees the other items at once', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    e.pin(ab.key);
    for (const it of m.cd) e.upsertItem(it);
    const changes = e.removeItem(m.aOffer.id);
    expect(changes.cancelled.map((p) => p.key)).toEqual([ab.key]);
    expect(changes.created.map(users)).toEqual([[BOB, CHARLIE, DIANA]]);
    expect(e.isPinned(ab.key)).toBe(false);
  });

  it('a user who loses every city (deleted, deactivated) ends their pinned loops', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    e.pin(ab.key);
    expect(e.setUserCities(ALICE, []).cancelled.map((p) => p.key)).toEqual([ab.key]);
    expect(e.proposals()).toEqual([]);
  });

  it('unpin() hands the loop back to the optimisation', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    e.pin(ab.key);
    // Nothing better around: the loop stays as it is.
    expect(e.unpin(ab.key)).toEqual({ created: [], cancelled: [] });
    expect(e.proposals()).toEqual([ab]);
    e.pin(ab.key);
    for (const it of m.cd) e.upsertItem(it);
    e.unpin(ab.key);
    e.fullSolve();
    expect(e.isPinned(ab.key)).toBe(false);
    expect(e.proposals().map(users)).toEqual([[BOB, CHARLIE, DIANA]]);
  });

  it('forbidPair() cancels the loop using that edge (pinned or not), re-plans its items, and the pair never comes back', () => {
    const m = market();
    const e = engineWith(m.ab, CITIES);
    const [ab] = e.proposals();
    e.pin(ab.key);
    // Charlie would give Alice a drill for her tent, once Alice's tent is free.
    const cWant = want(CHARLIE, 'палатка');
    const cOffer = offer(CHARLIE, 'дрель');
    e.upsertItem(cWant);
    expect(e.upsertItem(cOffer).created).toEqual([]);
    // Bob declines receiving Alice's tent for his want.
    const changes = e.forbidPair(m.bWant.id, m.aOffer.id);
    expect(changes.cancelled.map((p) => p.key)).toEqual([ab.key]);
    expect(changes.created.map(users)).toEqual([[ALICE, CHARLIE]]);
    expect(e.isPinned(ab.key)).toBe(false);
    // Neither a re-plan nor a change to the items brings the pair back.
    e.removeItem(cOffer.id);
    e.upsertItem({ ...m.aOffer, name: 'палатка туристическая' });
    e.fullSolve();
    e.improve(50);
    const pairs = e.proposals().flatMap((p) => p.participants.map((x) => `${x.wantItemId}<${x.receivesItemId}`));
    expect(pairs).not.toContain(`${m.bWant.id}<${m.aOffer.id}`);
    expect(e.proposals()).toEqual([]);
    // Forbidding an edge that no loop uses changes nothing.
    expect(e.forbidPair(m.aWant.id, 999999)).toEqual({ created: [], cancelled: [] });
  });

  it('load() re-applies pins (same key, even where a full solve would choose otherwise) and forbidden pairs', () => {
    const m = market();
    const first = engineWith(m.ab, CITIES);
    const [ab] = first.proposals();

    const pinnedLoad = new MatchingEngine();
    const loaded = pinnedLoad.load([...m.ab, ...m.cd], CITIES, { pinned: [ab.participants] });
    expect(pinnedLoad.proposals()).toEqual([ab]);
    expect(loaded.created.map((p) => p.key)).toEqual([ab.key]);
    expect(pinnedLoad.isPinned(ab.key)).toBe(true);

    // A pin whose item is gone is skipped.
    const missing = new MatchingEngine();
    missing.load([m.aWant, m.bOffer, m.bWant, ...m.cd], CITIES, { pinned: [ab.participants] });
    expect(missing.isPinned(ab.key)).toBe(false);

    const forbidden = new MatchingEngine();
    forbidden.load(m.ab, CITIES, { forbiddenPairs: [[m.bWant.id, m.aOffer.id]] });
    expect(forbidden.proposals()).toEqual([]);
  });
});
