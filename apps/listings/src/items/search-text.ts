/**
 * How a search query is read before it reaches Postgres: the same folding the stored
 * search vector gets (lower case, ё → е, Unicode composed), punctuation dropped.
 * Word forms (велосипеды → велосипед, books → book) are Postgres' russian snowball
 * configuration, applied to both sides.
 */
export function normaliseSearchText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}
