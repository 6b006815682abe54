import { importPKCS8, SignJWT } from 'jose';
import { Api, aUser, registerUser, startFleet, type TestFleet } from '@app/testing';

/** Signs a token with the fleet's real key but chosen claims (expired, wrong type, …). */
async function forgeToken(claims: Record<string, unknown>, opts: { sub: string; expSecondsFromNow: number; issuer?: string; audience?: string }) {
  const key = await importPKCS8(process.env.TEST_JWT_PRIVATE_KEY!, 'EdDSA');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(opts.sub)
    .setIssuer(opts.issuer ?? 'freemarket-identity')
    .setAudience(opts.audience ?? 'freemarket')
    .setIssuedAt(now - 1000)
    .setExpirationTime(now + opts.expSecondsFromNow)
    .sign(key);
}

describe('Authentication through the gateway', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  const userCount = async () => Number((await fleet.sql<{ n: string }>('SELECT count(*) AS n FROM identity.users'))[0].n);

  describe('POST /auth/register', () => {
    it('creates the account, logs it in and sets a hardened refresh cookie', async () => {
      const input = aUser({ telegram_contact: '@newuser_tg', city: 'Астана' });
      const res = await api.post('/auth/register', input);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: res.body.user.id,
        token_type: 'bearer',
        expires_in: 900,
        user: { username: input.username, email: input.email, full_name: 'Test User', city: 'Астана', telegram_contact: '@newuser_tg', is_active: true, is_verified: false, email_verified: false, phone_verified: false },
      });
      expect(res.body.user.created_at).toMatch(/Z$/);
      expect(res.body).not.toHaveProperty('refresh_token');
      expect(JSON.parse(Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'EdDSA' });
      const cookie = res.setCookie.find((c) => c.startsWith('refresh_token='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const stored = await fleet.sql<{ password_hash: string }>('SELECT password_hash FROM identity.users WHERE id = $1', [res.body.id]);
      expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);
    });

    it('derives a username from the email when none is given', async () => {
      const res = await api.post('/auth/register', { email: `Someone.${Date.now()}@Example.com`, password: 'StrongPassword123!' });
      expect(res.status).toBe(200);
      expect(res.body.user.username).toMatch(/^someone\.\d+$/);
      expect(res.body.user.email).toMatch(/^someone\.\d+@example\.com$/);
    });

    it.each([
      ['a weak password', { password: 'short1' }, 'password'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an unknown city', { city: 'Paris' }, 'city'],
      ['a bad username', { username: 'a b' }, 'username'],
      ['a role (mass assignment)', { role: 'admin' }, 'role'],
      ['a trust score (mass assignment)', { trust_score: 5 }, 'trust_score'],
      ['a verification flag (mass assignment)', { is_verified: true }, 'is_verified'],
    ])('refuses %s with 400 naming the field, storing nothing', async (_label, patch, field) => {
      const before = await userCount();
      const res = await api.post('/auth/register', { ...aUser(), ...patch });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status_code: 400, error_type: 'validation_error' });
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await userCount()).toBe(before);
    });

    it('answers 409 for a taken username, email (any case) or phone', async () => {
      const first = aUser({ phone: `+7700${Date.now().toString().slice(-7)}` });
      expect((await api.post('/auth/register', first)).status).toBe(200);
      const dupUsername = await api.post('/auth/register', aUser({ username: first.username!.toUpperCase() }));
      expect(dupUsername.status).toBe(409);
      expect(dupUsername.body).toMatchObject({ status_code: 409, error_type: 'conflict' });
      expect(dupUsername.body.detail).toMatch(/username/);
      expect((await api.post('/auth/register', aUser({ email: first.email.toUpperCase() }))).status).toBe(409);
      const dupPhone = await api.post('/auth/register', aUser({ phone: first.phone }));
      expect(dupPhone.status).toBe(409);
      expect(dupPhone.body.detail).toMatch(/phone/);
    });
  });

  describe('POST /auth/login', () => {
    it('accepts JSON username, JSON email, and the web client form with email or identifier', async () => {
      const user = await registerUser(api);
      const variants = [
        api.post('/auth/login', { username: user.username, password: user.password }),
        api.post('/auth/login', { email: user.email, password: user.password }),
        api.post('/auth/login', undefined, { form: { email: user.email, password: user.password } }),
        api.post('/auth/login', undefined, { form: { identifier: user.username, password: user.password } }),
      ];
      for (const res of await Promise.all(variants)) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 900, user: { id: user.id, username: user.username, email: user.email } });
        expect(res.cookies.refresh_token).toBeTruthy();
      }
      const stored = await fleet.sql<{ last_login_at: Date | null }>('SELECT last_login_at FROM identity.users WHERE id = $1', [user.id]);
      expect(stored[0].last_login_at).not.toBeNull();
    });

    it('refuses a wrong password and an unknown user alike (401, same message)', async () => {
      const user = await registerUser(api);
      const wrong = await api.post('/auth/login', { username: user.username, password: 'WrongPassword1' });
      const unknown = await api.post('/auth/login', { username: 'nobody_here_at_all', password: 'WrongPassword1' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.detail).toBe(unknown.body.detail);
      expect(wrong.body.error_type).toBe('unauthorized');
    });

    it('refuses a login without password or identifier (400)', async () => {
      expect((await api.post('/auth/login', { username: 'x' })).status).toBe(400);
      expect((await api.post('/auth/login', { password: 'x' })).status).toBe(400);
    });
  });

  describe('GET /auth/me', () => {
    it('returns the user for a valid token', async () => {
      const user = await registerUser(api);
      const res = await api.get('/auth/me', { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body.authenticated).toBe(true);
      expect(res.body.user).toMatchObject({ id: user.id, username: user.username, email: user.email, trust_score: 0, exchange_count: 0, rating_avg: 0 });
      expect(res.body.user).not.toHaveProperty('password_hash');
    });

    it.each([
      ['no token', undefined],
      ['a garbled token', 'not.a.jwt'],
    ])('answers 200 {user: null, authenticated: false} for %s', async (_label, token) => {
      const res = await api.get('/auth/me', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user: null, authenticated: false });
    });

    it('answers 200 unauthenticated for an expired token', async () => {
      const user = await registerUser(api);
      const expired = await forgeToken({ role: 'user', typ: 'access' }, { sub: String(user.id), expSecondsFromNow: -10 });
      expect((await api.get('/auth/me', { token: expired })).body).toEqual({ user: null, authenticated: false });
      const protectedRoute = await api.post('/auth/revoke-sessions', undefined, { token: expired });
      expect(protectedRoute.status).toBe(401);
      expect(protectedRoute.body.detail).toMatch(/expired/);
    });
  });

  describe('token checks at the gateway', () => {
    it('pins the algorithm: an HS256 token signed with the public key, or alg none, is refused', async () => {
      const user = await registerUser(api);
      const [header, payload] = user.token.split('.');
      const { createHmac } = await import('node:crypto');
      const hsHeader = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const hsSig = createHmac('sha256', process.env.TEST_JWT_PUBLIC_KEY!).update(`${hsHeader}.${payload}`).digest('base64url');
      const noneHeader = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      for (const token of [`${hsHeader}.${payload}.${hsSig}`, `${noneHeader}.${payload}.`, `${header}.${payload}.AAAA`]) {
        expect((await api.post('/auth/revoke-sessions', undefined, { token })).status).toBe(401);
      }
    });

    it('refuses a token of the wrong audience or issuer', async () => {
      const user = await registerUser(api);
      const otherAudience = await forgeToken({ role: 'user', typ: 'access' }, { sub: String(user.id), expSecondsFromNow: 300, audience: 'other' });
      const otherIssuer = await forgeToken({ role: 'user', typ: 'access' }, { sub: String(user.id), expSecondsFromNow: 300, issuer: 'evil' });
      expect((await api.post('/auth/revoke-sessions', undefined, { token: otherAudience })).status).toBe(401);
      expect((await api.post('/auth/revoke-sessions', undefined, { token: otherIssuer })).status).toBe(401);
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates the refresh token, and reuse of a rotated one revokes the whole family', async () => {
      const user = await registerUser(api);
      const first = await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900 });
      const rotated = `refresh_token=${first.cookies.refresh_token}`;
      expect(rotated).not.toBe(user.refreshCookie);
      expect((await api.get('/auth/me', { token: first.body.access_token })).body.authenticated).toBe(true);

      const reuse = await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie });
      expect(reuse.status).toBe(401);
      expect(reuse.body.detail).toMatch(/already used/);
      // The family is gone: even the newest token no longer refreshes.
      expect((await api.post('/auth/refresh', undefined, { cookie: rotated })).status).toBe(401);
      const session = await fleet.sql<{ revoked_reason: string }>('SELECT revoked_reason FROM identity.sessions WHERE user_id = $1', [user.id]);
      expect(session.map((s) => s.revoked_reason)).toContain('refresh_token_reuse');
    });

    it('answers 401 without a cookie or with an unknown token', async () => {
      expect((await api.post('/auth/refresh')).status).toBe(401);
      expect((await api.post('/auth/refresh', undefined, { cookie: 'refresh_token=made-up-token-value-1234567890' })).status).toBe(401);
    });

    it('lets exactly one of two simultaneous refreshes of the same token win', async () => {
      const user = await registerUser(api);
      const results = await Promise.all([1, 2, 3].map(() => api.post('/auth/refresh', undefined, { cookie: user.refreshCookie })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the session and clears the cookie', async () => {
      const user = await registerUser(api);
      const res = await api.post('/auth/logout', undefined, { cookie: user.refreshCookie, token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Successfully logged out' });
      expect(res.setCookie.find((c) => c.startsWith('refresh_token='))).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect((await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie })).status).toBe(401);
    });

    it('is harmless without a session', async () => {
      expect((await api.post('/auth/logout')).status).toBe(200);
    });
  });

  describe('POST /auth/change-password', () => {
    it('changes the password and revokes every session', async () => {
      const user = await registerUser(api);
      const second = await api.post('/auth/login', { username: user.username, password: user.password });
      const res = await api.post('/auth/change-password', { old_password: user.password, new_password: 'BrandNewPassword456!' }, { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Password updated successfully' });
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(401);
      expect((await api.post('/auth/login', { username: user.username, password: 'BrandNewPassword456!' })).status).toBe(200);
      expect((await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie })).status).toBe(401);
      expect((await api.post('/auth/refresh', undefined, { cookie: `refresh_token=${second.cookies.refresh_token}` })).status).toBe(401);
    });

    it('refuses a wrong old password or a weak new one (400) and keeps the old password', async () => {
      const user = await registerUser(api);
      const wrong = await api.post('/auth/change-password', { old_password: 'NotMyPassword1', new_password: 'BrandNewPassword456!' }, { token: user.token });
      expect(wrong.status).toBe(400);
      expect(wrong.body.detail).toMatch(/Old password/);
      const weak = await api.post('/auth/change-password', { old_password: user.password, new_password: 'short' }, { token: user.token });
      expect(weak.status).toBe(400);
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    });

    it('needs a token (401)', async () => {
      expect((await api.post('/auth/change-password', { old_password: 'a', new_password: 'BrandNewPassword456!' })).status).toBe(401);
    });
  });

  describe('POST /auth/revoke-sessions', () => {
    it('revokes every active session and says how many', async () => {
      const user = await registerUser(api);
      await api.post('/auth/login', { username: user.username, password: user.password });
      await api.post('/auth/login', { username: user.username, password: user.password });
      const res = await api.post('/auth/revoke-sessions', undefined, { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'All sessions revoked', revoked_count: 3 });
      expect((await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie })).status).toBe(401);
      expect((await api.post('/auth/revoke-sessions', undefined, { token: user.token })).body.revoked_count).toBe(0);
    });

    it('needs a token (401)', async () => {
      const res = await api.post('/auth/revoke-sessions');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ status_code: 401, error_type: 'unauthorized' });
    });
  });

  it('walks the contract flow: register → login → me → refresh → reuse refused → change password → revoke → logout', async () => {
    const input = aUser();
    const reg = await api.post('/auth/register', input);
    expect(reg.status).toBe(200);
    const login = await api.post('/auth/login', { username: input.username, password: input.password });
    expect(login.status).toBe(200);
    const cookie = `refresh_token=${login.cookies.refresh_token}`;
    expect((await api.get('/auth/me', { token: login.body.access_token })).body.authenticated).toBe(true);
    const refreshed = await api.post('/auth/refresh', undefined, { cookie });
    expect(refreshed.status).toBe(200);
    expect((await api.post('/auth/refresh', undefined, { cookie })).status).toBe(401);
    const token = refreshed.body.access_token;
    expect((await api.post('/auth/change-password', { old_password: input.password, new_password: 'AnotherPassword789!' }, { token })).status).toBe(200);
    const relogin = await api.post('/auth/login', { username: input.username, password: 'AnotherPassword789!' });
    expect((await api.post('/auth/revoke-sessions', undefined, { token: relogin.body.access_token })).body.revoked_count).toBe(1);
    expect((await api.post('/auth/logout', undefined, { token: relogin.body.access_token, cookie: `refresh_token=${relogin.cookies.refresh_token}` })).status).toBe(200);
  });
});
