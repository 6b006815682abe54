import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { waitForPort } from './ports';

export const NATS_INSTALL_COMMAND = 'apt-get update && apt-get install -y nats-server';

function onPath(binary: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * Finds nats-server on PATH; installs it with apt-get where that is possible (root on
 * Debian/Ubuntu), otherwise stops with the exact command to run.
 */
export function ensureNatsServer(log: (msg: string) => void = console.log): string {
  const existing = onPath('nats-server');
  if (existing) return existing;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    log('nats-server not found: installing it with apt-get (Debian package nats-server)');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server'], { stdio: 'inherit' });
    const installed = onPath('nats-server');
    if (installed) return installed;
  }
  throw new Error(`nats-server is not installed. Install it with:\n  sudo ${NATS_INSTALL_COMMAND}\nor point NATS_URL at a running NATS server with JetStream enabled.`);
}

export interface NatsHandle {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** NATS with JetStream (file storage) on loopback. */
export async function startNats(options: { port: number; storeDir: string; log?: (msg: string) => void }): Promise<NatsHandle> {
  const binary = ensureNatsServer(options.log);
  mkdirSync(options.storeDir, { recursive: true });
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(options.port), '-sd', options.storeDir, '-m', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(options.port, 15_000, () => child.exitCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`nats-server did not start on port ${options.port}: ${stderr || String(error)}`);
  }
  return {
    url: `nats://127.0.0.1:${options.port}`,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
