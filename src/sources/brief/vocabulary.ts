/**
 * The advertising vocabulary a brief and a product are read in: phrases and words that name the
 * same thing become one term (MPU, medium rectangle and 300x250 are `size:300x250`), channel
 * words name AdCP channels, country words name ISO codes, and every other word is kept folded,
 * to be stemmed in the language the ask is read in (language.ts), so "sports" meets "sport".
 * Briefs and products go through the same reading, so a term matches whichever way either side
 * spells it; format names are those a spreadsheet's Formats cell reads (sources/brief/format-words.ts).
 */

import { deu, fra, ita, nld, por, spa } from 'stopword';
import {
  audioWords,
  displaySizes,
  mediaHeadOf,
  mediaTailOf,
  placementKindWords,
  rollWords,
} from './format-words.js';
import {
  capitalCodes,
  countryOfCity,
  countryOfInflected,
  countryOfWord,
  itTrade,
  placePhrases,
  regionCountries,
} from './places.js';
import { type Language, languageOf, stemIn } from './read/language.js';
import { aboutNews, topicOfWord, topicWordLists } from './topics.js';

/** Accents folded ("Séries" reads as "series", "München" as "munchen"). */
export const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

const sizeTerm = (w: number, h: number) => `size:${w}x${h}`;
const lowerPhrase = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, ' ');

/** Phrases rewritten before words are split (longest first; matched on word boundaries). */
const phraseList: Array<[string, string]> = [
  ...displaySizes.flatMap(([w, h, names]) =>
    names
      .filter((n) => n.includes(' '))
      // "half pages" as "half page".
      .map((n): [string, string] => [`${lowerPhrase(n)}s?`, sizeTerm(w, h)]),
  ),
  ['connected tv', 'ctv'],
  ['connected television', 'ctv'],
  ['smart tvs?', 'ctv'],
  ['connected tvs', 'ctv'],
  ['streaming tv', 'ctv'],
  ['over the top', 'ctv'],
  ['linear tv', 'linear_tv'],
  ['digital out of home', 'dooh'],
  ['digital outdoor', 'dooh'],
  ['out of home', 'ooh'],
  ['online video', 'video'],
  ['pre roll', 'preroll'],
  ['mid roll', 'midroll'],
  ['post roll', 'postroll'],
  ['in stream', 'instream'],
  ['out stream', 'outstream'],
  ['streaming audio', 'audio'],
  ['sponsored content', 'native'],
  ['branded content', 'native'],
  ['retail media', 'retail_media'],
  ['home page', 'homepage'],
  // "Over the holidays" is a time (read/holidays.ts), not travel.
  ['the holidays', 'festive_season'],
  ['holiday season', 'festive_season'],
  ['under (?:13|16|18)s?', 'kids'],
  ['north america', 'northamerica'],
  ['big five', 'eu5'],
  ...placePhrases.map(([phrase, code]): [string, string] => [phrase, `geo:${code.toLowerCase()}`]),
];
const phrases = phraseList
  .sort((a, b) => b[0].length - a[0].length)
  .map(([phrase, term]) => [new RegExp(`\\b${phrase}\\b`, 'g'), ` ${term} `] as const);

/** Single words that name a vocabulary term. */
const words = new Map<string, string>([
  ...displaySizes.flatMap(([w, h, names]) =>
    names
      .filter((n) => !n.includes(' '))
      .map((n): [string, string] => [n.toLowerCase(), sizeTerm(w, h)]),
  ),
  ...Object.entries({
    medrec: 'size:300x250',
    ott: 'ctv',
    snapchat: 'snap',
    connectedtv: 'ctv',
    instream: 'video',
    outstream: 'video',
    olv: 'video',
    videos: 'video',
    podcast: 'podcast',
    podcasts: 'podcast',
    radio: 'radio',
    audio: 'audio',
    dooh: 'dooh',
    ooh: 'ooh',
    advertorial: 'native',
    banner: 'display',
    banners: 'display',
    banniere: 'display',
    bannieres: 'display',
    newspaper: 'print',
    newspapers: 'print',
    magazine: 'print',
    magazines: 'print',
    newsletter: 'email',
    newsletters: 'email',
  }),
]);

/**
 * Words read only as written in capitals, as rate-card lines abbreviate ("HX_UK_HP-LB"): size
 * short forms (format-words.ts) and placement ones; in lower case most are words ("sky").
 */
const capitalWords = new Map<string, string>([
  ...displaySizes.flatMap(([w, h, , short = []]) =>
    short.map((s): [string, string] => [s, `${w}x${h}`]),
  ),
  ['HP', 'homepage'],
  ['HPTO', 'homepage takeover'],
  ['ROS', 'run of site'],
  ['RON', 'run of network'],
]);

/** Placement words that name a family and a placement in it: the word stays a term as well. */
const placementWords = new Set(['instream', 'outstream']);
const rolls = new Set(rollWords);
/** Stands for a roll's family until the whole text is read. */
const ROLL_FAMILY = '\u0000roll';
const audible = new Set([...audioWords, 'audio', 'podcast', 'radio']);

