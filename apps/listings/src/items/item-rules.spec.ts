import { plainToInstance } from 'class-transformer';
import { DomainError, ItemInput, itemGroupErrors, type ExchangeType } from '@app/contracts';
import catalogueFile from '../../data/categories-v6.json';
import { Catalogue } from '../catalogue/catalogue';
import { resolveItemGroups, resolveSingleItem } from './item-rules';

const catalogue = new Catalogue(
  catalogueFile.version,
  catalogueFile.description,
  catalogueFile.categories.map((c) => ({ ...c, exchange_type: c.exchange_type as ExchangeType })),
  [...catalogueFile.legacy_mappings]
    .sort((a, b) => b.confidence - a.confidence)
    .map((m) => ({ ...m, exchange_type: m.exchange_type as ExchangeType })),
);

const item = (fields: Partial<ItemInput>): ItemInput => plainToInstance(ItemInput, { item_name: 'Вещь', value_tenge: 1000, ...fields });

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return ((error as DomainError).fields ?? []).map((f) => `${f.field}: ${f.message}`);
  }
  throw new Error('expected a validation error');
}

describe('Catalogue', () => {
  it('holds 35 permanent and 25 temporary categories and resolves legacy slugs to the best v6 slug', () => {
    expect(catalogue.categories('PERMANENT')).toHaveLength(35);
    expect(catalogue.categories('TEMPORARY')).toHaveLength(25);
    expect(catalogue.resolve('electronics', 'PERMANENT')).toBe('photo_equipment');
    expect(catalogue.resolve('transport', 'TEMPORARY')).toBe('electric_transport');
    expect(catalogue.resolve('bicycles', 'PERMANENT')).toBeNull();
    // The file maps furniture → furniture_appliances for TEMPORARY, which does not exist: not followed.
    expect(catalogue.resolve('furniture', 'TEMPORARY')).toBeNull();
    expect(catalogue.resolve('furniture', 'PERMANENT')).toBe('furniture_appliances');
  });
});

