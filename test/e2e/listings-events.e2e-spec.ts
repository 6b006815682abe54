import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { EVENTS_STREAM, EventTypes, RpcSubjects, eventSubject, type EventEnvelope } from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Api, eventually, loginAdmin, registerUser, startFleet, waitForConsumerAck, type LoggedInUser, type TestFleet } from '@app/testing';

interface OutboxRow {
  type: string;
  aggregate_id: string;
  envelope: EventEnvelope;
  published_at: Date | null;
}

describe('Listing events and the identity consumer', () => {
  let fleet: TestFleet;
  let api: Api;
  let nc: NatsConnection;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings'] });
    api = new Api(fleet.baseUrl);
    nc = await connect({ servers: fleet.env.NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await fleet?.close();
  });

  const outbox = (itemIds: number[]) =>
    fleet.sql<OutboxRow>(
      `SELECT type, envelope->>'aggregate_id' AS aggregate_id, envelope, published_at FROM listings.outbox WHERE envelope->>'aggregate_id' = ANY($1::text[]) ORDER BY seq`,
      [itemIds.map(String)],
    );
  const statuses = async (userId: number) =>
    fleet.sql<{ id: number; status: string; status_reason: string | null; version: number }>('SELECT id, status, status_reason, version FROM listings.items WHERE user_id = $1 ORDER BY id', [userId]);

  async function withItems(user: LoggedInUser) {
    const res = await api.post(
      '/api/listings/create-by-categories',
      { wants: { hand_tools: [{ item_name: 'Дрель', value_tenge: 3000, duration_days: 2 }] }, offers: { PERMANENT: [{ item_name: 'Велосипед', value_tenge: 30000 }] }, locations: ['Астана'] },
      { token: user.token },
    );
    expect(res.status).toBe(201);
    return { listingId: res.body.id as number, ids: res.body.listings.map((i: { id: number }) => i.id) as number[] };
  }

  it('writes item.created with everything matching needs, in the same transaction, and publishes it to JetStream', async () => {
    const user = await registerUser(api);
    const { listingId, ids } = await withItems(user);
    const rows = await outbox(ids);
    expect(rows.map((r) => r.type)).toEqual(['listings.item.created', 'listings.item.created']);
    expect(rows[0].envelope).toMatchObject({ type: 'listings.item.created', version: 1, producer: 'listings', aggregate_id: String(ids[0]) });
    expect(rows[0].envelope.data).toEqual({
      item_id: ids[0],
      listing_id: listingId,
      user_id: user.id,
      item_type: 'WANT',
      exchange_type: 'TEMPORARY',
      category: 'hand_tools',
      item_name: 'Дрель',
      description: null,
      value_tenge: 3000,
      duration_days: 2,
      locations: ['Астана'],
      status: 'active',
      item_version: 1,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    await eventually(async () => (await outbox(ids)).every((r) => r.published_at !== null));
    const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, { filter_subjects: eventSubject(EventTypes.listingsItemCreated) });
    const seen: EventEnvelope[] = [];
    const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
    for await (const message of batch) {
      seen.push(message.json<EventEnvelope>());
      if (seen.some((e) => e.aggregate_id === String(ids[1]))) break;
    }
    expect(seen.map((e) => e.id)).toEqual(expect.arrayContaining(rows.map((r) => r.envelope.id)));
  });

  it('emits item.updated and item.archived with a growing item_version', async () => {
    const user = await registerUser(api);
    const { listingId, ids } = await withItems(user);
    await api.patch(`/listings/${listingId}`, { update_items: [{ id: ids[1], value_tenge: 35000 }] }, { token: user.token });
    await api.patch(`/listings/${listingId}`, { remove_items: [ids[1]] }, { token: user.token });
    const events = (await outbox([ids[1]])).map((r) => r.envelope);
    expect(events.map((e) => [e.type, (e.data as { item_version: number }).item_version])).toEqual([
      ['listings.item.created', 1],
      ['listings.item.updated', 2],
      ['listings.item.archived', 3],
    ]);
    expect(events[1].data).toMatchObject({ value_tenge: 35000, changed_fields: ['value_tenge'] });
    expect(events[2].data).toMatchObject({ status: 'archived', reason: 'removed_by_owner', archived_at: expect.stringMatching(/Z$/) });
  });

  it('archives every item of a deleted account (identity.user.deleted), once, even if the event comes again', async () => {
    const user = await registerUser(api);
    const { ids } = await withItems(user);
    const deleted = await api.delete('/user/account', { token: user.token });
    expect(deleted.status).toBe(200);
    const archived = await eventually(async () => {
      const rows = await statuses(user.id);
      return rows.every((r) => r.status === 'archived') && rows;
    });
    expect(archived.map((r) => [r.status_reason, r.version])).toEqual([
      ['owner_deleted', 2],
      ['owner_deleted', 2],
    ]);
    const events = await outbox(ids);
    expect(events.filter((e) => e.type === 'listings.item.archived').map((e) => (e.envelope.data as { reason: string }).reason)).toEqual(['owner_deleted', 'owner_deleted']);
    expect((await api.get(`/api/listings/user/${user.id}`)).body.total).toBe(0);

    // The same event delivered again (same event id, new JetStream message) changes nothing.
    const [original] = await fleet.sql<{ envelope: EventEnvelope }>(
      `SELECT envelope FROM identity.outbox WHERE type = 'identity.user.deleted' AND envelope->>'aggregate_id' = $1`,
      [String(user.id)],
    );
    const redelivered = await jetstream(nc).publish(eventSubject(EventTypes.identityUserDeleted), JSON.stringify(original.envelope), { msgID: randomUUID() });
    // Wait until listings' consumer has taken and acked that very message (the inbox row is from the first delivery).
    await waitForConsumerAck(nc, 'listings-identity-users', redelivered.seq);
    expect((await fleet.sql<{ n: number }>(`SELECT count(*)::int AS n FROM listings.inbox WHERE event_id = $1`, [original.envelope.id]))[0].n).toBe(1);
    expect((await outbox(ids)).filter((e) => e.type === 'listings.item.archived')).toHaveLength(2);
    expect((await statuses(user.id)).map((r) => r.version)).toEqual([2, 2]);
  });

  it('hides a deactivated user’s items and restores them on reactivation (item.hidden / item.restored)', async () => {
    const user = await registerUser(api);
    const { listingId, ids } = await withItems(user);
    await api.patch(`/listings/${listingId}`, { remove_items: [ids[0]] }, { token: user.token });
    const admin = await loginAdmin(api);
    const bus = fleet.gateway.get(BusClient);
    const ctx = { correlation_id: randomUUID(), caller: { id: admin.id, role: 'admin' as const } };
    await bus.send(RpcSubjects.identityUsersSetActive, { user_id: user.id, active: false, reason: 'spam' }, ctx);
    await eventually(async () => (await statuses(user.id))[1].status === 'hidden');
    expect((await statuses(user.id))[0].status).toBe('archived'); // archived stays archived
    expect((await api.get(`/api/listings/user/${user.id}`)).body.total).toBe(0);
    await bus.send(RpcSubjects.identityUsersSetActive, { user_id: user.id, active: true }, ctx);
    await eventually(async () => (await statuses(user.id))[1].status === 'active');
    const events = (await outbox([ids[1]])).map((r) => [r.type, (r.envelope.data as { item_version: number }).item_version]);
    expect(events).toEqual([
      ['listings.item.created', 1],
      ['listings.item.hidden', 2],
      ['listings.item.restored', 3],
    ]);
    expect((await api.get(`/api/listings/user/${user.id}`)).body.total).toBe(1);
  });

  it('archives the items of a completed exchange (matching.exchange.completed), with reason exchange_completed', async () => {
    const user = await registerUser(api);
    const { ids } = await withItems(user);
    const envelope: EventEnvelope<typeof EventTypes.matchingExchangeCompleted> = {
      id: randomUUID(),
      type: EventTypes.matchingExchangeCompleted,
      version: 1,
      occurred_at: new Date().toISOString(),
      producer: 'matching',
      aggregate_id: `mutual_${user.id}_999_${ids[1]}_1`,
      data: { exchange_id: `mutual_${user.id}_999_${ids[1]}_1`, kind: 'BILATERAL', participants: [], user_ids: [user.id, 999], item_ids: [ids[1]], completed_at: new Date().toISOString() },
    };
    await jetstream(nc).publish(eventSubject(envelope.type), JSON.stringify(envelope), { msgID: envelope.id });
    await eventually(async () => (await statuses(user.id))[1].status === 'archived');
    expect((await statuses(user.id)).map((r) => [r.status, r.status_reason])).toEqual([
      ['active', null],
      ['archived', 'exchange_completed'],
    ]);
    const archived = (await outbox([ids[1]])).find((r) => r.type === 'listings.item.archived');
    expect(archived?.envelope.data).toMatchObject({ reason: 'exchange_completed', item_version: 2 });
  });

  it('keeps the owners’ cities from identity events for the city filter', async () => {
    const user = await registerUser(api, { city: 'Шымкент' });
    await eventually(async () => (await fleet.sql<{ locations: string[] }>('SELECT locations FROM listings.owners WHERE user_id = $1', [user.id]))[0]?.locations?.[0] === 'Шымкент');
    const res = await api.put(`/api/users/${user.id}/locations`, { locations: ['Алматы', 'Астана'] }, { token: user.token });
    expect(res.status).toBe(200);
    await eventually(async () => (await fleet.sql<{ locations: string[] }>('SELECT locations FROM listings.owners WHERE user_id = $1', [user.id]))[0].locations.length === 2);
    await api.post('/api/listings/create', { item_type: 'OFFER', exchange_type: 'PERMANENT', item_name: 'Самовар', value_tenge: 9000 }, { token: user.token });
    const names = async (city: string) => (await api.get(`/api/listings/offers?city=${encodeURIComponent(city)}&limit=100`)).body.items.map((i: { item_name: string }) => i.item_name);
    expect(await names('Астана')).toContain('Самовар');
    expect(await names('Шымкент')).not.toContain('Самовар');
  });
});
