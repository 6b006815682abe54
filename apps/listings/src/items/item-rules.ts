import {
  DomainError,
  exchangeTypeOf,
  MAX_ITEMS_PER_CATEGORY,
  MAX_ITEMS_PER_REQUEST,
  type ExchangeType,
  type FieldError,
  type ItemInput,
  type ItemType,
} from '@app/contracts';
import type { Catalogue } from '../catalogue/catalogue';

/** An item that passed every rule, ready to store. */
export interface NewItem {
  item_type: ItemType;
  exchange_type: ExchangeType;
  category: string | null;
  item_name: string;
  description: string | null;
  value_tenge: number;
  duration_days: number | null;
}

export interface ItemGroupsInput {
  wants?: Record<string, ItemInput[]>;
  offers?: Record<string, ItemInput[]>;
}

const SIDES: [keyof ItemGroupsInput, ItemType][] = [
  ['wants', 'WANT'],
  ['offers', 'OFFER'],
];

class Problems {
  readonly fields: FieldError[] = [];
  add(field: string, message: string): void {
    this.fields.push({ field, message });
  }
  throwIfAny(): void {
    if (this.fields.length === 0) return;
    throw DomainError.validation(this.fields.map((f) => `${f.field}: ${f.message}`).join('; '), this.fields);
  }
}

/**
 * The rules of one item beyond its own fields: which exchange type it is (group key,
 * item field, the category's only type, else TEMPORARY exactly when it has days),
 * whether its category exists for that type (legacy slugs map to v6), and the
 * duration rule (1–365 days for TEMPORARY, none for PERMANENT).
 */
function resolveItem(
  input: ItemInput,
  context: { itemType: ItemType; keyType?: ExchangeType; keySlug?: string; field: string; catalogue: Catalogue },
  problems: Problems,
): NewItem | null {
  const { itemType, keyType, keySlug, field, catalogue } = context;
  const before = problems.fields.length;
  if (input.item_type && input.item_type !== itemType) problems.add(`${field}.item_type`, `must be ${itemType} here`);
  if (keyType && input.exchange_type && input.exchange_type !== keyType) problems.add(`${field}.exchange_type`, `contradicts the group ${keyType}`);
  if (keySlug && input.category && input.category !== keySlug) problems.add(`${field}.category`, `contradicts the group ${keySlug}`);

  const slug = input.category ?? keySlug ?? null;
  const slugTypes = slug ? catalogue.exchangeTypesOf(slug) : [];
  const hasDays = input.duration_days !== undefined && input.duration_days !== null;
  const exchangeType: ExchangeType = keyType ?? input.exchange_type ?? (slugTypes.length === 1 ? slugTypes[0] : hasDays ? 'TEMPORARY' : 'PERMANENT');

  let category: string | null = null;
  if (slug) {
    category = catalogue.resolve(slug, exchangeType);
    if (!category) {
      const known = catalogue.knows(slug);
      problems.add(
        `${field}.category`,
        known
          ? `"${slug}" is not a ${exchangeType} category (it is ${slugTypes.join('/')}) in catalogue ${catalogue.version}`
          : `"${slug}" is not a category of catalogue ${catalogue.version}`,
      );
    }
  }
  if (exchangeType === 'TEMPORARY' && !hasDays) problems.add(`${field}.duration_days`, 'is required for TEMPORARY items (1–365)');
  if (exchangeType === 'PERMANENT' && hasDays) problems.add(`${field}.duration_days`, 'must be absent for PERMANENT items');
  if (problems.fields.length > before) return null;

  const description = typeof input.description === 'string' && input.description.trim() ? input.description.trim() : null;
  return {
    item_type: itemType,
    exchange_type: exchangeType,
    category,
    item_name: input.item_name.trim(),
    description,
    value_tenge: input.value_tenge,
    duration_days: exchangeType === 'TEMPORARY' ? (input.duration_days as number) : null,
  };
}

function checkLimits(items: { item: NewItem; bucket: string }[], problems: Problems, field: string): void {
  if (items.length > MAX_ITEMS_PER_REQUEST) {
    problems.add(field, `${items.length} items in one request; at most ${MAX_ITEMS_PER_REQUEST}`);
    return;
  }
  const perBucket = new Map<string, number>();
  for (const { bucket } of items) perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + 1);
  for (const [bucket, count] of perBucket) {
    if (count > MAX_ITEMS_PER_CATEGORY) problems.add(bucket, `${count} items in one category; at most ${MAX_ITEMS_PER_CATEGORY}`);
  }
}

/**
 * `wants`/`offers` keyed by exchange type or by category slug → items to store, or a
 * 400 naming every problem (nothing is stored when any item is wrong).
 */
export function resolveItemGroups(input: ItemGroupsInput, catalogue: Catalogue): NewItem[] {
  const problems = new Problems();
  const resolved: { item: NewItem; bucket: string }[] = [];
  let total = 0;
  for (const [side, itemType] of SIDES) {
    for (const [key, list] of Object.entries(input[side] ?? {})) {
      total += list.length;
      const keyType = exchangeTypeOf(key);
      const keySlug = keyType ? undefined : key.toLowerCase();
      list.forEach((item, index) => {
        const ok = resolveItem(item, { itemType, keyType, keySlug, field: `${side}.${key}[${index}]`, catalogue }, problems);
        // One category = one bucket: the resolved slug, else the exchange-type group.
        if (ok) resolved.push({ item: ok, bucket: `${side}.${ok.category ?? ok.exchange_type}` });
      });
    }
  }
  if (total > MAX_ITEMS_PER_REQUEST) {
    problems.fields.length = 0;
    problems.add('wants/offers', `${total} items in one request; at most ${MAX_ITEMS_PER_REQUEST}`);
  } else {
    checkLimits(resolved, problems, 'wants/offers');
  }
  problems.throwIfAny();
  return resolved.map((r) => r.item);
}

/** POST /api/listings/create: one item with its type and exchange type given. */
export function resolveSingleItem(input: ItemInput & { item_type: ItemType; exchange_type: ExchangeType }, catalogue: Catalogue): NewItem {
  const problems = new Problems();
  const item = resolveItem(input, { itemType: input.item_type, keyType: input.exchange_type, field: 'item', catalogue }, problems);
  problems.throwIfAny();
  return item as NewItem;
}
