import { Api, aUser, registerUser, startFleet, type TestFleet } from '@app/testing';
import { startGateway } from '../../apps/gateway/src/app';

describe('Gateway behaviour', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({
      services: ['identity'],
      env: { LOGIN_FAILURE_LIMIT: '5', AUTH_RATE_LIMIT_PER_MINUTE: '200', RPC_TIMEOUT_MS: '800', CORS_ORIGINS: 'https://app.freemarket.kz' },
    });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('answers GET /health and GET / exactly as the contract shows', async () => {
    expect((await api.get('/health')).body).toEqual({ status: 'ok', message: 'FreeMarket API is running' });
    expect((await api.get('/')).body).toEqual({ message: 'FreeMarket API', version: '1.0.0' });
  });

  it('serves liveness, readiness, metrics and the OpenAPI document', async () => {
    expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await api.get('/health/ready')).body).toMatchObject({ status: 'ready', checks: { nats: 'ok' } });
    const metrics = await api.get('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/process_cpu_user_seconds_total/);
    const doc = await api.get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/auth/login', '/auth/register', '/api/users/{user_id}', '/api/users/{user_id}/locations', '/user/profile']));
  });

  it('answers unknown routes with the JSON error envelope (404)', async () => {
    const res = await api.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status_code: 404, error_type: 'not_found', detail: expect.stringContaining('/api/nothing-here') });
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, both in the envelope', async () => {
    const malformed = await api.post('/auth/login', undefined, { raw: '{"username": "x", ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status_code: 400, error_type: 'validation_error', detail: 'Malformed JSON in request body' });
    const big = await api.post('/auth/register', undefined, { raw: JSON.stringify({ bio: 'x'.repeat(1_100_000) }) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ status_code: 413, error_type: 'payload_too_large' });
  });

  it('carries a correlation id: echoes X-Request-Id or makes one', async () => {
    const given = await api.get('/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const made = await api.get('/api/users/999999');
    expect(made.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(made.body.correlation_id).toBe(made.headers.get('x-request-id'));
  });

  it('carries the correlation id across the NATS hop into the events a request causes', async () => {
    const input = aUser();
    const res = await api.post('/auth/register', input, { headers: { 'x-request-id': 'register-trace-42' } });
    expect(res.status).toBe(200);
    const rows = await fleet.sql<{ envelope: { correlation_id: string } }>(
      `SELECT envelope FROM identity.outbox WHERE type = 'identity.user.registered' AND envelope->>'aggregate_id' = $1`,
      [String(res.body.id)],
    );
    expect(rows[0].envelope.correlation_id).toBe('register-trace-42');
  });

  it('limits the request rate on /auth/* per address (429 with Retry-After), not other routes', async () => {
    const strict = await startGateway({ ...fleet.env, AUTH_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const strictApi = new Api(`http://127.0.0.1:${(strict.getHttpServer().address() as { port: number }).port}`);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await strictApi.get('/auth/me')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await strictApi.get('/auth/me');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      for (let i = 0; i < 7; i++) expect((await strictApi.get('/health')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('sends security headers and honours the CORS allow-list', async () => {
    const res = await api.get('/health', { headers: { origin: 'https://app.freemarket.kz' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.freemarket.kz');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await api.get('/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a burst of bad logins from one address with 429 and Retry-After, while normal use is never limited', async () => {
    const user = await registerUser(api);
    for (let i = 0; i < 10; i++) {
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.post('/auth/login', { username: user.username, password: `wrong-${i}-password` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await api.post('/auth/login', { username: user.username, password: user.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status_code: 429, error_type: 'rate_limited' });
  });

  it('answers 504 when a service does not answer, and no stack trace leaks', async () => {
    await fleet.stopService('identity');
    try {
      const res = await api.get('/api/users/1');
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ status_code: 504, error_type: 'gateway_timeout' });
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|SELECT/);
    } finally {
      await fleet.startService('identity');
    }
    expect((await api.get('/api/users/999999')).status).toBe(404);
  });
});