/** The AdCP channels a term names (video and audio name their families). */
export const channelsOfTerm: Readonly<Record<string, readonly string[]>> = {
  display: ['display'],
  video: ['olv', 'ctv'],
  ctv: ['ctv'],
  linear_tv: ['linear_tv'],
  audio: ['streaming_audio', 'podcast', 'radio'],
  podcast: ['podcast'],
  radio: ['radio'],
  dooh: ['dooh'],
  ooh: ['ooh', 'dooh'],
  social: ['social'],
  // Social platforms name the social channel ("Instagram and TikTok" asks for social).
  facebook: ['social'],
  instagram: ['social'],
  tiktok: ['social'],
  snap: ['social'],
  pinterest: ['social'],
  reddit: ['social'],
  linkedin: ['social'],
  search: ['search'],
  print: ['print'],
  cinema: ['cinema'],
  email: ['email'],
  gaming: ['gaming'],
  retail_media: ['retail_media'],
};

/** The AdCP channels a term names; none for any other term. */
export const channelsOf = (term: string): readonly string[] =>
  Object.hasOwn(channelsOfTerm, term) ? channelsOfTerm[term]! : [];

/** Words that say nothing about what is asked for (nor, after "no", about what is not). */
const englishStopWords = new Set(
  (
    'a an and are as at be by for from in into is it of on or our the to with we you your us ' +
    'want need looking buy buying ad ads advert adverts advertising campaign campaigns media ' +
    'inventory across site sites all any some this that these those run running please also ' +
    'per plus via over under about around between k m usd eur gbp budget flight new ' +
    'content contents environment environments alongside next near adjacent adjacency context ' +
    'brand brands safety sensitive category categories topic topics section sections page ' +
    'pages audience audiences people users placement placements appear appearing ' +
    // Time is read as a flight ("Valentine's Day", "the week before Easter"), not as words.
    'day days week weeks month months year years festive_season'
  ).split(' '),
);

/**
 * The other markets' function words ("und", "pour", "para", "della", "voor"), from the `stopword`
 * package's lists, accents folded; a word the vocabulary reads (a channel, country, city or
 * topic word) is kept, as are negations, which negation.ts reads before words are split.
 */
/** Negations stay words: negation.ts reads them; a text it has not read keeps them. */
const hardNegations = new Set(
  (
    'nicht kein keine keinen keiner keinem keines ohne nie niemals pas sans ni aucun aucune ' +
    'jamais sin no nunca ningun ninguna ninguno non senza nessun nessuna nessuno niente geen ' +
    'niet zonder nooit'
  ).split(' '),
);
const topicWordSet = new Set(Object.values(topicWordLists).flatMap((list) => list.split(' ')));
const isVocabularyWord = (word: string) =>
  words.has(word) ||
  countryOfWord.has(word) ||
  countryOfCity.has(word) ||
  topicWordSet.has(word) ||
  hardNegations.has(word);
const stopWords: ReadonlySet<string> = new Set([
  ...englishStopWords,
  ...[deu, fra, spa, ita, nld, por]
    .flat()
    .map((word) => folded(word).toLowerCase())
    .filter((word) => !isVocabularyWord(word)),
]);

/** Tokens of texts already read: products are read again on every call (bounded; cleared whole). */
const readTexts = new Map<string, readonly string[]>();
const readTextsLimit = 50_000;

/**
 * The tokens of a text: vocabulary terms for what it names, the other words folded and in
 * lower case (not stemmed), stop words, one-letter words and bare numbers left out. `300 x 250`
 * and `300x250` are both `size:300x250`; a country's name in the main ad markets' languages,
 * its adjective, a large city, or its ISO code written in capitals ("US") is `geo:XX` (a city's
 * name stays a word too); pre-, mid- and post-roll stay themselves (`familiesOf` gives them the
 * medium around them).
 */
