import * as snowball from 'snowball-stemmers';
import { LEXICON, Lexicon } from './lexicon';

/** Two words are "the same word, misspelt" from this character similarity on. */
export const TYPO_SIMILARITY_MIN = 0.75;
/** Words shorter than this must match exactly (or through the lexicon). */
export const TYPO_MIN_LENGTH = 4;
/** Weight of "how much of the want the offer covers" against the converse. */
export const WANT_COVERAGE_WEIGHT = 0.75;

export type RentalDirection = 'RENT_IN' | 'LET_OUT' | null;
export type Mode = 'RENT' | 'SALE' | null;

export interface AnalysedText {
  tokens: Token[];
  direction: RentalDirection;
  mode: Mode;
}

interface Token {
  word: string;
  stem: string;
  /** Latin phonetic key (iphone / айфон → "ifon"), for cross-script typos. */
  key: string;
  concepts: ReadonlySet<string>;
  numeric: boolean;
}

const ru = snowball.newStemmer('russian');
const en = snowball.newStemmer('english');
const CYRILLIC = /[а-я]/;

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^a-zа-я0-9]+/g, ' ')
    .replace(/([a-zа-я])(\d)/g, '$1$2') // keep "ps5" together
    .trim();
}

export function stem(word: string): string {
  if (/^\d+$/.test(word)) return word;
  return CYRILLIC.test(word) ? ru.stem(word) : en.stem(word);
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Cyrillic → Latin, then a rough phonetic key so that спеллинги of one brand meet. */
export function phoneticKey(word: string): string {
  let s = '';
  for (const ch of word) s += TRANSLIT[ch] ?? ch;
  return s
    .replace(/ph/g, 'f')
    .replace(/ck|c(?=[aou])|q/g, 'k')
    .replace(/w/g, 'v')
    .replace(/x/g, 'ks')
    .replace(/[yj]/g, 'i')
    .replace(/ee|ea/g, 'i')
    .replace(/oo/g, 'u')
    .replace(/(.)\1+/g, '$1')
    .replace(/^ai(?=f)/, 'i')
    .replace(/(?<=.)e$/, '');
}

class LexiconIndex {
  readonly conceptsByWord = new Map<string, Set<string>>();
  readonly stop: Set<string>;
  readonly intent = new Map<string, 'rentIn' | 'letOut' | 'rent' | 'sell' | 'buy'>();

  constructor(readonly lex: Lexicon) {
    for (const [concept, words] of Object.entries(lex.concepts)) {
      for (const w of words) {
        const n = normalize(w);
        for (const form of [n, stem(n)]) {
          let set = this.conceptsByWord.get(form);
          if (!set) this.conceptsByWord.set(form, (set = new Set()));
          set.add(concept);
        }
      }
    }
    this.stop = new Set(lex.stopwords.map(normalize));
    for (const kind of ['rentIn', 'letOut', 'rent', 'sell', 'buy'] as const) {
      for (const w of lex.intents[kind]) {
        const n = normalize(w);
        this.intent.set(n, kind);
        this.intent.set(stem(n), kind);
      }
    }
  }
}

let index: LexiconIndex | null = null;
function lexicon(): LexiconIndex {
  return (index ??= new LexiconIndex(LEXICON));
}

const analysisCache = new Map<string, AnalysedText>();
const CACHE_LIMIT = 50_000;

/** Normalises, rewrites phrases, takes out stopwords and intent words, stems. */
export function analyse(text: string): AnalysedText {
  const hit = analysisCache.get(text);
  if (hit) return hit;
  const lx = lexicon();
  let norm = ` ${normalize(text)} `;
  for (const [from, to] of lx.lex.phrases) norm = norm.split(` ${normalize(from)} `).join(` ${to} `);
  let direction: RentalDirection = null;
  let mode: Mode = null;
  const tokens: Token[] = [];
  for (const word of norm.split(' ')) {
    if (word === '' || lx.stop.has(word)) continue;
    const st = stem(word);
    const intent = lx.intent.get(word) ?? lx.intent.get(st);
    if (intent) {
      if (intent === 'rentIn') direction = 'RENT_IN';
      if (intent === 'letOut') direction = 'LET_OUT';
      mode = intent === 'sell' || intent === 'buy' ? 'SALE' : 'RENT';
      continue;
    }
    const concepts = lx.conceptsByWord.get(word) ?? lx.conceptsByWord.get(st) ?? new Set<string>();
    tokens.push({ word, stem: st, key: phoneticKey(st), concepts, numeric: /^\d+$/.test(word) });
  }
  const out = { tokens, direction, mode };
  if (analysisCache.size >= CACHE_LIMIT) analysisCache.clear();
  analysisCache.set(text, out);
  return out;
}

/** Character trigram Dice coefficient (with word-boundary padding). */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const p = `  ${s} `;
    const m = new Map<string, number>();
    for (let i = 0; i + 3 <= p.length; i++) {
      const g = p.slice(i, i + 3);
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    return m;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  let total = 0;
  for (const [g, c] of ga) {
    common += Math.min(c, gb.get(g) ?? 0);
    total += c;
  }
  for (const c of gb.values()) total += c;
  return total === 0 ? 0 : (2 * common) / total;
}

/** 1 − Damerau–Levenshtein distance / longer length. */
export function editSimilarity(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => [i, ...new Array<number>(m).fill(0)]);
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return 1 - d[n][m] / Math.max(n, m);
}

