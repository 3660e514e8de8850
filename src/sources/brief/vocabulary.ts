/**
 * The advertising vocabulary a brief and a product are read in: phrases and words that name the
 * same thing become one term (MPU, medium rectangle and 300x250 are `size:300x250`), channel
 * words name AdCP channels, country words name ISO codes, and every other word is stemmed lightly
 * so "sports" meets "sport". Briefs and products go through the same reading, so a term matches
 * whichever way either side spells it.
 */

import { capitalCodes, countryOfCity, countryOfWord, placePhrases } from './places.js';
import { topicWordLists } from './topics.js';

/** Phrases rewritten before words are split (longest first; matched on word boundaries). */
const phraseList: Array<[string, string]> = [
  ['medium rectangle', 'size:300x250'],
  ['med rec', 'size:300x250'],
  ['half page', 'size:300x600'],
  ['wide skyscraper', 'size:160x600'],
  ['mobile banner', 'size:320x50'],
  ['mobile leaderboard', 'size:320x50'],
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
  ...placePhrases.map(([phrase, code]): [string, string] => [phrase, `geo:${code.toLowerCase()}`]),
];
const phrases = phraseList.map(
  ([phrase, term]) => [new RegExp(`\\b${phrase}\\b`, 'g'), ` ${term} `] as const,
);

/** Single words that name a vocabulary term. */
const words = new Map<string, string>(
  Object.entries({
    mpu: 'size:300x250',
    medrec: 'size:300x250',
    leaderboard: 'size:728x90',
    skyscraper: 'size:160x600',
    halfpage: 'size:300x600',
    billboard: 'size:970x250',
    ott: 'ctv',
    snapchat: 'snap',
    connectedtv: 'ctv',
    preroll: 'video',
    midroll: 'video',
    postroll: 'video',
    instream: 'video',
    outstream: 'video',
    olv: 'video',
    podcast: 'podcast',
    podcasts: 'podcast',
    radio: 'radio',
    audio: 'audio',
    dooh: 'dooh',
    ooh: 'ooh',
    advertorial: 'native',
    banner: 'display',
    banners: 'display',
    newspaper: 'print',
    newspapers: 'print',
    magazine: 'print',
    magazines: 'print',
    newsletter: 'email',
    newsletters: 'email',
  }),
);

/**
 * Placement words that name a family and a placement in it: "pre-roll" asks for video, and a
 * pre-roll product is a closer match than a mid-roll one, so the word stays a term as well.
 */
const placementWords = new Set(['preroll', 'midroll', 'postroll', 'instream', 'outstream']);

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

/** Words that say nothing about what is asked for. */
const stopWords = new Set(
  (
    'a an and are as at be by for from in into is it of on or our the to with we you your us ' +
    'want need looking buy buying ad ads advert adverts advertising campaign campaigns media ' +
    'inventory across site sites all any some this that these those run running please also ' +
    'per plus via over under about around between k m usd eur gbp budget flight'
  ).split(' '),
);

/** A word's stem: plurals and common endings off, so "sports"/"sport", "placements"/"placement". */
export function stem(word: string): string {
  if (word.includes(':') || /\d/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Accents folded ("Séries" reads as "series", "München" as "munchen"). */
const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Terms of texts already read: products are read again on every call (bounded; cleared whole). */
const readTexts = new Map<string, readonly string[]>();
const readTextsLimit = 50_000;

/**
 * The terms of a text: vocabulary terms for what it names, stems for the rest, stop words and
 * one-letter words left out. `300 x 250` and `300x250` are both `size:300x250`; a country's
 * name in the main ad markets' languages, its adjective, a large city, or its ISO code written
 * in capitals ("US") is `geo:XX` (a city's name stays a word too).
 */
export function termsOf(text: string): readonly string[] {
  const known = readTexts.get(text);
  if (known) return known;
  // Capital ISO codes first: in lower case "US" is "us". "IT" is information technology.
  let normalized = ` ${folded(text).replace(/\b[A-Z]{2}\b/g, (code) =>
    capitalCodes.has(code) ? ` geo:${code.toLowerCase()} ` : code === 'IT' ? ' infotech ' : code,
  )} `;
  normalized = normalized.toLowerCase().replace(/[-_/]+|:(?![a-z]{2}\b)/g, ' ');
  normalized = normalized.replace(/\b(\d{2,4})\s*x\s*(\d{2,4})\b/g, ' size:$1x$2 ');
  for (const [pattern, term] of phrases) normalized = normalized.replace(pattern, term);
  const out: string[] = [];
  for (const raw of normalized.split(/[^a-z0-9:_]+/)) {
    // Bare numbers (dates, amounts) are read as a flight or a budget, not as words.
    if (raw.length < 2 || stopWords.has(raw) || /^\d+[km]?$/.test(raw)) continue;
    if (raw.startsWith('size:') || raw.startsWith('geo:')) {
      out.push(raw.startsWith('geo:') ? `geo:${raw.slice(4).toUpperCase()}` : raw);
      continue;
    }
    if (raw.includes(':')) continue;
    const term = words.get(raw);
    const country = term ? undefined : countryOfWord.get(raw);
    if (country) {
      out.push(`geo:${country}`);
      continue;
    }
    // A city stays a word too: a London product outranks another in the UK for "London".
    const cityCountry = term ? undefined : countryOfCity.get(raw);
    if (cityCountry) out.push(raw, `geo:${cityCountry}`);
    else if (term && placementWords.has(raw)) out.push(term, raw);
    else out.push(term ?? stem(raw));
  }
  if (readTexts.size >= readTextsLimit) readTexts.clear();
  readTexts.set(text, out);
  return out;
}

/** Stemmed term → the topic it names (topics.ts). */
const topicOfTerm = new Map(
  Object.entries(topicWordLists).flatMap(([topic, list]) =>
    list.split(' ').map((w) => [words.get(w) ?? stem(w), topic] as const),
  ),
);

/** The topics (sport, news, food, …) a text's terms name, as `topic:<name>`, deduplicated. */
export function topicsOf(terms: readonly string[]): string[] {
  return [
    ...new Set(
      terms.flatMap((t) => {
        const topic = topicOfTerm.get(t);
        return topic ? [`topic:${topic}`] : [];
      }),
    ),
  ];
}

/** The vocabulary terms a creative format id names: its size, and its family (video, audio, native). */
export function termsOfFormatId(id: string): string[] {
  const lower = id.toLowerCase();
  const out: string[] = [];
  const size = /(\d{2,4})x(\d{2,4})/.exec(lower);
  if (size) out.push(`size:${size[1]}x${size[2]}`);
  for (const family of ['video', 'audio', 'native', 'display'] as const) {
    if (lower.includes(family)) out.push(family);
  }
  if (lower.includes('vast')) out.push('video');
  return out;
}
