import type { MatchItem } from '@app/matching-engine';

/**
 * A synthetic FreeMarket: users in 1–2 of the 3 cities, each with a few offers
 * and a few wants across the 60 v6 categories. Item names are drawn from a
 * per-category vocabulary of made-up product words (so that unrelated
 * products do not match by accident), optionally with a model word. A user's
 * wants are priced near one of their own offers (people ask for about what
 * they give).
 */
export interface Category {
  slug: string;
  exchange_type: 'PERMANENT' | 'TEMPORARY';
}

export const CITIES = ['Алматы', 'Астана', 'Шымкент'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'te', 'zo', 'na', 'pi', 'se', 'du', 'ba', 'fe', 'go', 'ly', 'vo', 'shi', 'tra', 'kel', 'mon', 'dar'];
const DURATIONS = [1, 3, 7, 14, 30];

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SyntheticMarket {
  private readonly r: () => number;
  private readonly products: string[][] = [];
  private readonly models: string[][][] = [];
  private nextId = 1;
  readonly cities = new Map<number, string[]>();

  constructor(
    readonly categories: Category[],
    seed: number,
  ) {
    this.r = rng(seed);
    const used = new Set<string>();
    const word = () => {
      for (;;) {
        let w = '';
        const k = 3 + Math.floor(this.r() * 2);
        for (let i = 0; i < k; i++) w += SYLLABLES[Math.floor(this.r() * SYLLABLES.length)];
        if (!used.has(w)) {
          used.add(w);
          return w;
        }
      }
    };
    for (let c = 0; c < categories.length; c++) {
      this.products.push(Array.from({ length: 4 }, word));
      this.models.push(this.products[c].map(() => Array.from({ length: 3 }, word)));
    }
  }

  private pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.r() * a.length)];
  }

  /** One user's items: `offers` offers and `wants` wants. */
  user(userId: number, offers: number, wants: number): MatchItem[] {
    const cs = CITIES.filter(() => this.r() < 0.35);
    this.cities.set(userId, cs.length ? cs : [this.pick(CITIES)]);
    const out: MatchItem[] = [];
    for (let i = 0; i < offers; i++) out.push(this.item(userId, 'OFFER'));
    for (let i = 0; i < wants; i++) {
      const w = this.item(userId, 'WANT');
      // Priced near one of the user's offers of the same exchange type, when there is one.
      const base = out.filter((o) => o.kind === 'OFFER' && o.exchangeType === w.exchangeType);
      if (base.length > 0) {
        const o = this.pick(base);
        const perDay = o.valueTenge / (o.durationDays ?? 1);
        w.valueTenge = Math.round(perDay * (w.durationDays ?? 1) * (0.9 + 0.2 * this.r()));
      }
      out.push(w);
    }
    return out;
  }

  item(userId: number, kind: 'WANT' | 'OFFER'): MatchItem {
    const c = Math.floor(this.r() * this.categories.length);
    const cat = this.categories[c];
    const p = Math.floor(this.r() * this.products[c].length);
    const withModel = this.r() < (kind === 'OFFER' ? 0.6 : 0.3);
    const name = withModel ? `${this.products[c][p]} ${this.pick(this.models[c][p])}` : this.products[c][p];
    const temporary = cat.exchange_type === 'TEMPORARY';
    const durationDays = temporary ? this.pick(DURATIONS) : null;
    const perUnit = Math.round(Math.exp(Math.log(10000) + this.r() * Math.log(5)));
    return {
      id: this.nextId++,
      userId,
      kind,
      exchangeType: cat.exchange_type,
      name,
      valueTenge: temporary ? Math.round((perUnit / 10) * durationDays!) : perUnit,
      durationDays,
      category: cat.slug,
    };
  }

  /** A market of about `items` active items. */
  market(items: number): MatchItem[] {
    const out: MatchItem[] = [];
    let u = 1;
    while (out.length < items) {
      out.push(...this.user(u++, 1 + Math.floor(this.r() * 4), 1 + Math.floor(this.r() * 4)));
    }
    return out.slice(0, items);
  }
}