export function tokensOf(text: string): readonly string[] {
  const known = readTexts.get(text);
  if (known) return known;
  // Capital ISO codes and abbreviations first: in lower case "US" is "us". "IT" is information
  // technology before a word of the trade ("IT decision makers"), else Italy ("CarMarket IT").
  let normalized = ` ${folded(text).replace(/(?<![A-Za-z])[A-Z]{2,4}(?![a-z])/g, (code, at, all) =>
    code.length === 2 && capitalCodes.has(code)
      ? ` geo:${code.toLowerCase()} `
      : code === 'IT'
        ? itTrade.test(all.slice(at + 2))
          ? ' infotech '
          : ' geo:it '
        : capitalWords.has(code)
          ? ` ${capitalWords.get(code)} `
          : code,
  )} `;
  normalized = normalized.toLowerCase().replace(/[-_/]+|:(?![a-z]{2}\b)/g, ' ');
  normalized = normalized.replace(/\b(\d{2,4})\s*x\s*(\d{2,4})\b/g, ' size:$1x$2 ');
  for (const [pattern, term] of phrases) normalized = normalized.replace(pattern, term);
  const out: string[] = [];
  const raws = normalized.split(/[^a-z0-9:_ß]+/);
  const about = aboutNews(raws);
  for (const [i, raw] of raws.entries()) {
    if (about.has(i)) continue;
    // Bare numbers (dates, amounts) are read as a flight or a budget, not as words.
    if (raw.length < 2 || stopWords.has(raw) || /^\d+[km]?$/.test(raw)) continue;
    if (raw.startsWith('size:') || raw.startsWith('geo:')) {
      out.push(raw.startsWith('geo:') ? `geo:${raw.slice(4).toUpperCase()}` : raw);
      continue;
    }
    if (raw.includes(':')) continue;
    // A name in the plural is the name ("leaderboards", "MPUs").
    const term = words.get(raw) ?? (raw.endsWith('s') ? words.get(raw.slice(0, -1)) : undefined);
    const country = term ? undefined : (countryOfWord.get(raw) ?? countryOfInflected(raw));
    if (country) {
      out.push(`geo:${country}`);
      continue;
    }
    // A city stays a word too: a London product outranks another in the UK for "London".
    const cityCountry = term ? undefined : countryOfCity.get(raw);
    const region = term || cityCountry ? undefined : regionCountries.get(raw);
    if (region) out.push(...region.map((c) => `geo:${c}`));
    else if (cityCountry) out.push(raw, `geo:${cityCountry}`);
    else if (term && placementWords.has(raw)) out.push(term, raw);
    else if (rolls.has(raw)) out.push(ROLL_FAMILY, raw);
    else if (!term && mediaHeadOf(raw)) out.push(words.get(mediaHeadOf(raw)!) ?? 'video', raw);
    else if (!term && mediaTailOf(raw)) out.push(words.get(mediaTailOf(raw)!) ?? 'video', raw);
    else out.push(term ?? raw);
  }
  // A roll's family is the medium around it: a podcast's mid-roll is audio.
  const family = out.some((t) => audible.has(t)) ? 'audio' : 'video';
  for (let i = 0; i < out.length; i++) if (out[i] === ROLL_FAMILY) out[i] = family;
  if (readTexts.size >= readTextsLimit) readTexts.clear();
  readTexts.set(text, out);
  return out;
}

/** Stems already made, by language: a catalogue's words are few and read on every call. */
const stems = new Map<string, string>();

/** Terms of the vocabulary itself: never stemmed ("preroll" stays, not "prerol"). */
const vocabularyTerms = new Set([
  ...words.keys(),
  ...words.values(),
  ...Object.keys(channelsOfTerm),
  ...rollWords,
  ...placementWords,
  'native',
  'homepage',
  'kids',
]);

/**
 * Whether a token says what a product is rather than its kind: not a vocabulary term (a size,
 * country, channel, format, roll), a number or a topic word. "Sports MPU" is all kind; "Weekend
 * edition native" is named by "weekend" and "edition".
 */
export const isOwnWord = (token: string): boolean =>
  !token.includes(':') &&
  !/\d/.test(token) &&
  !vocabularyTerms.has(token) &&
  !placementKinds.has(token) &&
  channelsOf(token).length === 0 &&
  topicOfWord(token) === undefined;

const placementKinds = new Set(placementKindWords);

/** A token as a term in `language`: words stemmed (Snowball), vocabulary terms as they are. */
export function stem(token: string, language: Language = 'en'): string {
  if (token.includes(':') || token.includes('_') || /\d/.test(token) || vocabularyTerms.has(token))
    return token;
  const key = `${language}\u0000${token}`;
  let found = stems.get(key);
  if (found === undefined) {
    found = stemIn(language, token);
    if (stems.size > 200_000) stems.clear();
    stems.set(key, found);
  }
  return found;
}

/** The terms of a text in `language` (its own by default): its tokens, words stemmed. */
export function termsOf(text: string, language: Language = languageOf(text)): readonly string[] {
  return tokensOf(text).map((t) => stem(t, language));
}

/** The topics (sport, news, food, …) a text's terms or tokens name, as `topic:<name>`, deduplicated. */
export function topicsOf(terms: readonly string[]): string[] {
  return [
    ...new Set(
      terms.flatMap((t) => {
        const topic = topicOfWord(words.get(t) ?? t);
        return topic ? [`topic:${topic}`] : [];
      }),
    ),
  ];
}

/**
 * The format families and sizes tokens name: sizes and families as they are, and pre-, mid- and
 * post-roll as the medium around them: audio when an audio word or channel is there
 * (`audioContext`: the candidate's own channels or formats), else video.
 */
export function familiesOf(tokens: readonly string[], audioContext = false): string[] {
  const out = new Set<string>();
  const heard = audioContext || tokens.some((t) => audible.has(t));
  for (const t of tokens) {
    if (t.startsWith('size:') || t === 'video' || t === 'audio' || t === 'native') out.add(t);
    else if (t === 'display') out.add('display');
    else if (rolls.has(t)) out.add(heard ? 'audio' : 'video');
    else if (t === 'podcast' || t === 'radio') out.add('audio');
  }
  return [...out];
}
