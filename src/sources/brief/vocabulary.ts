/**
 * The advertising vocabulary a brief and a product are read in: phrases and words that name the
 * same thing become one term (MPU, medium rectangle and 300x250 are `size:300x250`), channel
 * words name AdCP channels, country words name ISO codes, and every other word is stemmed lightly
 * so "sports" meets "sport". Briefs and products go through the same reading, so a term matches
 * whichever way either side spells it.
 */

/** Phrases rewritten before words are split (longest first; matched on word boundaries). */
const phrases: Array<[RegExp, string]> = [
  ['medium rectangle', 'size:300x250'],
  ['med rec', 'size:300x250'],
  ['half page', 'size:300x600'],
  ['wide skyscraper', 'size:160x600'],
  ['mobile banner', 'size:320x50'],
  ['mobile leaderboard', 'size:320x50'],
  ['connected tv', 'ctv'],
  ['connected television', 'ctv'],
  ['smart tv', 'ctv'],
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
  ['united kingdom', 'geo:gb'],
  ['great britain', 'geo:gb'],
  ['united states', 'geo:us'],
].map(([phrase, term]) => [new RegExp(`\\b${phrase}\\b`, 'g'), ` ${term} `]);

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
    uk: 'geo:gb',
    britain: 'geo:gb',
    gb: 'geo:gb',
    usa: 'geo:us',
    america: 'geo:us',
    canada: 'geo:ca',
    germany: 'geo:de',
    france: 'geo:fr',
    spain: 'geo:es',
    italy: 'geo:it',
    australia: 'geo:au',
    japan: 'geo:jp',
    ireland: 'geo:ie',
    netherlands: 'geo:nl',
  }),
);

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

/**
 * The terms of a text: vocabulary terms for what it names, stems for the rest, stop words and
 * one-letter words left out. `300 x 250` and `300x250` are both `size:300x250`.
 */
export function termsOf(text: string): string[] {
  let normalized = ` ${text.toLowerCase().replace(/[-_/]+/g, ' ')} `;
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
    const term = words.get(raw) ?? stem(raw);
    out.push(term.startsWith('geo:') ? `geo:${term.slice(4).toUpperCase()}` : term);
  }
  return out;
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