describe('resolveItemGroups', () => {
  it('takes the exchange type from the group key and the item type from the side', () => {
    const items = resolveItemGroups({ wants: { PERMANENT: [item({})], temporary: [item({ duration_days: 3 })] }, offers: { PERMANENT: [item({ item_name: '  Стол ' })] } }, catalogue);
    expect(items.map((i) => [i.item_type, i.exchange_type, i.duration_days, i.item_name])).toEqual([
      ['WANT', 'PERMANENT', null, 'Вещь'],
      ['WANT', 'TEMPORARY', 3, 'Вещь'],
      ['OFFER', 'PERMANENT', null, 'Стол'],
    ]);
  });

  it('takes a category from a slug key; the exchange type from the item, the category’s only type, or the days', () => {
    const items = resolveItemGroups(
      {
        wants: {
          photo_equipment: [item({ exchange_type: 'TEMPORARY', duration_days: 2 }), item({})],
          bicycles: [item({ duration_days: 1 })],
          electronics: [item({})],
        },
      },
      catalogue,
    );
    expect(items.map((i) => [i.exchange_type, i.category])).toEqual([
      ['TEMPORARY', 'photo_equipment'],
      ['PERMANENT', 'photo_equipment'],
      ['TEMPORARY', 'bicycles'],
      ['PERMANENT', 'photo_equipment'],
    ]);
  });

  it('names every broken rule with its path', () => {
    expect(
      problemsOf(() =>
        resolveItemGroups(
          {
            wants: {
              TEMPORARY: [item({}), item({ exchange_type: 'PERMANENT', duration_days: 3 })],
              PERMANENT: [item({ duration_days: 5 })],
              bicycles: [item({ exchange_type: 'PERMANENT' })],
              books: [item({})],
            },
            offers: { PERMANENT: [item({ item_type: 'WANT' })] },
          },
          catalogue,
        ),
      ),
    ).toEqual([
      'wants.TEMPORARY[0].duration_days: is required for TEMPORARY items (1–365)',
      'wants.TEMPORARY[1].exchange_type: contradicts the group TEMPORARY',
      'wants.PERMANENT[0].duration_days: must be absent for PERMANENT items',
      'wants.bicycles[0].category: "bicycles" is not a PERMANENT category (it is TEMPORARY) in catalogue v6.0',
      'wants.books[0].category: "books" is not a category of catalogue v6.0',
      'offers.PERMANENT[0].item_type: must be OFFER here',
    ]);
  });

  it('allows 50 items per request and 10 per category, no more', () => {
    const many = (n: number) => Array.from({ length: n }, () => item({}));
    expect(resolveItemGroups({ wants: { PERMANENT: many(10) }, offers: { PERMANENT: many(10) } }, catalogue)).toHaveLength(20);
    expect(problemsOf(() => resolveItemGroups({ offers: { PERMANENT: many(11) } }, catalogue))).toEqual(['offers.PERMANENT: 11 items in one category; at most 10']);
    expect(problemsOf(() => resolveItemGroups({ offers: { photo_equipment: many(6), electronics: many(5) } }, catalogue))).toEqual([
      'offers.photo_equipment: 11 items in one category; at most 10',
    ]);
    const fiftyOne = { wants: { PERMANENT: many(10), personal_transport: many(10), property: many(10) }, offers: { PERMANENT: many(10), property: many(10), money_crypto: many(1) } };
    expect(problemsOf(() => resolveItemGroups(fiftyOne, catalogue))).toEqual(['wants/offers: 51 items in one request; at most 50']);
  });

  it('resolves a single item with its given types', () => {
    expect(resolveSingleItem({ ...item({ category: 'hand_tools', duration_days: 4 }), item_type: 'OFFER', exchange_type: 'TEMPORARY' }, catalogue)).toMatchObject({
      item_type: 'OFFER',
      exchange_type: 'TEMPORARY',
      category: 'hand_tools',
      duration_days: 4,
    });
  });
});

describe('item field validation (shared DTO)', () => {
  it.each([
    [{ item_name: '   ', value_tenge: 1 }, /item_name must be 1–100/],
    [{ item_name: 'x'.repeat(101), value_tenge: 1 }, /item_name must be 1–100/],
    [{ item_name: 'x', value_tenge: 0 }, /value_tenge must be a positive integer/],
    [{ item_name: 'x', value_tenge: 2.5 }, /value_tenge must be a positive integer/],
    [{ item_name: 'x', value_tenge: 1, duration_days: 366 }, /duration_days must be an integer from 1 to 365/],
    [{ item_name: 'x', value_tenge: 1, description: 'd'.repeat(1001) }, /description must be at most 1000/],
    [{ item_name: 'x', value_tenge: 1, exchange_type: 'DAILY' }, /exchange_type must be PERMANENT or TEMPORARY/],
    [{ item_name: 'x', value_tenge: 1, colour: 'red' }, /colour should not exist/],
  ])('%j is refused', (fields, message) => {
    expect(itemGroupErrors(ItemInput, { PERMANENT: [fields] }, 'wants').join('; ')).toMatch(message);
  });

  it('accepts exchange types in any case and reports paths', () => {
    expect(itemGroupErrors(ItemInput, { PERMANENT: [{ item_name: 'x', value_tenge: 1, exchange_type: 'permanent' }] }, 'wants')).toEqual([]);
    expect(itemGroupErrors(ItemInput, { PERMANENT: [{ item_name: 'x', value_tenge: -1 }] }, 'offers')).toEqual(['offers.PERMANENT[0].value_tenge must be a positive integer (tenge)']);
    expect(itemGroupErrors(ItemInput, { 'bad key!': [] }, 'wants')[0]).toMatch(/not an exchange type or a category slug/);
  });
});
