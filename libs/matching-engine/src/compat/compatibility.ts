import { textSimilarity } from '../text/similarity';

export type ItemKind = 'WANT' | 'OFFER';
export type ExchangeType = 'PERMANENT' | 'TEMPORARY';

/** An active listing item as the matching service hands it over. */
export interface MatchItem {
  id: number;
  userId: number;
  kind: ItemKind;
  exchangeType: ExchangeType;
  name: string;
  valueTenge: number;
  /** Days for TEMPORARY items; null for PERMANENT ones. */
  durationDays: number | null;
  category: string | null;
  description?: string | null;
}

/** Lowest value equivalence `1 − |a−b| / max(a,b)` for a fair swap (100k vs 125k passes, 100k vs 130k does not). */
export const MIN_VALUE_EQUIVALENCE = 0.8;
/** Shortest/longest duration of a rental pair: a 1-day want is not met by a 30-day lease. */
export const MIN_DURATION_RATIO = 0.5;
/** Name similarity a want needs from an offer in the same (or an unknown) category. */
export const MIN_NAME_SIMILARITY = 0.6;
/** The stricter name bar across different categories. */
export const MIN_NAME_SIMILARITY_CROSS_CATEGORY = 0.8;
/** Weights of the combined score (they sum to 1). */
export const SCORE_NAME_WEIGHT = 0.6;
export const SCORE_VALUE_WEIGHT = 0.4;

/** `1 − |a−b| / max(a,b)`; 0 for non-positive values. */
export function valueEquivalence(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return 0;
  return 1 - Math.abs(a - b) / Math.max(a, b);
}

/** The value compared: the value itself, or the value per day for rentals. */
export function comparableValue(item: Pick<MatchItem, 'exchangeType' | 'valueTenge' | 'durationDays'>): number {
  if (item.exchangeType === 'TEMPORARY') {
    const d = item.durationDays ?? 0;
    return d > 0 ? item.valueTenge / d : 0;
  }
  return item.valueTenge;
}

export function durationsCompatible(a: MatchItem, b: MatchItem): boolean {
  if (a.exchangeType !== 'TEMPORARY') return true;
  const x = a.durationDays ?? 0;
  const y = b.durationDays ?? 0;
  if (x <= 0 || y <= 0) return false;
  return Math.min(x, y) / Math.max(x, y) >= MIN_DURATION_RATIO;
}

/** Fair value for a swap of two items (what one gives against what one gets). */
export function fairValue(a: MatchItem, b: MatchItem): number {
  if (a.exchangeType !== b.exchangeType) return 0;
  if (!durationsCompatible(a, b)) return 0;
  const eq = valueEquivalence(comparableValue(a), comparableValue(b));
  return eq >= MIN_VALUE_EQUIVALENCE ? eq : 0;
}

export interface WantOfferMatch {
  match: boolean;
  score: number;
  nameSimilarity: number;
  valueEquivalence: number;
}

/**
 * Does an offer answer a want? Users and cities are the graph's business; this
 * is about the two items: same exchange type, names that match (stricter across
 * categories), equivalent value (per day for rentals, with compatible
 * durations). The score is in [0, 1].
 */
export function matchWantOffer(want: MatchItem, offer: MatchItem): WantOfferMatch {
  const none = (nameSimilarity = 0, eq = 0): WantOfferMatch => ({ match: false, score: 0, nameSimilarity, valueEquivalence: eq });
  if (want.exchangeType !== offer.exchangeType) return none();
  const eq = durationsCompatible(want, offer) ? valueEquivalence(comparableValue(want), comparableValue(offer)) : 0;
  if (eq < MIN_VALUE_EQUIVALENCE) return none(0, eq);
  const sim = textSimilarity(want.name, offer.name);
  const crossCategory = want.category != null && offer.category != null && want.category !== offer.category;
  const bar = crossCategory ? MIN_NAME_SIMILARITY_CROSS_CATEGORY : MIN_NAME_SIMILARITY;
  if (sim < bar) return none(sim, eq);
  return { match: true, score: SCORE_NAME_WEIGHT * sim + SCORE_VALUE_WEIGHT * eq, nameSimilarity: sim, valueEquivalence: eq };
}
