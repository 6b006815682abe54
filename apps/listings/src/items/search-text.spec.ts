import { normaliseSearchText } from './search-text';

describe('normaliseSearchText', () => {
  it.each([
    ['ВЕЛОСИПЕД', 'велосипед'],
    ['Ёлка', 'елка'],
    ['шуруповёрт', 'шуруповерт'],
    // ё written as е + combining diaeresis (what some keyboards send) folds the same way.
    ['е\u0308лка', 'елка'],
    ['  iPhone   13,  Pro!! ', 'iphone 13 pro'],
    ['учебник-по-Python', 'учебник по python'],
    ['«Гитара» (б/у)', 'гитара б у'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseSearchText(input)).toBe(expected);
  });
});
