import { Api, registerUser, startFleet, type TestFleet } from '@app/testing';

describe('The contract’s curl flow and /user/cabinet', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('register → login → create-by-categories → cabinet → logout', async () => {
    const tag = Date.now().toString(36);
    const registered = await api.post('/auth/register', {
      email: `testuser_auth_${tag}@example.com`,
      password: 'SecurePass123!',
      username: `testuser_auth_${tag}`,
      full_name: 'Test User Auth',
      city: 'Алматы',
    });
    expect(registered.status).toBe(200);
    const userId = registered.body.id;
    expect(userId).toEqual(expect.any(Number));

    const login = await api.post('/auth/login', { username: `testuser_auth_${tag}`, password: 'SecurePass123!' });
    expect(login.status).toBe(200);
    const token = login.body.access_token;

    const created = await api.post(
      '/api/listings/create-by-categories',
      {
        wants: { PERMANENT: [{ item_name: 'Книга по JS', value_tenge: 10000 }] },
        offers: { TEMPORARY: [{ item_name: 'Электросамокат', value_tenge: 5000, duration_days: 2 }] },
      },
      { token },
    );
    expect(created.status).toBe(201);
    expect(created.body.listings.map((i: { item_type: string; exchange_type: string }) => `${i.item_type}/${i.exchange_type}`)).toEqual(['WANT/PERMANENT', 'OFFER/TEMPORARY']);

    const cabinet = await api.get('/user/cabinet', { token });
    expect(cabinet.status).toBe(200);
    expect(cabinet.body.user_profile).toMatchObject({ id: userId, username: `testuser_auth_${tag}`, full_name: 'Test User Auth', city: 'Алматы' });
    expect(cabinet.body.my_listings).toHaveLength(2);
    expect(cabinet.body.my_listings[0]).toMatchObject({ id: expect.any(Number), title: expect.any(String), exchange_type: expect.stringMatching(/^(PERMANENT|TEMPORARY)$/) });
    expect(cabinet.body.my_listings.map((i: { title: string }) => i.title).sort()).toEqual(['Книга по JS', 'Электросамокат']);
    expect(cabinet.body.active_exchanges).toEqual([]);

    const logout = await api.post('/auth/logout', undefined, { token, cookie: `refresh_token=${login.cookies.refresh_token}` });
    expect(logout.status).toBe(200);
  });

  it('the cabinet shows only the caller’s active listings, needs a token, and 401s after the account is deleted', async () => {
    const me = await registerUser(api);
    const someone = await registerUser(api);
    await api.post('/api/listings/create', { item_type: 'OFFER', exchange_type: 'PERMANENT', item_name: 'Чужая вещь', value_tenge: 100 }, { token: someone.token });
    const mine = await api.post('/api/listings/create', { item_type: 'OFFER', exchange_type: 'PERMANENT', item_name: 'Моя вещь', value_tenge: 100 }, { token: me.token });
    const gone = await api.post('/api/listings/create', { item_type: 'WANT', exchange_type: 'PERMANENT', item_name: 'Убранная', value_tenge: 100 }, { token: me.token });
    await api.patch(`/listings/${gone.body.listing_id}`, { remove_items: [gone.body.id] }, { token: me.token });
    const cabinet = await api.get('/user/cabinet', { token: me.token });
    expect(cabinet.body.my_listings.map((i: { id: number }) => i.id)).toEqual([mine.body.id]);
    expect(cabinet.body.my_listings_total).toBe(1);
    expect((await api.get('/user/cabinet')).status).toBe(401);
    await api.delete('/user/account', { token: me.token });
    expect((await api.get('/user/cabinet', { token: me.token })).status).toBe(401);
  });

  it('answers a 5xx envelope (no stack, no hang) when the listings service is down, and recovers', async () => {
    const me = await registerUser(api);
    await fleet.stopService('listings');
    try {
      const res = await api.get('/user/cabinet', { token: me.token });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body).toMatchObject({ status_code: res.status, error_type: expect.any(String) });
    } finally {
      await fleet.startService('listings');
    }
    expect((await api.get('/user/cabinet', { token: me.token })).status).toBe(200);
  });
});
