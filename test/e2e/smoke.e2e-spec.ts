import { Api, registerUser, startFleet, type TestFleet } from '@app/testing';

describe('smoke', () => {
  let fleet: TestFleet;
  let api: Api;
  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('registers and reads /auth/me', async () => {
    const health = await api.get('/health');
    expect(health.body).toEqual({ status: 'ok', message: 'FreeMarket API is running' });
    const user = await registerUser(api);
    const me = await api.get('/auth/me', { token: user.token });
    expect(me.status).toBe(200);
    expect(me.body.authenticated).toBe(true);
    expect(me.body.user.id).toBe(user.id);
  });
});
