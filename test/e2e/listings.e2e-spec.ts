import { Api, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';

const permanent = (item_name: string, value_tenge: number, extra: Record<string, unknown> = {}) => ({ item_name, value_tenge, ...extra });
const temporary = (item_name: string, value_tenge: number, duration_days: number, extra: Record<string, unknown> = {}) => ({ item_name, value_tenge, duration_days, ...extra });

describe('Listings through the gateway', () => {
  let fleet: TestFleet;
  let api: Api;
  let alice: LoggedInUser;
  let bob: LoggedInUser;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings'] });
    api = new Api(fleet.baseUrl);
    alice = await registerUser(api, { city: 'Алматы' });
    bob = await registerUser(api, { city: 'Астана' });
  });
  afterAll(() => fleet?.close());

  const itemCount = async () => (await fleet.sql<{ n: number }>('SELECT count(*)::int AS n FROM listings.items'))[0].n;
  const listingCount = async () => (await fleet.sql<{ n: number }>('SELECT count(*)::int AS n FROM listings.listings'))[0].n;
  const create = (user: LoggedInUser, body: unknown) => api.post('/api/listings/create-by-categories', body, { token: user.token });

  describe('POST /api/listings/create-by-categories', () => {
    it('creates the contract example: wants and offers keyed by exchange type', async () => {
      const res = await create(alice, {
        wants: {
          PERMANENT: [permanent('Учебник по Python', 15000, { description: 'Ищу для изучения' })],
          TEMPORARY: [temporary('Электросамокат', 5000, 3, { description: 'На выходные' })],
        },
        offers: { PERMANENT: [permanent('Книга по JS', 12000, { description: 'Могу отдать' })] },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(Number), user_id: alice.id, created_at: expect.stringMatching(/Z$/) });
      expect(res.body.listings).toHaveLength(3);
      expect(res.body.listings[0]).toMatchObject({
        id: expect.any(Number),
        item_type: 'WANT',
        exchange_type: 'PERMANENT',
        item_name: 'Учебник по Python',
        value_tenge: 15000,
        duration_days: null,
        description: 'Ищу для изучения',
        listing_id: res.body.id,
        status: 'active',
        version: 1,
      });
      expect(res.body.listings[1]).toMatchObject({ item_type: 'WANT', exchange_type: 'TEMPORARY', item_name: 'Электросамокат', value_tenge: 5000, duration_days: 3 });
      expect(res.body.listings[2]).toMatchObject({ item_type: 'OFFER', exchange_type: 'PERMANENT', item_name: 'Книга по JS', value_tenge: 12000 });
    });

    it('takes the original client’s shape: keyed by category slug, exchange_type on each item, locations and user_data', async () => {
      const res = await create(alice, {
        wants: { bicycles: [temporary('Горный велосипед', 30000, 7, { exchange_type: 'TEMPORARY' })] },
        offers: {
          photo_equipment: [permanent('Фотоаппарат Canon', 120000, { exchange_type: 'PERMANENT' })],
          electronics: [permanent('Свет для съёмки', 20000, { exchange_type: 'PERMANENT' })],
        },
        locations: ['almaty', 'Шымкент'],
        user_data: { username: alice.username, user_id: alice.id },
      });
      expect(res.status).toBe(201);
      expect(res.body.listings.map((i: { category: string }) => i.category)).toEqual(['bicycles', 'photo_equipment', 'photo_equipment']);
      const stored = await fleet.sql<{ locations: string[] }>('SELECT locations FROM listings.listings WHERE id = $1', [res.body.id]);
      expect(stored[0].locations).toEqual(['Алматы', 'Шымкент']);
    });

    it('infers the exchange type of a category with only one, and TEMPORARY from duration_days under a legacy slug', async () => {
      const res = await create(alice, { wants: { bicycles: [temporary('Самокат', 4000, 2)], transport: [temporary('аренда велосипеда', 25000, 14)] } });
      expect(res.status).toBe(201);
      expect(res.body.listings.map((i: { exchange_type: string; category: string }) => [i.exchange_type, i.category])).toEqual([
        ['TEMPORARY', 'bicycles'],
        ['TEMPORARY', 'electric_transport'],
      ]);
    });

    it('trims item names', async () => {
      const res = await create(alice, { offers: { PERMANENT: [permanent('   Гитара   ', 25000)] } });
      expect(res.body.listings[0].item_name).toBe('Гитара');
    });

    it('needs a token', async () => {
      const before = await itemCount();
      const res = await api.post('/api/listings/create-by-categories', { wants: { PERMANENT: [permanent('x', 1)] } });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ status_code: 401, error_type: 'unauthorized' });
      expect(await itemCount()).toBe(before);
    });

    it.each([
      ['an unknown group key', { wants: { FOREVER: [permanent('Книга', 100)] } }, /FOREVER|forever/],
      ['a bad exchange_type', { wants: { books_unknown: [permanent('Книга', 100, { exchange_type: 'SOMETIMES' })] } }, /exchange_type must be PERMANENT or TEMPORARY/],
      ['an exchange_type contradicting the group', { wants: { PERMANENT: [permanent('Книга', 100, { exchange_type: 'TEMPORARY' })] } }, /contradicts/],
      ['an item_type contradicting the side', { wants: { PERMANENT: [permanent('Книга', 100, { item_type: 'OFFER' })] } }, /must be WANT/],
      ['a bad item_type', { wants: { PERMANENT: [permanent('Книга', 100, { item_type: 'MAYBE' })] } }, /item_type must be WANT or OFFER/],
      ['a blank item_name', { wants: { PERMANENT: [permanent('    ', 100)] } }, /item_name must be 1–100/],
      ['a 101-character item_name', { wants: { PERMANENT: [permanent('я'.repeat(101), 100)] } }, /item_name must be 1–100/],
      ['a missing item_name', { wants: { PERMANENT: [{ value_tenge: 100 }] } }, /item_name/],
      ['value_tenge 0', { wants: { PERMANENT: [permanent('Книга', 0)] } }, /value_tenge must be a positive integer/],
      ['a negative value_tenge', { wants: { PERMANENT: [permanent('Книга', -5)] } }, /value_tenge must be a positive integer/],
      ['a fractional value_tenge', { wants: { PERMANENT: [permanent('Книга', 1.5)] } }, /value_tenge must be a positive integer/],
      ['value_tenge as text', { wants: { PERMANENT: [permanent('Книга', '100' as unknown as number)] } }, /value_tenge must be a positive integer/],
      ['TEMPORARY without duration_days', { wants: { TEMPORARY: [permanent('Дрель', 1000)] } }, /duration_days: is required for TEMPORARY/],
      ['PERMANENT with duration_days', { wants: { PERMANENT: [temporary('Дрель', 1000, 3)] } }, /duration_days: must be absent for PERMANENT/],
      ['duration_days 0', { wants: { TEMPORARY: [temporary('Дрель', 1000, 0)] } }, /duration_days must be an integer from 1 to 365/],
      ['duration_days 366', { wants: { TEMPORARY: [temporary('Дрель', 1000, 366)] } }, /duration_days must be an integer from 1 to 365/],
      ['a 1001-character description', { wants: { PERMANENT: [permanent('Книга', 100, { description: 'д'.repeat(1001) })] } }, /description must be at most 1000/],
      ['an unknown field', { wants: { PERMANENT: [permanent('Книга', 100, { price: 5 })] } }, /price should not exist/],
      ['a category of the other exchange type', { wants: { bicycles: [permanent('Велосипед', 100, { exchange_type: 'PERMANENT' })] } }, /not a PERMANENT category/],
      ['a category not in the catalogue', { offers: { books: [permanent('Учебник', 100, { exchange_type: 'PERMANENT' })] } }, /"books" is not a category of catalogue v6\.0/],
      ['groups that are not arrays', { wants: { PERMANENT: { item_name: 'Книга', value_tenge: 100 } } }, /must be an array/],
      ['wants that is a list', { wants: [permanent('Книга', 100)] }, /wants must be an object/],
      ['a bad location', { wants: { PERMANENT: [permanent('Книга', 100)] }, locations: ['Москва'] }, /each location must be one of/],
      ['nothing at all', { wants: {}, offers: {} }, /at least one item/],
      ['an unknown top-level field', { wants: { PERMANENT: [permanent('Книга', 100)] }, owner: 5 }, /owner should not exist/],
    ])('refuses %s with 400 and stores nothing', async (_, body, message) => {
      const [items, listings] = [await itemCount(), await listingCount()];
      const res = await create(alice, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status_code: 400, error_type: 'validation_error' });
      expect(res.body.detail).toMatch(message);
      expect(await itemCount()).toBe(items);
      expect(await listingCount()).toBe(listings);
    });

    it('refuses one bad item among good ones without storing any of them', async () => {
      const before = await itemCount();
      const res = await create(alice, { wants: { PERMANENT: [permanent('Книга', 100), permanent('Плохая', -1)] }, offers: { PERMANENT: [permanent('Стол', 500)] } });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/wants\.PERMANENT\[1\]\.value_tenge/);
      expect(await itemCount()).toBe(before);
    });

    it('refuses more than 50 items in one request and more than 10 in one category', async () => {
      const before = await itemCount();
      const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => permanent(`${prefix} ${i}`, 100 + i));
      const tooMany = await create(alice, {
        wants: { PERMANENT: many(10, 'a'), personal_transport: many(10, 'b'), electric_vehicles: many(10, 'c') },
        offers: { PERMANENT: many(10, 'd'), parts_consumables: many(10, 'e'), hand_power_tools: many(1, 'f') },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.detail).toMatch(/51 items in one request; at most 50/);
      const crowded = await create(alice, { offers: { PERMANENT: many(11, 'g') } });
      expect(crowded.status).toBe(400);
      expect(crowded.body.detail).toMatch(/11 items in one category; at most 10/);
      // Two group keys that resolve to one category count together.
      const viaLegacy = await create(alice, { offers: { photo_equipment: many(6, 'h'), electronics: many(5, 'i') } });
      expect(viaLegacy.status).toBe(400);
      expect(viaLegacy.body.detail).toMatch(/offers\.photo_equipment: 11 items in one category/);
      expect(await itemCount()).toBe(before);
      const fifty = await create(alice, {
        wants: { PERMANENT: many(10, 'a'), personal_transport: many(10, 'b'), electric_vehicles: many(10, 'c') },
        offers: { PERMANENT: many(10, 'd'), parts_consumables: many(10, 'e') },
      });
      expect(fifty.status).toBe(201);
      expect(fifty.body.listings).toHaveLength(50);
    });

    it('refuses a forged user_data.user_id with 403', async () => {
      const before = await itemCount();
      const res = await create(alice, { wants: { PERMANENT: [permanent('Книга', 100)] }, user_data: { user_id: bob.id } });
      expect(res.status).toBe(403);
      expect(res.body.error_type).toBe('forbidden');
      expect(await itemCount()).toBe(before);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await api.post('/api/listings/create-by-categories', undefined, { token: alice.token, raw: '{"wants": ' });
      expect(res.status).toBe(400);
    });
  });

  describe('POST /api/listings/create', () => {
    it('creates one item into the caller’s newest listing', async () => {
      const res = await api.post(
        '/api/listings/create',
        { item_type: 'WANT', exchange_type: 'PERMANENT', item_name: 'Книга по Алгоритмам', value_tenge: 20000, description: 'Новое издание' },
        { token: bob.token },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.any(Number),
        item_type: 'WANT',
        exchange_type: 'PERMANENT',
        item_name: 'Книга по Алгоритмам',
        value_tenge: 20000,
        description: 'Новое издание',
        user_id: bob.id,
        created_at: expect.stringMatching(/Z$/),
      });
      const second = await api.post('/api/listings/create', { item_type: 'offer', exchange_type: 'temporary', item_name: 'Дрель', value_tenge: 3000, duration_days: 2, category: 'hand_tools' }, { token: bob.token });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ item_type: 'OFFER', exchange_type: 'TEMPORARY', duration_days: 2, category: 'hand_tools', listing_id: res.body.listing_id });
    });

    it.each([
      ['a bad item_type', { item_type: 'SWAP', exchange_type: 'PERMANENT', item_name: 'x', value_tenge: 1 }, /item_type must be WANT or OFFER/],
      ['a missing exchange_type', { item_type: 'WANT', item_name: 'x', value_tenge: 1 }, /exchange_type must be PERMANENT or TEMPORARY/],
      ['TEMPORARY without days', { item_type: 'WANT', exchange_type: 'TEMPORARY', item_name: 'x', value_tenge: 1 }, /duration_days/],
      ['an unknown category', { item_type: 'WANT', exchange_type: 'PERMANENT', item_name: 'x', value_tenge: 1, category: 'spaceships' }, /spaceships/],
    ])('refuses %s with 400', async (_, body, message) => {
      const before = await itemCount();
      const res = await api.post('/api/listings/create', body, { token: bob.token });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(message);
      expect(await itemCount()).toBe(before);
    });

    it('needs a token, and refuses someone else’s listing_id with 404', async () => {
      expect((await api.post('/api/listings/create', { item_type: 'WANT', exchange_type: 'PERMANENT', item_name: 'x', value_tenge: 1 })).status).toBe(401);
      const [aliceListing] = await fleet.sql<{ id: number }>('SELECT id FROM listings.listings WHERE user_id = $1 LIMIT 1', [alice.id]);
      const res = await api.post('/api/listings/create', { item_type: 'WANT', exchange_type: 'PERMANENT', item_name: 'x', value_tenge: 1, listing_id: aliceListing.id }, { token: bob.token });
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/not found or no access/);
    });
  });

  describe('lists', () => {
    let carol: LoggedInUser;
    beforeAll(async () => {
      carol = await registerUser(api, { city: 'Шымкент' });
      const res = await create(carol, {
        wants: {
          PERMANENT: [permanent('Горный велосипед', 90000, { description: 'Хочу ВЕЛОСИПЕД для гор' }), permanent('Ёлочные игрушки', 3000)],
          TEMPORARY: [temporary('Палатка', 7000, 5)],
        },
        offers: { physical_media: [permanent('Учебники по Python', 15000, { exchange_type: 'PERMANENT' })], PERMANENT: [permanent('Bikes for kids', 40000)] },
      });
      expect(res.status).toBe(201);
    });

    it('GET /api/listings/wants answers {items,total,skip,limit} with wants only, newest first, 20 by default', async () => {
      const res = await api.get('/api/listings/wants');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'limit', 'skip', 'total']);
      expect(res.body).toMatchObject({ skip: 0, limit: 20 });
      expect(res.body.total).toBeGreaterThan(20);
      expect(res.body.items).toHaveLength(20);
      expect(res.body.items.every((i: { item_type: string }) => i.item_type === 'WANT')).toBe(true);
      const created = res.body.items.map((i: { created_at: string }) => i.created_at);
      expect([...created].sort().reverse()).toEqual(created);
      expect(res.body.items[0]).toMatchObject({ title: res.body.items[0].item_name, user_id: expect.any(Number), created_at: expect.any(String) });
    });

    it('GET /api/listings/offers answers offers only and pages with skip/limit', async () => {
      const all = await api.get('/api/listings/offers?limit=100');
      expect(all.body.items.every((i: { item_type: string }) => i.item_type === 'OFFER')).toBe(true);
      const page = await api.get('/api/listings/offers?skip=2&limit=3');
      expect(page.body).toMatchObject({ skip: 2, limit: 3, total: all.body.total });
      expect(page.body.items.map((i: { id: number }) => i.id)).toEqual(all.body.items.slice(2, 5).map((i: { id: number }) => i.id));
    });

    it('filters by exchange_type, category, value range, user and city', async () => {
      const temp = await api.get('/api/listings/wants?exchange_type=temporary&limit=100');
      expect(temp.body.items.length).toBeGreaterThan(0);
      expect(temp.body.items.every((i: { exchange_type: string }) => i.exchange_type === 'TEMPORARY')).toBe(true);
      const category = await api.get('/api/listings/offers?category=physical_media');
      expect(category.body.items.map((i: { item_name: string }) => i.item_name)).toEqual(['Учебники по Python']);
      const range = await api.get('/api/listings/wants?min_value=80000&max_value=95000');
      expect(range.body.items.map((i: { value_tenge: number }) => i.value_tenge)).toEqual([90000]);
      const carols = await api.get(`/api/listings/wants?user_id=${carol.id}&limit=100`);
      expect(carols.body.total).toBe(3);
      // Carol lives in Шымкент (identity's event → listings' projection).
      const shymkent = await api.get('/api/listings/wants?city=shymkent&limit=100');
      expect(shymkent.body.items.map((i: { user_id: number }) => i.user_id)).toContain(carol.id);
      expect(shymkent.body.items.every((i: { user_id: number }) => i.user_id === carol.id || i.user_id === alice.id)).toBe(true);
      // Alice lives in Алматы: her want is in Шымкент only because that listing names it.
      expect(shymkent.body.items.some((i: { user_id: number; item_name: string }) => i.user_id === alice.id && i.item_name === 'Горный велосипед')).toBe(true);
      // Alice's second listing named Шымкент explicitly; her other listings follow her city (Алматы).
      const almaty = await api.get('/api/listings/wants?city=Алматы&limit=100');
      expect(almaty.body.items.some((i: { user_id: number }) => i.user_id === carol.id)).toBe(false);
    });

    it('searches the way people type: any case, ё/е, word forms, Russian and English', async () => {
      const names = async (q: string, type = 'wants') => (await api.get(`/api/listings/${type}?q=${encodeURIComponent(q)}&limit=100`)).body.items.map((i: { item_name: string }) => i.item_name);
      expect(await names('велосипеды')).toEqual(expect.arrayContaining(['Горный велосипед']));
      expect(await names('ГОРНЫЙ')).toContain('Горный велосипед');
      expect(await names('елочная игрушка')).toEqual(['Ёлочные игрушки']);
      expect(await names('учебник python', 'offers')).toEqual(['Учебники по Python']);
      expect(await names('bike', 'offers')).toEqual(['Bikes for kids']);
      expect(await names('для гор')).toEqual(['Горный велосипед']); // description counts too
      expect(await names('пароход')).toEqual([]);
      const combined = await api.get(`/api/listings/wants?q=${encodeURIComponent('велосипед')}&exchange_type=PERMANENT&user_id=${carol.id}`);
      expect(combined.body.total).toBe(1);
    });

    it('sorts by value and name in either order', async () => {
      const byValue = (await api.get(`/api/listings/wants?user_id=${carol.id}&sort=value&order=asc`)).body.items.map((i: { value_tenge: number }) => i.value_tenge);
      expect(byValue).toEqual([3000, 7000, 90000]);
      const byName = (await api.get(`/api/listings/wants?user_id=${carol.id}&sort=name&order=asc`)).body.items.map((i: { item_name: string }) => i.item_name);
      expect(byName).toEqual(['Горный велосипед', 'Ёлочные игрушки', 'Палатка'].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'ru')));
    });

    it.each([
      ['limit above 100', 'limit=101', /limit/],
      ['limit 0', 'limit=0', /limit/],
      ['a negative skip', 'skip=-1', /skip/],
      ['skip as text', 'skip=abc', /skip/],
      ['an unknown sort', 'sort=price', /sort must be one of/],
      ['an unknown order', 'order=up', /order/],
      ['a bad exchange_type', 'exchange_type=daily', /exchange_type must be PERMANENT or TEMPORARY/],
      ['an unknown city', 'city=Paris', /city must be one of/],
      ['a negative min_value', 'min_value=-1', /min_value/],
      ['min_value above max_value', 'min_value=10&max_value=5', /min_value must not exceed max_value/],
      ['a query of punctuation', 'q=!!!', /q must contain a letter or a digit/],
      ['a query of 201 characters', `q=${'а'.repeat(201)}`, /q must be at most 200/],
      ['an unknown parameter', 'colour=red', /colour should not exist/],
    ])('refuses %s with 400', async (_, query, message) => {
      const res = await api.get(`/api/listings/wants?${encodeURI(query)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status_code: 400, error_type: 'validation_error' });
      expect(res.body.detail).toMatch(message);
    });

    it('GET /api/listings/user/{user_id} lists one user’s active items, wants and offers', async () => {
      const res = await api.get(`/api/listings/user/${carol.id}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      expect(new Set(res.body.items.map((i: { user_id: number }) => i.user_id))).toEqual(new Set([carol.id]));
      expect((await api.get('/api/listings/user/abc')).status).toBe(400);
      expect((await api.get('/api/listings/user/999999')).body).toEqual({ items: [], total: 0, skip: 0, limit: 20 });
    });

    it('GET /user/listings lists the caller’s own items in every state; public lists never show archived or hidden ones', async () => {
      const mine = await api.get('/user/listings?limit=100', { token: carol.token });
      expect(mine.status).toBe(200);
      expect(mine.body.total).toBe(5);
      const [archived, hidden] = mine.body.items.slice(0, 2).map((i: { id: number }) => i.id);
      await fleet.sql(`UPDATE listings.items SET status = 'archived', archived_at = now() WHERE id = $1`, [archived]);
      await fleet.sql(`UPDATE listings.items SET status = 'hidden', hidden_at = now() WHERE id = $1`, [hidden]);
      const after = await api.get('/user/listings?limit=100', { token: carol.token });
      expect(after.body.total).toBe(5);
      expect(after.body.items.find((i: { id: number }) => i.id === archived)).toMatchObject({ status: 'archived', archived_at: expect.any(String) });
      expect(after.body.items.find((i: { id: number }) => i.id === hidden)).toMatchObject({ status: 'hidden' });
      expect((await api.get('/user/listings?status=archived', { token: carol.token })).body.items.map((i: { id: number }) => i.id)).toEqual([archived]);
      const publicIds = [
        ...(await api.get(`/api/listings/user/${carol.id}`)).body.items,
        ...(await api.get('/api/listings/wants?limit=100')).body.items,
        ...(await api.get('/api/listings/offers?limit=100')).body.items,
      ].map((i: { id: number }) => i.id);
      expect(publicIds).not.toContain(archived);
      expect(publicIds).not.toContain(hidden);
    });

    it('GET /user/listings needs a token and refuses a forged user_id with 403', async () => {
      expect((await api.get('/user/listings')).status).toBe(401);
      const forged = await api.get(`/user/listings?user_id=${alice.id}`, { token: carol.token });
      expect(forged.status).toBe(403);
      expect((await api.get(`/user/listings?user_id=${carol.id}`, { token: carol.token })).status).toBe(200);
      expect((await api.get('/user/listings?status=gone', { token: carol.token })).status).toBe(400);
    });
  });
});
