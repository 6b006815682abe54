import { eventually, type Api, type LoggedInUser, type TestFleet } from '@app/testing';

export const permanentItem = (item_type: 'WANT' | 'OFFER', item_name: string, value_tenge = 20000, extra: Record<string, unknown> = {}) => ({
  item_type,
  exchange_type: 'PERMANENT',
  item_name,
  value_tenge,
  ...extra,
});

/** Creates one item through the gateway and returns its id. */
export async function createItem(api: Api, user: LoggedInUser, item: Record<string, unknown>): Promise<number> {
  const res = await api.post('/api/listings/create', item, { token: user.token });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A user's wants and offers: `[wants], [offers]`; returns the ids in the same order. */
export async function list(api: Api, user: LoggedInUser, wants: string[], offers: string[], value = 20000): Promise<{ wants: number[]; offers: number[] }> {
  const w: number[] = [];
  const o: number[] = [];
  for (const name of wants) w.push(await createItem(api, user, permanentItem('WANT', name, value)));
  for (const name of offers) o.push(await createItem(api, user, permanentItem('OFFER', name, value)));
  return { wants: w, offers: o };
}

export async function exchangesOf(api: Api, user: LoggedInUser): Promise<any[]> {
  const res = await api.get('/user/exchanges', { token: user.token });
  if (res.status !== 200) throw new Error(`/user/exchanges: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the user sees exactly `count` live exchanges (matching runs on events). */
export function waitForExchanges(api: Api, user: LoggedInUser, count: number, timeoutMs = 10000): Promise<any[]> {
  return eventually(async () => {
    const list = await exchangesOf(api, user);
    return list.length === count ? list : null;
  }, timeoutMs);
}

/**
 * Waits until matching has taken in every item and the cities of these users (its
 * projection holds each item at its current version, and each user's cities). The
 * engine runs in the same transaction as the projection, so what happens next (a
 * pipeline run, "no exchange" asserted) sees them without guessing how long event
 * delivery takes.
 */
export function waitForMatching(fleet: TestFleet, ...users: LoggedInUser[]): Promise<boolean> {
  return eventually(async () => {
    const ids = users.map((u) => u.id);
    const [behind] = await fleet.sql<{ items: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM listings.items l WHERE l.user_id = ANY($1)
                 AND NOT EXISTS (SELECT 1 FROM matching.items m WHERE m.item_id = l.id AND m.item_version >= l.version)) AS items,
              (SELECT count(*)::int FROM identity.users i WHERE i.id = ANY($1)
                 AND NOT EXISTS (SELECT 1 FROM matching.users m WHERE m.user_id = i.id AND m.locations @> i.locations AND m.locations <@ i.locations)) AS users`,
      [ids],
    );
    return behind.items === 0 && behind.users === 0;
  }, 15000);
}