function tokenSimilarity(a: Token, b: Token): number {
  if (a.numeric || b.numeric) return a.word === b.word ? 1 : 0;
  if (a.stem === b.stem || a.word === b.word) return 1;
  for (const c of a.concepts) if (b.concepts.has(c)) return 1;
  if (a.key === b.key) return 0.95; // transliteration of the same word
  // Typos: only for words long enough to tell, in either script.
  if (Math.min(a.word.length, b.word.length) < TYPO_MIN_LENGTH) return 0;
  const sameScript = CYRILLIC.test(a.word) === CYRILLIC.test(b.word);
  const x = sameScript ? a.word : a.key;
  const y = sameScript ? b.word : b.key;
  const s = Math.max(trigramSimilarity(x, y), editSimilarity(x, y));
  return s >= TYPO_SIMILARITY_MIN ? s : 0;
}

function coverage(from: Token[], to: Token[]): number {
  if (from.length === 0) return 0;
  let sum = 0;
  for (const t of from) {
    let best = 0;
    for (const u of to) {
      const s = tokenSimilarity(t, u);
      if (s > best) best = s;
      if (best === 1) break;
    }
    sum += best;
  }
  return sum / from.length;
}

/**
 * Whether the rental/sale intent of a want and an offer fit together: a want
 * to rent meets an offer to let; a want to let, or an offer to rent, meets
 * nothing; a rental never meets a sale.
 */
export function intentsCompatible(want: AnalysedText, offer: AnalysedText): boolean {
  if (want.direction === 'LET_OUT' || offer.direction === 'RENT_IN') return false;
  if (want.mode && offer.mode && want.mode !== offer.mode) return false;
  return true;
}

/**
 * How well an offer's name answers a want's name, in [0, 1]: 0 when the
 * intents clash or nothing in common. Case, ё, word order, word forms,
 * Latin/Cyrillic spelling, synonyms and typos do not matter.
 */
export function textSimilarity(want: string, offer: string): number {
  let row = similarityCache.get(want);
  if (!row) {
    if (similarityCache.size >= CACHE_LIMIT) similarityCache.clear();
    similarityCache.set(want, (row = new Map()));
  }
  const hit = row.get(offer);
  if (hit !== undefined) return hit;
  const v = computeSimilarity(want, offer);
  if (row.size < CACHE_LIMIT) row.set(offer, v);
  return v;
}

/** Memo of want name → offer name → similarity (names repeat a lot in a market). */
const similarityCache = new Map<string, Map<string, number>>();

function computeSimilarity(want: string, offer: string): number {
  const w = analyse(want);
  const o = analyse(offer);
  if (!intentsCompatible(w, o)) return 0;
  if (w.tokens.length === 0 || o.tokens.length === 0) return 0;
  const wc = coverage(w.tokens, o.tokens);
  const oc = coverage(o.tokens, w.tokens);
  return WANT_COVERAGE_WEIGHT * wc + (1 - WANT_COVERAGE_WEIGHT) * oc;
}

/**
 * Keys under which an item name is indexed so that candidate pairs can be
 * found without comparing every want with every offer: concepts, stems,
 * transliteration keys, and (inside a category) one-deletion variants of
 * longer words, so that single typos still share a key.
 */
export function matchKeys(name: string, category: string | null): string[] {
  const keys = new Set<string>();
  for (const t of analyse(name).tokens) {
    if (t.numeric) continue;
    for (const c of t.concepts) keys.add(`c:${c}`);
    keys.add(`s:${t.stem}`);
    keys.add(`k:${t.key}`);
    if (category && t.word.length >= TYPO_MIN_LENGTH + 1) {
      for (let i = 0; i < t.word.length; i++) keys.add(`d:${category}:${t.word.slice(0, i)}${t.word.slice(i + 1)}`);
    }
  }
  return [...keys];
}

const keyHashCache = new Map<string, number[]>();

/** `matchKeys` as 32-bit hashes (collisions only add candidates, which are checked anyway), cached per name. */
export function matchKeyHashes(name: string, category: string | null): number[] {
  const cacheKey = `${category ?? ''}\u0000${name}`;
  const hit = keyHashCache.get(cacheKey);
  if (hit) return hit;
  const out = [...new Set(matchKeys(name, category).map(fnv1a))];
  if (keyHashCache.size >= CACHE_LIMIT) keyHashCache.clear();
  keyHashCache.set(cacheKey, out);
  return out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
