import { Api, eventually, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';
import { exchangesOf, list, waitForExchanges } from './matching-helpers';

jest.setTimeout(30000);

describe('Matching: bilateral exchange from listing to history', () => {
  let fleet: TestFleet;
  let api: Api;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let aliceItems: { wants: number[]; offers: number[] };
  let bobItems: { wants: number[]; offers: number[] };

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
    alice = await registerUser(api, { city: 'Алматы', full_name: 'Alice A' });
    bob = await registerUser(api, { city: 'Алматы', full_name: 'Bob B' });
    carol = await registerUser(api, { city: 'Алматы' });
  });
  afterAll(() => fleet?.close());

  it('two users list complementary items → the match appears for both without anyone running the pipeline', async () => {
    aliceItems = await list(api, alice, ['дрель'], ['велосипед']);
    bobItems = await list(api, bob, ['велосипед'], ['дрель']);
    const [forAlice] = await waitForExchanges(api, alice, 1);
    const [forBob] = await waitForExchanges(api, bob, 1);
    const [a, b] = alice.id < bob.id ? [alice.id, bob.id] : [bob.id, alice.id];
    const [x, y] = alice.id < bob.id ? [aliceItems.offers[0], bobItems.offers[0]] : [bobItems.offers[0], aliceItems.offers[0]];
    expect(forAlice.exchange_id).toBe(`mutual_${a}_${b}_${x}_${y}`);
    expect(forBob.exchange_id).toBe(forAlice.exchange_id);
    expect(forAlice).toMatchObject({
      match_id: expect.any(Number),
      kind: 'BILATERAL',
      partner_username: bob.username,
      status: 'pending',
      matching_categories: expect.any(Array),
      created_at: expect.stringMatching(/Z$/),
      score: expect.any(Number),
      you_give: [expect.objectContaining({ item_id: aliceItems.offers[0], item_name: 'велосипед' })],
      you_receive: [expect.objectContaining({ item_id: bobItems.offers[0], item_name: 'дрель' })],
    });
    expect(forBob.partner_username).toBe(alice.username);
    expect(forAlice.participants).toHaveLength(2);
    expect(await exchangesOf(api, carol)).toEqual([]);

    const cabinet = await api.get('/user/cabinet', { token: alice.token });
    expect(cabinet.status).toBe(200);
    expect(cabinet.body.active_exchanges).toEqual([expect.objectContaining({ exchange_id: forAlice.exchange_id })]);

    // The proposal was announced through the outbox.
    const events = await fleet.sql<{ type: string }>(`SELECT type FROM matching.outbox WHERE envelope->>'aggregate_id' = $1`, [forAlice.exchange_id]);
    expect(events.map((e) => e.type)).toContain('matching.match.found');
  });

  it('/user/exchanges needs a token', async () => {
    expect((await api.get('/user/exchanges')).status).toBe(401);
  });

  it('confirm: bad ids are 400, unknown 404, a non-participant 403, a foreign confirmer_user_id 403 — nothing changes', async () => {
    const [ex] = await exchangesOf(api, alice);
    expect((await api.post('/exchanges/not-an-id/confirm', undefined, { token: alice.token })).status).toBe(400);
    expect((await api.post('/exchanges/mutual_1_2_3_999999/confirm', undefined, { token: alice.token })).status).toBe(404);
    const outsider = await api.post(`/exchanges/${ex.exchange_id}/confirm`, undefined, { token: carol.token });
    expect(outsider.status).toBe(403);
    expect(outsider.body).toMatchObject({ status_code: 403, error_type: 'forbidden' });
    expect((await api.post(`/exchanges/${ex.exchange_id}/confirm?confirmer_user_id=${bob.id}`, undefined, { token: alice.token })).status).toBe(403);
    expect((await api.post(`/exchanges/${ex.exchange_id}/confirm?confirmer_user_id=abc`, undefined, { token: alice.token })).status).toBe(400);
    expect((await api.post(`/exchanges/${ex.exchange_id}/confirm`)).status).toBe(401);
    const rows = await fleet.sql(`SELECT confirmed_at FROM matching.exchange_participants WHERE exchange_id = $1 AND confirmed_at IS NOT NULL`, [ex.exchange_id]);
    expect(rows).toHaveLength(0);
  });

  it('both confirm (through each alias; a repeat is harmless) → completed, items leave the public lists, history and export show it', async () => {
    const [ex] = await exchangesOf(api, alice);
    const first = await api.post(`/api/exchanges/${ex.exchange_id}/confirm?confirmer_user_id=${alice.id}`, undefined, { token: alice.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'success', exchange_id: ex.exchange_id, confirmed_by: alice.id, exchange_status: 'pending', confirmations: [alice.id] });
    const again = await api.post(`/exchanges/${ex.exchange_id}/confirm`, undefined, { token: alice.token });
    expect(again.status).toBe(200);
    expect(again.body.confirmations).toEqual([alice.id]);

    const done = await api.post(`/api/listings/exchanges/${ex.exchange_id}/confirm`, undefined, { token: bob.token });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ exchange_status: 'completed', participants: expect.arrayContaining([alice.id, bob.id]) });
    expect(done.body.items_archived).toEqual(expect.arrayContaining([...aliceItems.offers, ...bobItems.offers, ...aliceItems.wants, ...bobItems.wants]));

    expect(await exchangesOf(api, alice)).toEqual([]);
    const events = await fleet.sql<{ type: string }>(`SELECT type FROM matching.outbox WHERE envelope->>'aggregate_id' = $1 ORDER BY seq`, [ex.exchange_id]);
    expect(events.map((e) => e.type)).toEqual(['matching.match.found', 'matching.exchange.confirmed', 'matching.exchange.confirmed', 'matching.exchange.accepted', 'matching.exchange.completed']);

    // Listings archives the items when it handles matching.exchange.completed.
    await eventually(async () => {
      const offers = await api.get(`/api/listings/user/${alice.id}`);
      return offers.status === 200 && offers.body.total === 0;
    }, 10000);
    const archived = await fleet.sql<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM listings.items WHERE id = ANY($1)`, [done.body.items_archived]);
    expect(archived.every((r) => r.status === 'archived' && r.status_reason === 'exchange_completed')).toBe(true);

    const history = await api.get('/api/history/my-exchanges?status=completed', { token: alice.token });
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ total: 1, filters_applied: ['status:COMPLETED'] });
    expect(history.body.exchanges[0]).toMatchObject({ id: ex.exchange_id, status: 'COMPLETED', partner_name: 'Bob B', completed_at: expect.stringMatching(/Z$/) });

    const detail = await api.get(`/api/history/exchanges/${ex.exchange_id}`, { token: bob.token });
    expect(detail.status).toBe(200);
    expect(detail.body.timeline.map((t: any) => t.event_type)).toEqual(['CREATED', 'CONFIRMED', 'CONFIRMED', 'ACCEPTED_BY_ALL', 'COMPLETED']);
    expect(detail.body.participants).toHaveLength(2);
    expect((await api.get(`/api/history/exchanges/${ex.exchange_id}`, { token: carol.token })).status).toBe(403);
    expect((await api.get(`/api/history/exchanges/mutual_9_10_11_12`, { token: carol.token })).status).toBe(404);

    const csv = await api.get('/api/history/my-exchanges/export?format=CSV', { token: alice.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="exchange-history-.*\.csv"$/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('exchange_id,partner_name,status,completed_at,rating_given,items');
    expect(lines[1]).toMatch(new RegExp(`^${ex.exchange_id},Bob B,COMPLETED,\\d{4}-.*Z,,"велосипед, дрель"$|^${ex.exchange_id},Bob B,COMPLETED,\\d{4}-.*Z,,"дрель, велосипед"$`));

    const json = await api.get('/api/history/my-exchanges/export', { token: alice.token });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/\.json"$/);
    expect(json.body).toMatchObject({ total: 1, exchanges: [expect.objectContaining({ id: ex.exchange_id })] });
    const none = await api.get('/api/history/my-exchanges/export?format=JSON&end_date=2000-01-01', { token: alice.token });
    expect(none.body.total).toBe(0);
  });

  it('history and export reject bad input', async () => {
    expect((await api.get('/api/history/my-exchanges?status=DONE', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/history/my-exchanges?limit=1000', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/history/my-exchanges/export?format=XML', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/history/my-exchanges/export?start_date=yesterday', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/history/my-exchanges/export?start_date=2025-02-01&end_date=2025-01-01', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/history/my-exchanges')).status).toBe(401);
  });
});
