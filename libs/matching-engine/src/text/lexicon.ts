/**
 * The bilingual lexicon, kept as data in a TypeScript module so that the ts
 * sources, Jest and the swc-compiled dist all load it without file I/O.
 *
 * - `concepts`: groups of words (Russian, English, colloquial, transliterated)
 *   that name the same thing. Words are matched after normalisation and also by
 *   their stem, so one inflected form per word is enough.
 * - `phrases`: multi-word spellings rewritten to one token before matching
 *   (PlayStation 5 → ps5).
 * - `stopwords`: words that say nothing about the item.
 * - `intents`: words that carry the direction of a rental or a sale; they are
 *   taken out of the name and checked separately (a want to rent meets an
 *   offer to let; two lets do not meet).
 */
export interface Lexicon {
  concepts: Record<string, string[]>;
  phrases: Array<[string, string]>;
  stopwords: string[];
  intents: {
    /** "I want to take it for a while": снять, арендовать. */
    rentIn: string[];
    /** "I let it out": сдаю, сдам. */
    letOut: string[];
    /** Renting, with no direction: аренда, прокат. */
    rent: string[];
    sell: string[];
    buy: string[];
  };
}

export const LEXICON: Lexicon = {
  concepts: {
    bicycle: ['велосипед', 'велик', 'байк', 'bike', 'bicycle', 'велосипеды', 'cycle'],
    mountain: ['горный', 'mountain', 'mtb'],
    laptop: ['ноутбук', 'ноут', 'laptop', 'notebook', 'лэптоп', 'лаптоп', 'макбук', 'macbook'],
    phone: ['телефон', 'смартфон', 'phone', 'smartphone', 'мобильный', 'mobile', 'cellphone'],
    iphone: ['iphone', 'айфон', 'афон'],
    samsung: ['samsung', 'самсунг'],
    xiaomi: ['xiaomi', 'сяоми', 'ксиаоми'],
    pro: ['pro', 'про'],
    max: ['max', 'макс'],
    desk: ['стол', 'desk', 'table', 'столик'],
    chair: ['стул', 'кресло', 'chair', 'armchair'],
    sofa: ['диван', 'sofa', 'couch'],
    car: ['автомобиль', 'авто', 'машина', 'car', 'auto', 'automobile', 'тачка'],
    console: ['приставка', 'консоль', 'console', 'playstation', 'xbox'],
    ps5: ['ps5', 'пс5'],
    ps4: ['ps4', 'пс4'],
    game: ['игровой', 'игра', 'game', 'gaming', 'игры'],
    guitar: ['гитара', 'guitar', 'гитарка'],
    apartment: ['квартира', 'жилье', 'жилище', 'apartment', 'flat', 'housing', 'комната', 'room', 'студия', 'квартирка'],
    house: ['дом', 'house', 'коттедж', 'дача'],
    course: ['курс', 'курсы', 'обучение', 'урок', 'уроки', 'занятия', 'lesson', 'lessons', 'course', 'training', 'tutoring', 'репетитор', 'репетиторство', 'tutor'],
    language: ['язык', 'языки', 'language', 'английский', 'english', 'немецкий', 'german', 'французский', 'french'],
    book: ['книга', 'книжка', 'book', 'учебник', 'textbook', 'пособие'],
    camera: ['камера', 'фотоаппарат', 'camera', 'фотик'],
    drill: ['дрель', 'drill', 'перфоратор', 'шуруповерт', 'screwdriver'],
    tools: ['инструменты', 'инструмент', 'tools', 'tool', 'набор'],
    repair: ['ремонт', 'repair', 'починка', 'fix'],
    parts: ['запчасти', 'запчасть', 'детали', 'parts', 'spare'],
    kids: ['детский', 'детям', 'kids', 'children', 'child'],
    scooter: ['самокат', 'scooter', 'электросамокат'],
    tv: ['телевизор', 'тв', 'tv', 'television', 'телек'],
    tablet: ['планшет', 'tablet', 'ipad', 'айпад'],
    headphones: ['наушники', 'headphones', 'headset', 'гарнитура'],
    watch: ['часы', 'watch', 'smartwatch'],
    music: ['музыка', 'музыки', 'music', 'музыкальный'],
    design: ['дизайн', 'design', 'дизайнер', 'designer'],
    job: ['работа', 'job', 'work', 'вакансия'],
    python: ['python', 'питон', 'пайтон'],
    javascript: ['js', 'javascript', 'джаваскрипт'],
    keyboard: ['клавиатура', 'keyboard'],
    mouse: ['мышь', 'мышка', 'mouse'],
    monitor: ['монитор', 'monitor', 'дисплей', 'display'],
    printer: ['принтер', 'printer'],
    tent: ['палатка', 'tent'],
    skis: ['лыжи', 'ski', 'skis'],
    snowboard: ['сноуборд', 'snowboard'],
    stroller: ['коляска', 'stroller', 'pram'],
  },
  phrases: [
    ['playstation 5', 'ps5'],
    ['play station 5', 'ps5'],
    ['плейстейшен 5', 'ps5'],
    ['плейстейшн 5', 'ps5'],
    ['ps 5', 'ps5'],
    ['пс 5', 'ps5'],
    ['playstation 4', 'ps4'],
    ['плейстейшен 4', 'ps4'],
    ['ps 4', 'ps4'],
    ['mac book', 'macbook'],
    ['smart watch', 'smartwatch'],
    ['mountain bike', 'mountain bike'],
  ],
  stopwords: [
    'по', 'для', 'на', 'в', 'во', 'и', 'с', 'со', 'к', 'ко', 'из', 'от', 'за', 'или', 'а', 'о', 'об', 'у',
    'the', 'a', 'an', 'for', 'of', 'to', 'and', 'with', 'or', 'in', 'on',
    'нужен', 'нужна', 'нужно', 'нужны', 'ищу', 'хочу', 'отдам', 'отдаю', 'предлагаю', 'меняю', 'обмен', 'обменяю',
    'want', 'need', 'looking', 'offer', 'swap', 'trade',
  ],
  intents: {
    rentIn: ['снять', 'сниму', 'снимаю', 'снимем', 'съем', 'арендовать', 'арендую', 'арендуем', 'взять', 'возьму'],
    letOut: ['сдать', 'сдаю', 'сдам', 'сдается', 'сдаем', 'сдадим', 'let', 'letting'],
    rent: ['аренда', 'аренду', 'аренды', 'прокат', 'прокате', 'проката', 'rent', 'rental', 'lease', 'hire'],
    sell: ['продажа', 'продажи', 'продаю', 'продам', 'sell', 'sale', 'selling'],
    buy: ['покупка', 'покупки', 'куплю', 'купить', 'buy', 'buying', 'purchase'],
  },
};
