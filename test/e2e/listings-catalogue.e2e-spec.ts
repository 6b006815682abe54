import { Api, startFleet, type TestFleet } from '@app/testing';
import catalogueFile from '../../apps/listings/data/categories-v6.json';

describe('Categories (v6) through the gateway', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('GET /v1/categories answers the active version with 35 permanent and 25 temporary categories', async () => {
    const res = await api.get('/v1/categories');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe('v6.0');
    expect(res.body.description).toBe(catalogueFile.description);
    expect(res.body.categories.permanent).toHaveLength(35);
    expect(res.body.categories.temporary).toHaveLength(25);
    expect(res.body.categories.permanent[0]).toEqual({
      slug: 'personal_transport',
      name: 'Личные и спецтранспортные средства',
      group: '🚗 Транспорт и техника',
      emoji: '🚗',
      sort_order: 0,
      form_schema: null,
    });
    expect(res.body.categories.temporary[0]).toMatchObject({ slug: 'bicycles', group: '🚗 Транспорт и мобильность', sort_order: 0 });
    // Ordered by sort_order, exactly the file's entries.
    const fromFile = catalogueFile.categories.filter((c) => c.exchange_type === 'TEMPORARY').sort((a, b) => a.sort_order - b.sort_order).map((c) => c.slug);
    expect(res.body.categories.temporary.map((c: { slug: string }) => c.slug)).toEqual(fromFile);
  });

  it('takes ?version= and answers 404 for an unknown version', async () => {
    expect((await api.get('/v1/categories?version=v6.0')).body.version).toBe('v6.0');
    const unknown = await api.get('/v1/categories?version=v9.9');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status_code: 404, error_type: 'not_found' });
    expect((await api.get('/v1/categories/permanent?version=v9.9')).status).toBe(404);
  });

  it('GET /v1/categories/{exchange_type} takes any case and refuses anything else with 400', async () => {
    for (const path of ['permanent', 'PERMANENT', 'Permanent']) {
      const res = await api.get(`/v1/categories/${path}`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(35);
    }
    const temporary = await api.get('/v1/categories/temporary');
    expect(temporary.body).toHaveLength(25);
    expect(temporary.body[0]).toEqual({ slug: 'bicycles', name: 'Велосипеды, самокаты, гироскутеры', group: '🚗 Транспорт и мобильность', emoji: '🚗', sort_order: 0, form_schema: null });
    const bad = await api.get('/v1/categories/forever');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status_code: 400, error_type: 'validation_error' });
    expect(bad.body.detail).toMatch(/permanent or temporary/);
  });

  it('GET /v1/categories/groups/{exchange_type} lists unique groups in catalogue order', async () => {
    const res = await api.get('/v1/categories/groups/permanent');
    expect(res.status).toBe(200);
    expect(res.body.groups[0]).toBe('🚗 Транспорт и техника');
    expect(res.body.groups[1]).toBe('🔧 Инструменты и оборудование');
    expect(new Set(res.body.groups).size).toBe(res.body.groups.length);
    const temporary = await api.get('/v1/categories/groups/TEMPORARY');
    expect(temporary.body.groups).toContain('💻 Цифровые и вычислительные ресурсы');
    expect((await api.get('/v1/categories/groups/weekly')).status).toBe(400);
  });

  it('stores the legacy slug mappings with the version', async () => {
    const rows = await fleet.sql<{ n: number }>(`SELECT count(*)::int AS n FROM listings.legacy_category_mappings WHERE version = 'v6.0'`);
    expect(rows[0].n).toBe(catalogueFile.legacy_mappings.length);
  });
});
