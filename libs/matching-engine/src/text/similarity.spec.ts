import { readFileSync } from 'fs';
import { join } from 'path';
import { MatchItem, matchWantOffer } from '../compat/compatibility';
import { textSimilarity } from './similarity';

interface LabelledSide {
  item_name: string;
  value_tenge: number;
  exchange_type: 'PERMANENT' | 'TEMPORARY';
  duration_days?: number;
  category?: string;
}
const file = JSON.parse(readFileSync(join(__dirname, '../../test-data/matching-pairs.json'), 'utf8')) as {
  pairs: Array<{ want: LabelledSide; offer: LabelledSide; expect: 'match' | 'no_match'; why: string }>;
};

const toItem = (s: LabelledSide, kind: 'WANT' | 'OFFER', id: number): MatchItem => ({
  id,
  userId: id,
  kind,
  exchangeType: s.exchange_type,
  name: s.item_name,
  valueTenge: s.value_tenge,
  durationDays: s.duration_days ?? null,
  category: s.category ?? null,
});

describe('labelled want/offer pairs (test-data/matching-pairs.json)', () => {
  it('holds the labelled pairs', () => {
    expect(file.pairs.length).toBeGreaterThanOrEqual(29);
  });
  it.each(file.pairs.map((p) => [`${p.want.item_name} → ${p.offer.item_name}: ${p.expect} (${p.why})`, p] as const))('%s', (_label, p) => {
    const r = matchWantOffer(toItem(p.want, 'WANT', 1), toItem(p.offer, 'OFFER', 2));
    expect(r.match).toBe(p.expect === 'match');
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(1);
  });
});

describe('textSimilarity', () => {
  it.each([
    ['iPhone', 'айфон'],
    ['самсунг', 'Samsung'],
    ['велосипед', 'bike'],
    ['bike', 'байк'],
    ['ноутбук', 'laptop'],
    ['PS5', 'PlayStation 5'],
    ['плейстейшен 5', 'ps5'],
    ['съём квартиры', 'аренда жилья'],
    ['велосипед горный', 'горный велосипед'],
    ['велосепед', 'велосипед'],
    ['гитара', 'гттара'],
    ['НОУТБУК', 'ноутбук'],
    ['ёлка', 'елка'],
  ])('%s ~ %s', (a, b) => {
    expect(textSimilarity(a, b)).toBeGreaterThanOrEqual(0.75);
  });

  it('a want to rent meets an offer to let, two lets do not meet', () => {
    expect(textSimilarity('снять квартиру', 'сдаю квартиру')).toBeGreaterThan(0.9);
    expect(textSimilarity('сдать квартиру', 'сдаю квартиру')).toBe(0);
    expect(textSimilarity('сдать квартиру', 'снять квартиру')).toBe(0);
  });

  it('a rental does not meet a sale', () => {
    expect(textSimilarity('прокат велосипеда', 'продажа велосипеда')).toBe(0);
  });

  it('unrelated names have nothing in common', () => {
    expect(textSimilarity('Phone', 'Camera')).toBe(0);
    expect(textSimilarity('диван', 'дрель')).toBe(0);
  });

  it('stays in [0, 1]', () => {
    for (const [a, b] of [['iPhone 13 Pro', 'iPhone 13 Pro Max'], ['', 'x'], ['!!!', '???']]) {
      const s = textSimilarity(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});
