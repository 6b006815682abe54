import { Api, registerUser, startFleet, type TestFleet } from '@app/testing';
import { list, waitForExchanges, waitForMatching } from './matching-helpers';

jest.setTimeout(60000);

const PASS_MS = 3000;

describe('Matching: a re-planning pass holds the engine, not the service', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    // Only the passes discover runs (no periodic one), each of PASS_MS.
    fleet = await startFleet({
      services: ['identity', 'listings', 'matching'],
      env: { MATCHING_DISCOVER_BUDGET_MS: String(PASS_MS), MATCHING_DISCOVER_MIN_INTERVAL_MS: '0', MATCHING_IMPROVE_INTERVAL_MS: '0' },
    });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('during a discover pass, requests to matching are answered; a listing made meanwhile is matched once it ends', async () => {
    const [alice, bob] = [await registerUser(api, { city: 'Алматы' }), await registerUser(api, { city: 'Алматы' })];
    // Alice's items match nothing yet: the pass spends its whole budget re-planning around them.
    const a = await list(api, alice, ['дрель'], ['велосипед']);
    await waitForMatching(fleet, alice);

    const started = Date.now();
    let passEnded = 0;
    const discover = api.post('/api/chains/discover', {}, { token: alice.token }).then((res) => {
      passEnded = Date.now();
      return res;
    });
    // Meanwhile: reads served by matching (gateway → NATS → matching → Postgres), one after another,
    // and Bob's listing that completes a swap with Alice (its event waits for the engine).
    const answeredAt: number[] = [];
    let bobListed = false;
    while (passEnded === 0) {
      if (!bobListed && Date.now() - started > PASS_MS / 3) {
        await list(api, bob, ['велосипед'], ['дрель']);
        bobListed = true;
      }
      const reply = await api.get('/user/exchanges', { token: alice.token });
      expect(reply.status).toBe(200);
      answeredAt.push(Date.now());
    }
    const res = await discover;
    expect(res.status).toBe(200);
    expect(passEnded - started).toBeGreaterThanOrEqual(PASS_MS * 0.8);
    // Answered all through the pass: never a silence anywhere near its length.
    const during = answeredAt.filter((t) => t < passEnded);
    expect(during.length).toBeGreaterThan(10);
    const gaps = during.map((t, i) => t - (i === 0 ? started : during[i - 1]));
    expect(Math.max(...gaps)).toBeLessThan(PASS_MS / 3);
    expect(bobListed).toBe(true);
    const [swap] = await waitForExchanges(api, alice, 1);
    expect(swap.you_give).toEqual([expect.objectContaining({ item_id: a.offers[0] })]);
  });
});
