import { Api, registerUser, startFleet, type LoggedInUser, type TestFleet } from '@app/testing';

describe('PATCH /listings/{listing_id} through the gateway', () => {
  let fleet: TestFleet;
  let api: Api;
  let owner: LoggedInUser;
  let other: LoggedInUser;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings'] });
    api = new Api(fleet.baseUrl);
    owner = await registerUser(api);
    other = await registerUser(api);
  });
  afterAll(() => fleet?.close());

  /** A fresh listing: 2 wants, 1 offer. */
  async function aListing(user = owner) {
    const res = await api.post(
      '/api/listings/create-by-categories',
      {
        wants: { PERMANENT: [{ item_name: 'MacBook', value_tenge: 800000 }], TEMPORARY: [{ item_name: 'Дрель', value_tenge: 2000, duration_days: 2 }] },
        offers: { PERMANENT: [{ item_name: 'Мышь', value_tenge: 15000 }] },
      },
      { token: user.token },
    );
    expect(res.status).toBe(201);
    return { id: res.body.id as number, items: res.body.listings as { id: number; item_name: string }[] };
  }
  const state = async (listingId: number) =>
    fleet.sql<{ id: number; status: string; item_name: string; version: number }>('SELECT id, status, item_name, version FROM listings.items WHERE listing_id = $1 ORDER BY id', [listingId]);

  it('adds wants and offers and removes items in one call (the contract example)', async () => {
    const listing = await aListing();
    const res = await api.patch(
      `/listings/${listing.id}?user_id=${owner.id}`,
      {
        wants: {
          electronics: [{ item_name: 'iPad Pro', value_tenge: 400000, exchange_type: 'PERMANENT', description: 'Хочу планшет для работы' }],
          transport: [{ item_name: 'аренда велосипеда', value_tenge: 25000, exchange_type: 'TEMPORARY', duration_days: 14, description: 'Нужен на выходные' }],
        },
        offers: { physical_media: [{ item_name: 'учебники по Python', value_tenge: 15000, exchange_type: 'PERMANENT', description: 'Книги в хорошем состоянии' }] },
        remove_items: [listing.items[0].id, listing.items[2].id],
      },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'success',
      listing_id: listing.id,
      user_id: owner.id,
      items_added: 3,
      items_removed: 2,
      current_counts: { wants: 3, offers: 1 },
      message: expect.any(String),
    });
    expect(res.body.added.map((i: { category: string }) => i.category)).toEqual(['photo_equipment', 'electric_transport', 'physical_media']);
    const rows = await state(listing.id);
    expect(rows.filter((r) => r.status === 'archived').map((r) => r.id)).toEqual([listing.items[0].id, listing.items[2].id]);
    // Archived, not deleted: the row keeps its history.
    const history = await fleet.sql<{ change: string; version: number }>('SELECT change, version FROM listings.item_history WHERE item_id = $1 ORDER BY version', [listing.items[0].id]);
    expect(history).toEqual([
      { change: 'created', version: 1 },
      { change: 'archived', version: 2 },
    ]);
  });

  it('answers at the original client’s paths too', async () => {
    const listing = await aListing();
    for (const path of [`/api/listings/${listing.id}`, `/api/listings/listings/${listing.id}`]) {
      const res = await api.patch(path, { offers: { PERMANENT: [{ item_name: `Стул ${path.length}`, value_tenge: 5000 }] } }, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body.items_added).toBe(1);
    }
    expect((await state(listing.id)).filter((r) => r.status === 'active')).toHaveLength(5);
  });

  it('changes items in place with update_items, bumping their version', async () => {
    const listing = await aListing();
    const [want, rental] = listing.items;
    const res = await api.patch(
      `/listings/${listing.id}`,
      { update_items: [{ id: want.id, item_name: 'MacBook Air', value_tenge: 700000 }, { id: rental.id, duration_days: 5 }] },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items_added: 0, items_removed: 0, items_updated: 2 });
    const rows = await state(listing.id);
    expect(rows.find((r) => r.id === want.id)).toMatchObject({ item_name: 'MacBook Air', version: 2 });
    const bad = await api.patch(`/listings/${listing.id}`, { update_items: [{ id: want.id, duration_days: 3 }] }, { token: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/must be absent for PERMANENT/);
    // null is not "unchanged": it would erase a required field.
    const before = await state(listing.id);
    for (const change of [{ id: rental.id, duration_days: null }, { id: want.id, item_name: null }, { id: want.id, value_tenge: null }]) {
      const res = await api.patch(`/listings/${listing.id}`, { update_items: [change] }, { token: owner.token });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/must not be null/);
    }
    expect(await state(listing.id)).toEqual(before);
  });

  it('is all or nothing: one bad added item or one unknown id changes nothing', async () => {
    const listing = await aListing();
    const before = await state(listing.id);
    const badItem = await api.patch(
      `/listings/${listing.id}`,
      { wants: { PERMANENT: [{ item_name: 'ok', value_tenge: 1 }, { item_name: 'bad', value_tenge: 0 }] }, remove_items: [listing.items[0].id] },
      { token: owner.token },
    );
    expect(badItem.status).toBe(400);
    const unknownId = await api.patch(
      `/listings/${listing.id}`,
      { wants: { PERMANENT: [{ item_name: 'ok', value_tenge: 1 }] }, remove_items: [listing.items[0].id, 99999999] },
      { token: owner.token },
    );
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.detail).toMatch(/99999999/);
    expect(await state(listing.id)).toEqual(before);
  });

  it('removing an already archived item again is a no-op', async () => {
    const listing = await aListing();
    const first = await api.patch(`/listings/${listing.id}`, { remove_items: [listing.items[1].id] }, { token: owner.token });
    expect(first.body.items_removed).toBe(1);
    const again = await api.patch(`/listings/${listing.id}`, { remove_items: [listing.items[1].id] }, { token: owner.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ items_removed: 0, current_counts: { wants: 1, offers: 1 } });
  });

  it('only the owner: someone else’s listing is 404, someone else’s item is 404, a forged user_id is 403', async () => {
    const mine = await aListing();
    const theirs = await aListing(other);
    const before = [await state(mine.id), await state(theirs.id)];
    const foreignListing = await api.patch(`/listings/${theirs.id}`, { remove_items: [theirs.items[0].id] }, { token: owner.token });
    expect(foreignListing.status).toBe(404);
    expect(foreignListing.body).toMatchObject({ error_type: 'not_found', detail: expect.stringMatching(/not found or no access/) });
    const foreignItem = await api.patch(`/listings/${mine.id}`, { remove_items: [theirs.items[0].id] }, { token: owner.token });
    expect(foreignItem.status).toBe(404);
    const forged = await api.patch(`/listings/${mine.id}?user_id=${other.id}`, { remove_items: [mine.items[0].id] }, { token: owner.token });
    expect(forged.status).toBe(403);
    expect(forged.body.error_type).toBe('forbidden');
    expect((await api.patch(`/listings/${mine.id}`, { remove_items: [mine.items[0].id] })).status).toBe(401);
    expect((await api.patch('/listings/999999', { remove_items: [1] }, { token: owner.token })).status).toBe(404);
    expect([await state(mine.id), await state(theirs.id)]).toEqual(before);
  });

  it.each([
    ['an empty body', {}, /Nothing to update/],
    ['remove_items that are not ids', { remove_items: ['x'] }, /remove_items must be item ids/],
    ['a repeated remove id', { remove_items: [5, 5] }, /must not repeat/],
    ['more than 50 removals', { remove_items: Array.from({ length: 51 }, (_, i) => i + 1) }, /at most 50/],
    ['an item both changed and removed', { remove_items: [7], update_items: [{ id: 7, item_name: 'x' }] }, /both changed and removed/],
    ['a bad change', { update_items: [{ id: 7, value_tenge: -1 }] }, /value_tenge must be a positive integer/],
    ['an unknown field', { rename: 'x' }, /rename should not exist/],
    ['more than 10 items in a category', { offers: { PERMANENT: Array.from({ length: 11 }, (_, i) => ({ item_name: `n${i}`, value_tenge: 1 })) } }, /at most 10/],
    ['a bad exchange type group', { offers: { TEMPORARY: [{ item_name: 'x', value_tenge: 1 }] } }, /duration_days: is required/],
  ])('refuses %s with 400', async (_, body, message) => {
    const listing = await aListing();
    const before = await state(listing.id);
    const res = await api.patch(`/listings/${listing.id}`, body, { token: owner.token });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(message);
    expect(await state(listing.id)).toEqual(before);
  });

  it('refuses a listing id that is not a number with 400', async () => {
    const res = await api.patch('/listings/abc', { remove_items: [1] }, { token: owner.token });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/listing_id must be an integer/);
  });
});
