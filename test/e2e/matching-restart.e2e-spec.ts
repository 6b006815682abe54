import { Api, registerUser, startFleet, type TestFleet } from '@app/testing';
import { list, waitForExchanges } from './matching-helpers';

jest.setTimeout(60000);

describe('Matching restart: the engine reloads from its projection and catches up on events', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('keeps the proposals it had (same ids, nothing cancelled) and matches what was listed while it was down', async () => {
    const [alice, bob, carol, dave] = [
      await registerUser(api, { city: 'Алматы' }),
      await registerUser(api, { city: 'Алматы' }),
      await registerUser(api, { city: 'Астана' }),
      await registerUser(api, { city: 'Астана' }),
    ];
    await list(api, alice, ['дрель'], ['велосипед']);
    await list(api, bob, ['велосипед'], ['дрель']);
    const [before] = await waitForExchanges(api, alice, 1);

    await fleet.stopService('matching');
    await list(api, carol, ['палатка'], ['гитара']);
    await list(api, dave, ['гитара'], ['палатка']);
    expect([503, 504]).toContain((await api.get('/user/exchanges', { token: carol.token })).status);

    await fleet.startService('matching');
    // An event handed to the stopped replica's last pull comes back after the consumer's
    // ack_wait (30 s): catching up may take that long, never longer.
    const [after] = await waitForExchanges(api, alice, 1, 40_000);
    expect(after).toMatchObject({ exchange_id: before.exchange_id, match_id: before.match_id, created_at: before.created_at, status: 'pending' });
    const [late] = await waitForExchanges(api, carol, 1, 40_000);
    expect(late.partner_username).toBe(dave.username);
    const cancelled = await fleet.sql(`SELECT id FROM matching.exchanges WHERE status = 'cancelled'`);
    expect(cancelled).toEqual([]);
    // Each event was applied once (inbox), however often it was delivered.
    const dupes = await fleet.sql(`SELECT event_id FROM matching.inbox GROUP BY consumer, event_id HAVING count(*) > 1`);
    expect(dupes).toEqual([]);
  });
});
