import { Api, loginAdmin, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';
import { exchangesOf, list, waitForExchanges } from './matching-helpers';

jest.setTimeout(60000);

describe('Matching: exchange chains, accept/decline, and races', () => {
  let fleet: TestFleet;
  let api: Api;
  let admin: { id: number; token: string };
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let charlie: LoggedInUser;
  let outsider: LoggedInUser;
  let chain: any;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
    admin = await loginAdmin(api);
    [alice, bob, charlie, outsider] = [
      await registerUser(api, { city: 'Алматы' }),
      await registerUser(api, { city: 'Алматы' }),
      await registerUser(api, { city: 'Алматы' }),
      await registerUser(api, { city: 'Алматы' }),
    ];
  });
  afterAll(() => fleet?.close());

  const outboxTypes = async (aggregateId: string) =>
    (await fleet.sql<{ type: string }>(`SELECT type FROM matching.outbox WHERE envelope->>'aggregate_id' = $1 ORDER BY seq`, [aggregateId])).map((r) => r.type);

  it('three users (scenario A4) → exactly one chain of three, found without a pipeline run, visible to all three', async () => {
    const a = await list(api, alice, ['инструменты'], ['запчасти велосипеда']);
    const b = await list(api, bob, ['запчасти велосипеда'], ['велосипед детский']);
    const c = await list(api, charlie, ['велосипед детский'], ['инструменты']);
    [chain] = await waitForExchanges(api, alice, 1);
    expect(chain).toMatchObject({ kind: 'CHAIN', status: 'pending', chain_id: expect.any(Number), exchange_id: `chain_${chain.chain_id}` });
    expect(chain.participants.map((p: any) => p.user_id).sort()).toEqual([alice.id, bob.id, charlie.id].sort());
    // Alice gives parts and receives tools from Charlie.
    expect(chain.you_give).toEqual([expect.objectContaining({ item_id: a.offers[0] })]);
    expect(chain.you_receive).toEqual([expect.objectContaining({ item_id: c.offers[0] })]);
    expect(chain.partner_username).toBe(charlie.username);
    for (const u of [bob, charlie]) expect((await waitForExchanges(api, u, 1))[0].exchange_id).toBe(chain.exchange_id);
    expect(b.offers).toHaveLength(1);
    expect(await outboxTypes(chain.exchange_id)).toEqual(['matching.chain.proposed']);
  });

  it('lists chains: all (paged), a user’s own (others 403, staff allowed), with validation', async () => {
    const all = await api.get('/api/chains/all', { token: outsider.token });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 1, skip: 0, limit: 20 });
    expect(all.body.items[0]).toMatchObject({ id: chain.chain_id, status: 'pending', items: expect.any(Array), participants: expect.arrayContaining([alice.username, bob.username, charlie.username]) });
    expect((await api.get('/api/chains/all?limit=0', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/chains/all?status=weird', { token: alice.token })).status).toBe(400);
    expect((await api.get('/api/chains/all')).status).toBe(401);

    const mine = await api.get(`/api/chains/user/${alice.id}`, { token: alice.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: any) => c.id)).toEqual([chain.chain_id]);
    expect((await api.get(`/api/chains/user/${alice.id}`, { token: outsider.token })).status).toBe(403);
    expect((await api.get(`/api/chains/user/${outsider.id}`, { token: outsider.token })).body.total).toBe(0);
    expect((await api.get(`/api/chains/user/${alice.id}`, { token: admin.token })).body.total).toBe(1);
    expect((await api.get(`/api/chains/user/abc`, { token: alice.token })).status).toBe(400);
  });

  it('discover: POST and GET, validated (min ≥ 2, max ≤ 10, min ≤ max)', async () => {
    const post = await api.post('/api/chains/discover', { min_participants: 3, max_participants: 10 }, { token: alice.token });
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ chains_created: 0, total_participants: 3, chains: [{ id: chain.chain_id, participants: 3, items: expect.any(Array), score: expect.any(Number) }] });
    const get = await api.get('/api/chains/discover?min_participants=4', { token: alice.token });
    expect(get.status).toBe(200);
    expect(get.body.chains).toEqual([]);
    for (const body of [{ min_participants: 1 }, { max_participants: 11 }, { min_participants: 5, max_participants: 3 }, { min_participants: 'x' }, { other: 1 }]) {
      const res = await api.post('/api/chains/discover', body, { token: alice.token });
      expect(res.status).toBe(400);
      expect(res.body.error_type).toBe('validation_error');
    }
    expect((await api.get('/api/chains/discover?max_participants=11', { token: alice.token })).status).toBe(400);
    expect((await api.post('/api/chains/discover', {})).status).toBe(401);
  });

  it('accept: identity from the token (foreign user_id 403, non-participant 403, unknown 404); confirm waits for every accept', async () => {
    const id = chain.exchange_id;
    expect((await api.post(`/api/chains/${id}/accept`, { user_id: bob.id }, { token: alice.token })).status).toBe(403);
    expect((await api.post(`/api/chains/${id}/accept`, {}, { token: outsider.token })).status).toBe(403);
    expect((await api.post(`/api/chains/${id}/decline`, {}, { token: outsider.token })).status).toBe(403);
    expect((await api.post(`/api/chains/999999/accept`, {}, { token: alice.token })).status).toBe(404);
    expect((await api.post(`/api/chains/x-y/accept`, {}, { token: alice.token })).status).toBe(400);
    expect((await api.post(`/api/chains/${id}/accept`, { user_id: 'me' }, { token: alice.token })).status).toBe(400);

    const accepted = await api.post(`/api/chains/${chain.chain_id}/accept`, { user_id: alice.id }, { token: alice.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ chain_id: chain.chain_id, user_id: alice.id, status: 'accepted', exchange_status: 'pending' });
    const early = await api.post(`/exchanges/${id}/confirm`, undefined, { token: alice.token });
    expect(early.status).toBe(409);
    await api.post(`/api/chains/${id}/accept`, {}, { token: bob.token });
    const last = await api.post(`/api/chains/${id}/accept`, {}, { token: charlie.token });
    expect(last.body.exchange_status).toBe('accepted');
    // Accepting twice is harmless.
    expect((await api.post(`/api/chains/${id}/accept`, {}, { token: charlie.token })).status).toBe(200);
    expect(await outboxTypes(id)).toEqual(['matching.chain.proposed', 'matching.exchange.accepted']);
  });

  it('50 parallel confirms by the three participants → completed exactly once', async () => {
    const id = chain.exchange_id;
    const users = [alice, bob, charlie];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => api.post(`/exchanges/${id}/confirm`, undefined, { token: users[i % 3].token })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const types = await outboxTypes(id);
    expect(types.filter((t) => t === 'matching.exchange.confirmed')).toHaveLength(3);
    expect(types.filter((t) => t === 'matching.exchange.completed')).toHaveLength(1);
    expect(results.filter((r) => r.body.message.startsWith('Exchange confirmed and items'))).toHaveLength(1);
    const [row] = await fleet.sql<{ status: string }>(`SELECT status FROM matching.exchanges WHERE id = $1`, [id]);
    expect(row.status).toBe('completed');
    expect(await exchangesOf(api, alice)).toEqual([]);
    const history = await api.get(`/api/history/exchanges/${id}`, { token: charlie.token });
    expect(history.body.timeline.map((t: any) => t.event_type)).toEqual(['CREATED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED_BY_ALL', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'COMPLETED']);
    // Accept or decline after completion: 409.
    expect((await api.post(`/api/chains/${id}/decline`, {}, { token: alice.token })).status).toBe(409);
  });

  it('50 parallel accepts and declines on a bilateral exchange → exactly one cancellation, nothing after it', async () => {
    const [d, e] = [await registerUser(api, { city: 'Астана' }), await registerUser(api, { city: 'Астана' })];
    await list(api, d, ['гитара'], ['самокат']);
    await list(api, e, ['самокат'], ['гитара']);
    const [ex] = await waitForExchanges(api, d, 1);
    const calls = Array.from({ length: 50 }, (_, i) => {
      const who = i % 2 ? d : e;
      return api.post(`/api/chains/${ex.exchange_id}/${i % 5 === 0 ? 'decline' : 'accept'}`, { reason: 'не подходит' }, { token: who.token });
    });
    const results = await Promise.all(calls);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const types = await outboxTypes(ex.exchange_id);
    expect(types.filter((t) => t === 'matching.exchange.cancelled')).toHaveLength(1);
    expect(types[types.length - 1]).toBe('matching.exchange.cancelled');
    const [row] = await fleet.sql<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM matching.exchanges WHERE id = $1`, [ex.exchange_id]);
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'declined' });
    expect(await exchangesOf(api, d)).toEqual([]);
    const cancelled = await api.get('/api/history/my-exchanges?status=CANCELLED', { token: e.token });
    expect(cancelled.body.exchanges.map((x: any) => x.id)).toEqual([ex.exchange_id]);
    expect((await api.post(`/exchanges/${ex.exchange_id}/confirm`, undefined, { token: d.token })).status).toBe(409);
  });
});
