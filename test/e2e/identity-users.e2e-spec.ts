import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { RpcSubjects, type RpcRequestOf } from '@app/contracts';
import { Api, aUser, eventually, loginAdmin, registerUser, startFleet, type TestFleet } from '@app/testing';
import { startGateway } from '../../apps/gateway/src/app';

describe('Users and the user cabinet through the gateway', () => {
  let fleet: TestFleet;
  let api: Api;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity'] });
    api = new Api(fleet.baseUrl);
    admin = await loginAdmin(api);
  });
  afterAll(() => fleet?.close());

  const publishedEvents = async (type: string, aggregateId: number) =>
    fleet.sql<{ envelope: { data: Record<string, unknown> }; published_at: Date | null }>(
      `SELECT envelope, published_at FROM identity.outbox WHERE type = $1 AND envelope->>'aggregate_id' = $2 ORDER BY seq`,
      [type, String(aggregateId)],
    );

  describe('GET /api/users/{user_id} and /api/users/username/{username}', () => {
    it('shows the public profile to anyone, without email or phone', async () => {
      const owner = await registerUser(api, { phone: `+7701${Date.now().toString().slice(-7)}` });
      for (const path of [`/api/users/${owner.id}`, `/api/users/username/${owner.username}`]) {
        const res = await api.get(path);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: owner.id, username: owner.username, trust_score: 0, exchange_count: 0, rating_avg: 0, is_active: true, telegram_id: null });
        expect(res.body).not.toHaveProperty('email');
        expect(res.body).not.toHaveProperty('phone');
        expect(res.body).not.toHaveProperty('password_hash');
      }
      const stranger = await registerUser(api);
      expect((await api.get(`/api/users/${owner.id}`, { token: stranger.token })).body).not.toHaveProperty('email');
    });

    it('shows email and phone to the user themselves and to admins', async () => {
      const owner = await registerUser(api, { phone: `+7702${Date.now().toString().slice(-7)}` });
      const self = await api.get(`/api/users/${owner.id}`, { token: owner.token });
      expect(self.body).toMatchObject({ email: owner.email, phone: expect.stringMatching(/^\+7702/) });
      const byAdmin = await api.get(`/api/users/username/${owner.username}`, { token: admin.token });
      expect(byAdmin.body.email).toBe(owner.email);
    });

    it('answers 404 for an unknown user and 400 for a non-numeric id', async () => {
      expect((await api.get('/api/users/999999')).status).toBe(404);
      expect((await api.get('/api/users/username/no_such_user_here')).status).toBe(404);
      const bad = await api.get('/api/users/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error_type).toBe('validation_error');
    });
  });

  describe('PUT /api/users/{user_id}/locations', () => {
    it('sets 1–3 cities for the user themselves and announces the change', async () => {
      const user = await registerUser(api);
      const res = await api.put(`/api/users/${user.id}/locations`, { locations: ['Алматы', 'Шымкент'] }, { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: user.id, locations: ['Алматы', 'Шымкент'], message: 'Locations updated' });
      expect((await api.get(`/api/users/${user.id}`)).body.locations).toEqual(['Алматы', 'Шымкент']);
      const events = await publishedEvents('identity.user.locations_changed', user.id);
      expect(events.map((e) => e.envelope.data)).toEqual([{ user_id: user.id, locations: ['Алматы', 'Шымкент'] }]);
      await eventually(async () => (await publishedEvents('identity.user.locations_changed', user.id))[0]?.published_at);
    });

    it.each([
      ['an unknown city', { locations: ['Paris'] }],
      ['no city', { locations: [] }],
      ['four cities', { locations: ['Алматы', 'Астана', 'Шымкент', 'Алматы'] }],
      ['a repeated city', { locations: ['Алматы', 'Алматы'] }],
      ['a string instead of a list', { locations: 'Алматы' }],
      ['a missing field', {}],
    ])('refuses %s with 400 and keeps the old cities', async (_label, body) => {
      const user = await registerUser(api, { city: 'Астана' });
      const res = await api.put(`/api/users/${user.id}/locations`, body, { token: user.token });
      expect(res.status).toBe(400);
      expect(res.body.error_type).toBe('validation_error');
      expect((await api.get(`/api/users/${user.id}`)).body.locations).toEqual(['Астана']);
    });

    it('is refused for someone else (403) and anonymously (401)', async () => {
      const owner = await registerUser(api);
      const other = await registerUser(api);
      const forbidden = await api.put(`/api/users/${owner.id}/locations`, { locations: ['Астана'] }, { token: other.token });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error_type).toBe('forbidden');
      expect((await api.put(`/api/users/${owner.id}/locations`, { locations: ['Астана'] })).status).toBe(401);
      expect((await api.get(`/api/users/${owner.id}`)).body.locations).toEqual(['Алматы']);
    });
  });

  describe('POST /api/users/', () => {
    const input = () => {
      const { username, email, full_name, city } = aUser();
      return { username: username!, email, full_name, city, telegram_contact: '@bot_made_user', bio: 'made by staff', phone: `+7703${Date.now().toString().slice(-7)}` };
    };

    it('lets staff create a passwordless account (201)', async () => {
      const body = input();
      const res = await api.post('/api/users/', body, { token: admin.token });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(Number), username: body.username, email: body.email, full_name: body.full_name, city: body.city, is_active: true, created_at: expect.stringMatching(/Z$/) });
      expect((await api.post('/auth/login', { username: body.username, password: 'anything-at-all' })).status).toBe(401);
      expect((await api.post('/api/users/', { ...input(), username: body.username }, { token: admin.token })).status).toBe(409);
    });

    it('is refused anonymously (401) and for ordinary users (403)', async () => {
      const user = await registerUser(api);
      expect((await api.post('/api/users/', input())).status).toBe(401);
      expect((await api.post('/api/users/', input(), { token: user.token })).status).toBe(403);
    });

    it('refuses a role or flags in the body (400)', async () => {
      const res = await api.post('/api/users/', { ...input(), role: 'admin', is_verified: true }, { token: admin.token });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['is_verified', 'role']);
    });
  });

  describe('PUT /user/profile', () => {
    it('updates the four profile fields and announces it', async () => {
      const user = await registerUser(api);
      const res = await api.put('/user/profile', { full_name: 'Updated Name', bio: 'New interesting bio', city: 'Астана', telegram_contact: '@updated_tg' }, { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body.message).toBe('Profile updated successfully');
      expect(res.body.user).toMatchObject({ id: user.id, username: user.username, full_name: 'Updated Name', city: 'Астана', bio: 'New interesting bio', telegram_contact: '@updated_tg' });
      expect((await publishedEvents('identity.user.profile_changed', user.id))[0].envelope.data).toMatchObject({ full_name: 'Updated Name', city: 'Астана' });
    });

    it.each([
      ['role', { role: 'admin' }],
      ['trust_score', { trust_score: 5 }],
      ['exchange_count', { exchange_count: 100 }],
      ['is_active', { is_active: false }],
      ['email_verified', { email_verified: true }],
      ['username', { username: 'hijack' }],
    ])('refuses a client-set %s (400) and changes nothing', async (field, body) => {
      const user = await registerUser(api);
      const res = await api.put('/user/profile', { full_name: 'Sneaky', ...body }, { token: user.token });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      const me = (await api.get('/auth/me', { token: user.token })).body.user;
      expect(me).toMatchObject({ full_name: 'Test User', role: 'user', trust_score: 0, is_active: true, username: user.username });
    });

    it('validates values (400) and needs a token (401)', async () => {
      const user = await registerUser(api);
      expect((await api.put('/user/profile', { full_name: 'x'.repeat(101) }, { token: user.token })).status).toBe(400);
      expect((await api.put('/user/profile', { city: 'Moscow' }, { token: user.token })).status).toBe(400);
      expect((await api.put('/user/profile', { full_name: 'Anon' })).status).toBe(401);
    });
  });

  describe('DELETE /user/account', () => {
    it('erases the account, ends its sessions and refuses its tokens at once', async () => {
      const user = await registerUser(api);
      const res = await api.delete('/user/account', { token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Account deleted successfully' });
      const again = await api.put('/user/profile', { full_name: 'Ghost' }, { token: user.token });
      expect(again.status).toBe(401);
      expect((await api.get('/auth/me', { token: user.token })).body).toEqual({ user: null, authenticated: false });
      expect((await api.post('/auth/refresh', undefined, { cookie: user.refreshCookie })).status).toBe(401);
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(401);
      expect((await api.get(`/api/users/${user.id}`)).status).toBe(404);
      const row = (await fleet.sql<{ email: string | null; deleted_at: Date | null }>('SELECT email, deleted_at FROM identity.users WHERE id = $1', [user.id]))[0];
      expect(row.email).toBeNull();
      expect(row.deleted_at).not.toBeNull();
      expect((await publishedEvents('identity.user.deleted', user.id))).toHaveLength(1);
      // The username and email are free again.
      expect((await api.post('/auth/register', aUser({ username: user.username, email: user.email }))).status).toBe(200);
    });

    it('needs a token (401)', async () => {
      expect((await api.delete('/user/account')).status).toBe(401);
    });
  });

  describe('deactivation by staff (identity event → every gateway deny-list)', () => {
    let rpc: ClientProxy;
    beforeAll(async () => {
      rpc = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: fleet.env.NATS_URL } });
      await rpc.connect();
    });
    afterAll(() => rpc.close());

    const setActive = (data: RpcRequestOf<typeof RpcSubjects.identityUsersSetActive>, caller: { id: number; role: 'admin' | 'user' }) =>
      firstValueFrom(rpc.send(RpcSubjects.identityUsersSetActive, { ctx: { correlation_id: 'test', caller }, data }));

    it("stops a deactivated user's tokens on this gateway and on one started later", async () => {
      const user = await registerUser(api);
      expect((await api.put('/user/profile', { bio: 'still here' }, { token: user.token })).status).toBe(200);
      await setActive({ user_id: user.id, active: false, reason: 'spam' }, { id: admin.id, role: 'admin' });
      await eventually(async () => (await api.put('/user/profile', { bio: 'x' }, { token: user.token })).status === 401);
      // Refused by the gateway's deny-list itself (identity would say "Account is not active").
      expect((await api.put('/user/profile', { bio: 'x' }, { token: user.token })).body.detail).toBe('Account is no longer active');
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(403);

      // A gateway replica that starts after the ban replays identity's recent events.
      const late = await startGateway(fleet.env);
      try {
        const lateApi = new Api(`http://127.0.0.1:${(late.getHttpServer().address() as { port: number }).port}`);
        await eventually(async () => (await lateApi.put('/user/profile', { bio: 'x' }, { token: user.token })).status === 401);
        expect((await lateApi.put('/user/profile', { bio: 'x' }, { token: user.token })).body.detail).toBe('Account is no longer active');
      } finally {
        await late.close();
      }

      await setActive({ user_id: user.id, active: true }, { id: admin.id, role: 'admin' });
      const relogin = await api.post('/auth/login', { username: user.username, password: user.password });
      expect(relogin.status).toBe(200);
      await eventually(async () => (await api.put('/user/profile', { bio: 'back' }, { token: relogin.body.access_token })).status === 200);
    });

    it('is staff-only and validated at the service end too', async () => {
      const user = await registerUser(api);
      await expect(setActive({ user_id: user.id, active: false }, { id: user.id + 1, role: 'user' })).rejects.toMatchObject({ error_type: 'forbidden' });
      await expect(setActive({ user_id: -1, active: false } as never, { id: admin.id, role: 'admin' })).rejects.toMatchObject({ error_type: 'validation_error' });
      await expect(setActive({ user_id: user.id, active: false, role: 'admin' } as never, { id: admin.id, role: 'admin' })).rejects.toMatchObject({ error_type: 'validation_error' });
    });
  });
});
