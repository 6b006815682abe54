import { Api, loginAdmin, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';
import { exchangesOf, list, waitForExchanges, waitForMatching } from './matching-helpers';

jest.setTimeout(90000);

/**
 * Lifecycle pins and declines (DESIGN §5.7): an exchange every participant accepted, or
 * that someone confirmed, is never replanned (not by a pipeline run, not by a restart);
 * a decline frees the loop's items at once and the refused pairing never comes back.
 * Each story trades in its own city so they do not meet.
 */
describe('Matching lifecycle: pinned exchanges survive re-planning and restarts; a decline frees the items for good', () => {
  let fleet: TestFleet;
  let api: Api;
  let admin: { id: number; token: string };
  const users = (city: 'Алматы' | 'Астана' | 'Шымкент', n: number) => Promise.all(Array.from({ length: n }, () => registerUser(api, { city })));
  const runPipeline = async () => {
    const res = await api.post('/api/matching/run-pipeline', {}, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
  };
  const row = async (id: string) => (await fleet.sql<{ status: string; cancel_reason: string | null }>(`SELECT status, cancel_reason FROM matching.exchanges WHERE id = $1`, [id]))[0];

  // Half-confirmed bilateral (Алматы): Alice's tent for Bob's drill; Bob confirmed.
  let alice: LoggedInUser, bob: LoggedInUser, carol: LoggedInUser, dave: LoggedInUser;
  let bilateral: any;
  // Accepted chain (Астана).
  let chainUsers: LoggedInUser[];
  let tempters: LoggedInUser[];
  let chain: any;
  // Declined bilateral (Шымкент): Bob2 declines Alice2's tent; Carol2 fits instead.
  let alice2: LoggedInUser, bob2: LoggedInUser, carol2: LoggedInUser;
  let a2: { wants: number[]; offers: number[] }, b2: { wants: number[]; offers: number[] };
  let declined: any;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
    admin = await loginAdmin(api);
  });
  afterAll(() => fleet?.close());

  it('a half-confirmed bilateral is pinned: a larger loop through its item appears, a pipeline run re-solves, it stays', async () => {
    [alice, bob, carol, dave] = await users('Алматы', 4);
    await list(api, alice, ['дрель'], ['палатка']);
    await list(api, bob, ['палатка'], ['дрель']);
    [bilateral] = await waitForExchanges(api, alice, 1);
    const confirmed = await api.post(`/exchanges/${bilateral.exchange_id}/confirm`, undefined, { token: bob.token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.confirmations).toEqual([bob.id]);

    // Bob → Carol → Dave → Bob would trade three items instead of two: the optimiser would
    // take Bob's drill for it if the exchange were not pinned.
    await list(api, carol, ['дрель'], ['велосипед']);
    await list(api, dave, ['велосипед'], ['палатка']);
    // Matching knows the larger loop's items before the re-plans (else they would prove nothing).
    await waitForMatching(fleet, carol, dave);
    await runPipeline();
    await runPipeline();

    const [still] = await waitForExchanges(api, bob, 1);
    expect(still).toMatchObject({ exchange_id: bilateral.exchange_id, match_id: bilateral.match_id, status: 'pending', created_at: bilateral.created_at });
    expect(still.participants.find((p: any) => p.user_id === bob.id).confirmed).toBe(true);
    expect(await exchangesOf(api, carol)).toEqual([]);
    expect(await exchangesOf(api, dave)).toEqual([]);
    expect(await row(bilateral.exchange_id)).toEqual({ status: 'pending', cancel_reason: null });
  });

  it('an accepted chain is pinned: a larger loop through one of its items appears, a pipeline run re-solves, it stays', async () => {
    chainUsers = await users('Астана', 3);
    const [x, y, z] = chainUsers;
    await list(api, x, ['инструменты'], ['запчасти велосипеда']);
    await list(api, y, ['запчасти велосипеда'], ['велосипед детский']);
    await list(api, z, ['велосипед детский'], ['инструменты']);
    [chain] = await waitForExchanges(api, x, 1);
    expect(chain.kind).toBe('CHAIN');
    for (const u of chainUsers) expect((await api.post(`/api/chains/${chain.exchange_id}/accept`, {}, { token: u.token })).status).toBe(200);
    expect(await row(chain.exchange_id)).toEqual({ status: 'accepted', cancel_reason: null });

    // X → E → F → G → X would trade four items instead of three.
    tempters = await users('Астана', 3);
    const [e, f, g] = tempters;
    await list(api, e, ['запчасти велосипеда'], ['палатка']);
    await list(api, f, ['палатка'], ['гитара']);
    await list(api, g, ['гитара'], ['инструменты']);
    await waitForMatching(fleet, ...tempters);
    await runPipeline();
    await runPipeline();

    for (const u of chainUsers) {
      const [mine] = await waitForExchanges(api, u, 1);
      expect(mine).toMatchObject({ exchange_id: chain.exchange_id, status: 'accepted' });
    }
    for (const u of tempters) expect(await exchangesOf(api, u)).toEqual([]);
    const confirmed = await api.post(`/exchanges/${chain.exchange_id}/confirm`, undefined, { token: x.token });
    expect(confirmed.body.confirmations).toEqual([x.id]);
  });

  it("after a decline the decliner's partner's item goes to a third user who fits, and the refused pairing never comes back", async () => {
    [alice2, bob2, carol2] = await users('Шымкент', 3);
    a2 = await list(api, alice2, ['дрель'], ['палатка']);
    b2 = await list(api, bob2, ['палатка'], ['дрель']);
    [declined] = await waitForExchanges(api, alice2, 1);
    // Carol would also swap a drill for Alice's tent, but the tent is taken.
    await list(api, carol2, ['палатка'], ['дрель']);
    await waitForMatching(fleet, carol2);
    await runPipeline();
    expect(await exchangesOf(api, carol2)).toEqual([]);

    const res = await api.post(`/api/chains/${declined.exchange_id}/decline`, { reason: 'передумал' }, { token: bob2.token });
    expect(res.status).toBe(200);
    expect(res.body.exchange_status).toBe('cancelled');

    // At once (no item changed, no pipeline run): Alice's tent is proposed to Carol.
    const [next] = await waitForExchanges(api, carol2, 1);
    expect(next.exchange_id).not.toBe(declined.exchange_id);
    expect(next.partner_username).toBe(alice2.username);
    expect(next.you_receive).toEqual([expect.objectContaining({ item_id: a2.offers[0] })]);
    expect((await waitForExchanges(api, alice2, 1))[0].exchange_id).toBe(next.exchange_id);
    expect(await row(declined.exchange_id)).toEqual({ status: 'cancelled', cancel_reason: 'declined' });
    expect(await fleet.sql(`SELECT want_item_id, offer_item_id, user_id FROM matching.forbidden_pairs WHERE exchange_id = $1`, [declined.exchange_id])).toEqual([
      { want_item_id: b2.wants[0], offer_item_id: a2.offers[0], user_id: bob2.id },
    ]);

    // Carol's proposal is withdrawn by declining it too: Alice's tent is free, yet never
    // offered to Bob again for that want, whatever re-planning runs.
    expect((await api.post(`/api/chains/${next.exchange_id}/decline`, {}, { token: carol2.token })).status).toBe(200);
    await runPipeline();
    await runPipeline();
    expect(await exchangesOf(api, bob2)).toEqual([]);
    expect(await exchangesOf(api, alice2)).toEqual([]);
    const live = await fleet.sql(`SELECT key FROM matching.exchanges WHERE status IN ('pending', 'accepted') AND key = $1`, [`loop:${Math.min(a2.offers[0], b2.offers[0])}>${Math.max(a2.offers[0], b2.offers[0])}`]);
    expect(live).toEqual([]);
  });

  it('a restart reloads the pins unchanged and keeps the declined pairing out', async () => {
    await fleet.stopService('matching');
    await fleet.startService('matching');
    await runPipeline();

    const [b] = await waitForExchanges(api, bob, 1);
    expect(b).toMatchObject({ exchange_id: bilateral.exchange_id, match_id: bilateral.match_id, status: 'pending', created_at: bilateral.created_at });
    expect(b.participants.find((p: any) => p.user_id === bob.id).confirmed).toBe(true);
    for (const u of chainUsers) expect((await waitForExchanges(api, u, 1))[0]).toMatchObject({ exchange_id: chain.exchange_id, status: 'accepted' });
    for (const u of [carol, dave, ...tempters, alice2, bob2, carol2]) expect(await exchangesOf(api, u)).toEqual([]);
    // Nothing was ever cancelled by re-planning; the only cancellations are the two declines.
    const cancelled = await fleet.sql<{ id: string; cancel_reason: string }>(`SELECT id, cancel_reason FROM matching.exchanges WHERE status = 'cancelled' ORDER BY seq`);
    expect(cancelled.map((c) => c.cancel_reason)).toEqual(['declined', 'declined']);
    expect(cancelled[0].id).toBe(declined.exchange_id);
  });
});
