import { Api, eventually, loginAdmin, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';
import { createItem, exchangesOf, list, permanentItem, waitForExchanges, waitForMatching } from './matching-helpers';

jest.setTimeout(60000);

/**
 * The scenario data sets of ../shared/data/scenarios.md, with the outcomes their
 * documents intended. Where the original texts only matched by category (the legacy
 * matcher ignored names), the item names are restated so that each want names what the
 * partner offers: that is what the scenario meant.
 */
describe('Matching scenarios (scenarios.md A2–A7, B2, B5) and the pipeline endpoints', () => {
  let fleet: TestFleet;
  let api: Api;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
    admin = await loginAdmin(api);
  });
  afterAll(() => fleet?.close());

  const user = (city: 'Алматы' | 'Астана' | 'Шымкент') => registerUser(api, { city });
  const setCities = async (u: LoggedInUser, locations: string[]) => {
    const res = await api.put(`/api/users/${u.id}/locations`, { locations }, { token: u.token });
    expect(res.status).toBe(200);
  };
  const usersOf = (ex: any) => ex.participants.map((p: any) => p.user_id).sort((a: number, b: number) => a - b);
  const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);

  it('A2: one bilateral match of Alice and Bob; Charlie in another city is left out; the pipeline reports it', async () => {
    const [alice, bob, charlie] = [await user('Алматы'), await user('Алматы'), await user('Астана')];
    await list(api, alice, ['Нужен набор инструментов'], ['Запчасти для велосипеда']);
    await list(api, bob, ['Нужны запчасти для велосипеда'], ['Набор инструментов']);
    await list(api, charlie, ['Нужны запчасти для велосипеда'], ['Набор инструментов']);
    const [ex] = await waitForExchanges(api, alice, 1);
    expect(ex.kind).toBe('BILATERAL');
    expect(usersOf(ex)).toEqual(sorted(alice.id, bob.id));
    expect(ex.score).toBeGreaterThan(0.3);
    expect(await exchangesOf(api, charlie)).toEqual([]);

    const run = await api.post('/api/matching/run-pipeline', { user_id: null }, { token: admin.token });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ bilateral_matches: 1, exchange_chains: 0, total_participants: 2, errors: [] });
    const own = await api.post('/api/matching/run-pipeline', { user_id: charlie.id }, { token: charlie.token });
    expect(own.body).toMatchObject({ bilateral_matches: 0, exchange_chains: 0 });
  });

  it('run-pipeline: everyone needs staff, someone else’s id is 403, bad input 400; status and test-flow', async () => {
    const someone = await user('Шымкент');
    expect((await api.post('/api/matching/run-pipeline', { user_id: null }, { token: someone.token })).status).toBe(403);
    expect((await api.post('/api/matching/run-pipeline', {}, { token: someone.token })).status).toBe(403);
    expect((await api.post('/api/matching/run-pipeline', { user_id: admin.id }, { token: someone.token })).status).toBe(403);
    expect((await api.post('/api/matching/run-pipeline', { user_id: 'all' }, { token: someone.token })).status).toBe(400);
    expect((await api.post('/api/matching/run-pipeline', { user_id: null })).status).toBe(401);

    const status = await api.get('/api/matching/status', { token: someone.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ last_run: expect.stringMatching(/Z$/), bilateral_matches: 1, chains_discovered: 0, participants_notified: 2, status: 'success' });

    const before = await fleet.sql(`SELECT count(*)::int AS n FROM matching.exchanges`);
    for (const scenario of ['bilateral', 'chains', 'locations', 'scoring']) {
      const res = await api.post('/api/matching/test-flow', { scenario }, { token: someone.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ test: scenario, passed: true, matches_found: expect.any(Number), details: expect.any(String) });
    }
    const full = await api.post('/api/matching/test-flow', { scenario: 'full' }, { token: someone.token });
    expect(full.body).toMatchObject({ test: 'full', passed: true });
    expect(full.body.results).toHaveLength(4);
    expect((await api.post('/api/matching/test-flow', { scenario: 'everything' }, { token: someone.token })).status).toBe(400);
    expect((await api.post('/api/matching/test-flow', {}, { token: someone.token })).status).toBe(400);
    // Never touches real data.
    expect(await fleet.sql(`SELECT count(*)::int AS n FROM matching.exchanges`)).toEqual(before);
  });

  it('A3: location overlap — Alice and Bob match through Астана; Alice and Charlie never (no shared city)', async () => {
    const [alice, bob, charlie, diana] = [await user('Алматы'), await user('Астана'), await user('Шымкент'), await user('Алматы')];
    await setCities(alice, ['Алматы', 'Астана']);
    await setCities(bob, ['Астана', 'Шымкент']);
    await list(api, alice, ['электросамокат'], ['гитара']);
    await list(api, charlie, ['гитара'], ['электросамокат']);
    await waitForMatching(fleet, alice, bob, charlie);
    expect(await exchangesOf(api, alice)).toEqual([]);
    await list(api, bob, ['гитара'], ['электросамокат']);
    const [ex] = await waitForExchanges(api, alice, 1);
    expect(usersOf(ex)).toEqual(sorted(alice.id, bob.id));
    expect(await exchangesOf(api, charlie)).toEqual([]);
    // Diana only overlaps Alice, whose items are taken: nothing for her either way.
    expect(await exchangesOf(api, diana)).toEqual([]);

    // Bob leaves Астана: the match is cancelled (no shared city any more).
    await setCities(bob, ['Шымкент']);
    await waitForExchanges(api, alice, 0);
    // …and now Bob and Charlie share Шымкент but want the same thing: still nothing.
    expect(await exchangesOf(api, charlie)).toEqual([]);
  });

  it('A4 is the chain test (matching-chains); A5: four people in a ring → exactly one chain of four', async () => {
    const [a, b, c, d] = [await user('Алматы'), await user('Алматы'), await user('Алматы'), await user('Алматы')];
    await list(api, a, ['набор ключей'], ['палатка']);
    await list(api, b, ['палатка'], ['скейтборд']);
    await list(api, c, ['скейтборд'], ['настольная игра']);
    await list(api, d, ['настольная игра'], ['набор ключей']);
    const [ex] = await waitForExchanges(api, a, 1);
    expect(ex.kind).toBe('CHAIN');
    expect(usersOf(ex)).toEqual(sorted(a.id, b.id, c.id, d.id));
    for (const u of [b, c, d]) expect((await exchangesOf(api, u)).map((x) => x.exchange_id)).toEqual([ex.exchange_id]);
    const chains = await fleet.sql<{ n: number }>(`SELECT count(*)::int AS n FROM matching.exchanges e WHERE kind = 'CHAIN' AND status = 'pending' AND id IN (SELECT exchange_id FROM matching.exchange_participants WHERE user_id = $1)`, [a.id]);
    expect(chains[0].n).toBe(1);
  });

  it('A6: broken chain (the third offers something nobody wants) → nothing', async () => {
    const [a, b, c] = [await user('Астана'), await user('Астана'), await user('Астана')];
    await list(api, a, ['рюкзак'], ['фотоаппарат']);
    await list(api, b, ['фотоаппарат'], ['микроволновка']);
    await list(api, c, ['микроволновка'], ['OTHER']);
    await waitForMatching(fleet, a, b, c);
    for (const u of [a, b, c]) expect(await exchangesOf(api, u)).toEqual([]);
  });

  it('A7: a cycle that closes only through an expired (archived) item is not proposed', async () => {
    const [ua, ub, uc] = [await user('Шымкент'), await user('Шымкент'), await user('Шымкент')];
    await list(api, ua, ['книга'], ['айфон']);
    await list(api, ub, ['айфон'], ['роман']);
    await list(api, uc, ['роман'], ['шуруповёрт']);
    // user_A's second listing (wants a screwdriver, offers a book) has expired: it is archived.
    const old = await api.post('/api/listings/create-by-categories', { wants: { PERMANENT: [{ item_name: 'шуруповёрт', value_tenge: 20000 }] }, offers: {} }, { token: ua.token });
    expect(old.status).toBe(201);
    const [ex] = await waitForExchanges(api, ua, 1);
    expect(ex.kind).toBe('CHAIN');
    const removed = await api.patch(`/listings/${old.body.id}`, { remove_items: old.body.listings.map((i: any) => i.id) }, { token: ua.token });
    expect(removed.status).toBe(200);
    await waitForExchanges(api, ua, 0);
    for (const u of [ub, uc]) expect(await exchangesOf(api, u)).toEqual([]);
    const [row] = await fleet.sql<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM matching.exchanges WHERE id = $1`, [ex.exchange_id]);
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'item_unavailable' });
  });

  it('B2: crossed interests with unfair values (rent rates 3 571 vs 2 143 ₸/day, a rental cannot pay for a purchase) → no mutual match', async () => {
    const [a, b] = [await user('Алматы'), await user('Алматы')];
    await createItem(api, a, permanentItem('WANT', 'ноутбук', 600000, { category: 'electronics' }));
    await createItem(api, a, { item_type: 'OFFER', exchange_type: 'TEMPORARY', item_name: 'велосипед', value_tenge: 30000, duration_days: 14 });
    await createItem(api, b, permanentItem('OFFER', 'ноутбук Lenovo', 550000, { category: 'electronics' }));
    await createItem(api, b, { item_type: 'WANT', exchange_type: 'TEMPORARY', item_name: 'аренда велосипеда', value_tenge: 25000, duration_days: 7 });
    await waitForMatching(fleet, a, b);
    expect(await exchangesOf(api, a)).toEqual([]);
    expect(await exchangesOf(api, b)).toEqual([]);
  });

  it('B5: confirmation clean-up — after both confirm, both items are archived and neither listing has active items', async () => {
    const [a, b] = [await user('Астана'), await user('Астана')];
    const aWant = await createItem(api, a, permanentItem('WANT', 'учебник', 12000));
    const aOffer = await createItem(api, a, permanentItem('OFFER', 'мышь', 13000, { category: 'electronics' }));
    const bWant = await createItem(api, b, permanentItem('WANT', 'мышь', 13000));
    const bOffer = await createItem(api, b, permanentItem('OFFER', 'учебник', 12000, { category: 'media_content' }));
    const [ex] = await waitForExchanges(api, a, 1);
    const [lo, hi] = a.id < b.id ? [[a.id, aOffer], [b.id, bOffer]] : [[b.id, bOffer], [a.id, aOffer]];
    expect(ex.exchange_id).toBe(`mutual_${lo[0]}_${hi[0]}_${lo[1]}_${hi[1]}`);
    expect(ex.matching_categories).toHaveLength(2);
    expect(ex.matching_categories).toContain('media_content');
    expect((await api.post(`/exchanges/${ex.exchange_id}/confirm?confirmer_user_id=${a.id}`, undefined, { token: a.token })).status).toBe(200);
    const done = await api.post(`/exchanges/${ex.exchange_id}/confirm?confirmer_user_id=${b.id}`, undefined, { token: b.token });
    expect(done.body.items_archived.sort()).toEqual([aWant, aOffer, bWant, bOffer].sort());
    await eventually(async () => {
      const [x, y] = [await api.get(`/api/listings/user/${a.id}`), await api.get(`/api/listings/user/${b.id}`)];
      return x.body.total === 0 && y.body.total === 0;
    }, 10000);
    const archived = await fleet.sql<{ id: number }>(`SELECT id FROM listings.items WHERE id = ANY($1) AND status = 'archived'`, [[aOffer, bOffer]]);
    expect(archived).toHaveLength(2);
  });
});
