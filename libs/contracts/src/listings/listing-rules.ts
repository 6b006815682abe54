import { CITIES, type City } from '../cities';

/** What a listed item is: something the owner wants, or something they offer. */
export const ITEM_TYPES = ['WANT', 'OFFER'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Given for good (PERMANENT) or lent for some days (TEMPORARY). */
export const EXCHANGE_TYPES = ['PERMANENT', 'TEMPORARY'] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

/** An item's state: archived is final (kept for history), hidden can be restored. */
export const ITEM_STATUSES = ['active', 'archived', 'hidden'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_SORTS = ['created', 'value', 'name'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export const ITEM_NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;
export const DURATION_DAYS_MIN = 1;
export const DURATION_DAYS_MAX = 365;
/** Far above any real price, far below 2^53 (values travel as JSON numbers). */
export const VALUE_TENGE_MAX = 1_000_000_000_000;
export const MAX_ITEMS_PER_REQUEST = 50;
export const MAX_ITEMS_PER_CATEGORY = 10;
export const SEARCH_QUERY_MAX = 200;
export const CATEGORY_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** City spellings the original clients send, folded to the canonical name. */
const CITY_ALIASES: Record<string, City> = {
  алматы: 'Алматы',
  almaty: 'Алматы',
  alma: 'Алматы',
  alatau: 'Алматы',
  'alma-ata': 'Алматы',
  астана: 'Астана',
  astana: 'Астана',
  'nur-sultan': 'Астана',
  nursultan: 'Астана',
  akmola: 'Астана',
  шымкент: 'Шымкент',
  shymkent: 'Шымкент',
  chimkent: 'Шымкент',
};

/** The canonical city for a spelling, or the input unchanged (validation then refuses it). */
export function canonicalCity(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const key = value.trim().toLowerCase();
  return CITY_ALIASES[key] ?? (CITIES as readonly string[]).find((c) => c.toLowerCase() === key) ?? value.trim();
}

/** `permanent`, `Permanent` and `PERMANENT` are one exchange type. */
export function exchangeTypeOf(value: unknown): ExchangeType | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.trim().toUpperCase();
  return (EXCHANGE_TYPES as readonly string[]).includes(upper) ? (upper as ExchangeType) : undefined;
}
