import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@app/contracts';
import { Api, aUser, eventually, startFleet, type TestFleet } from '@app/testing';

const ENTRY = join(__dirname, '..', '..', 'dist', 'apps', 'identity', 'src', 'main.js');

/** The real identity process (compiled), so a crash is a real SIGKILL. */
function spawnIdentity(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [ENTRY], { env: { ...process.env, ...env, IDENTITY_HTTP_PORT: '0' }, stdio: 'ignore' });
}

describe('Outbox: a crash between commit and publish loses no event', () => {
  let fleet: TestFleet;
  let api: Api;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: npm test builds it (npm run build)`);
    fleet = await startFleet({ services: [] });
    api = new Api(fleet.baseUrl);
    nc = await connect({ servers: fleet.env.NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await nc?.close();
    await fleet?.close();
  });

  const storedRegistered = async (): Promise<number> => {
    const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: 'events.identity.user.registered' });
    return info.state.subjects?.['events.identity.user.registered'] ?? 0;
  };

  it('publishes the event after a restart, exactly once, even if the relay publishes it again', async () => {
    // 1. identity commits the registration but dies before its relay publishes anything.
    const first = spawnIdentity({ ...fleet.env, OUTBOX_RELAY_ENABLED: 'false' });
    children.push(first);
    const input = aUser();
    const registered = await eventually(async () => {
      const res = await api.post('/auth/register', input);
      return res.status === 200 ? res.body : undefined;
    }, 30_000, 200);
    const pending = await fleet.sql<{ id: string; published_at: Date | null }>(
      `SELECT id, published_at FROM identity.outbox WHERE type = 'identity.user.registered' AND envelope->>'aggregate_id' = $1`,
      [String(registered.id)],
    );
    expect(pending).toHaveLength(1);
    expect(pending[0].published_at).toBeNull();
    const before = await storedRegistered();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    // 2. A new identity process (relay on) finds the row and publishes it.
    const second = spawnIdentity(fleet.env);
    children.push(second);
    await eventually(async () => (await storedRegistered()) > before, 30_000, 100);
    const row = await eventually(async () => {
      const rows = await fleet.sql<{ published_at: Date | null }>(`SELECT published_at FROM identity.outbox WHERE id = $1`, [pending[0].id]);
      return rows[0].published_at ? rows[0] : undefined;
    });
    expect(row.published_at).not.toBeNull();
    // The bootstrap admin's event (if it was still pending) and this user's: one each.
    const published = await storedRegistered();

    // 3. A crash after publish but before marking the row makes the relay publish it again:
    //    JetStream drops the duplicate by its Nats-Msg-Id.
    await fleet.sql(`UPDATE identity.outbox SET published_at = NULL WHERE id = $1`, [pending[0].id]);
    await eventually(async () => (await fleet.sql<{ published_at: Date | null }>(`SELECT published_at FROM identity.outbox WHERE id = $1`, [pending[0].id]))[0].published_at);
    expect(await storedRegistered()).toBe(published);

    const message = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: 'events.identity.user.registered' });
    expect(message?.json<{ id: string; data: { user_id: number } }>()).toMatchObject({ id: pending[0].id, data: { user_id: registered.id } });
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    expect(second.exitCode).toBe(0);
  });
});
