/** The cities FreeMarket serves. Users pick 1–3 of them; matching needs a shared one. */
export const CITIES = ['Алматы', 'Астана', 'Шымкент'] as const;
export type City = (typeof CITIES)[number];
export const MIN_LOCATIONS = 1;
export const MAX_LOCATIONS = 3;
