/**
 * The apps of the fleet, in start order. Adding a service is one entry here (plus its
 * port): the dev start script and the process supervisor read this list.
 */
export interface FleetApp {
  name: string;
  /** Compiled entry point, relative to the repository root. */
  entry: string;
  /** Env var holding its HTTP port (probes and metrics for services, the API for the gateway). */
  portEnv: string;
  defaultPort: number;
  /** Path answering 200 when the app is ready. */
  readyPath: string;
}

export const SERVICES: FleetApp[] = [
  { name: 'identity', entry: 'dist/apps/identity/src/main.js', portEnv: 'IDENTITY_HTTP_PORT', defaultPort: 8001, readyPath: '/health/ready' },
  { name: 'listings', entry: 'dist/apps/listings/src/main.js', portEnv: 'LISTINGS_HTTP_PORT', defaultPort: 8002, readyPath: '/health/ready' },
  { name: 'matching', entry: 'dist/apps/matching/src/main.js', portEnv: 'MATCHING_HTTP_PORT', defaultPort: 8003, readyPath: '/health/ready' },
];

export const GATEWAY: FleetApp = { name: 'gateway', entry: 'dist/apps/gateway/src/main.js', portEnv: 'PORT', defaultPort: 8000, readyPath: '/health/ready' };
