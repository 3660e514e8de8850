import { folded } from '../vocabulary.js';

/**
 * Amounts of money as a brief writes them (issue 71, item 3): the currencies a buyer names,
 * read from the platform's own locale data (Intl: ICU's CLDR symbols and names, singular and
 * plural, in the six languages a brief is read in) rather than listed by hand, numbers as the
 * brief's markets group them ("50,000", "50.000", "50 000", "1,5 Mio"), a few English number
 * words ("five dollars", "half a million") and the slang planners use ("quid", "bucks", "grand").
 */

/** The currencies a storefront prices in, the first of a shared symbol or word first ($: USD). */
const codes = ['USD', 'EUR', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'CAD', 'AUD', 'JPY', 'NZD', 'PLN'];
const locales = ['en', 'de', 'fr', 'es', 'it', 'nl'];
/** What no locale spells: the slang a planner writes. */
const slang: Record<string, string> = { quid: 'GBP', bucks: 'USD', euro: 'EUR' };

const key = (word: string) => folded(word).toLowerCase().trim();

/** Every word that names a currency beside an amount, to its ISO code. */
function currencyWords(): Map<string, string> {
  const words = new Map<string, string>();
  const add = (word: string, code: string) => {
    const k = key(word);
    if (k && !words.has(k)) words.set(k, code);
  };
  for (const code of codes) add(code, code);
  for (const code of codes)
    for (const locale of locales)
      for (const currencyDisplay of ['symbol', 'narrowSymbol', 'name'] as const)
        for (const n of [1, 5]) {
          const format = new Intl.NumberFormat(locale, {
            style: 'currency',
            currency: code,
            currencyDisplay,
          });
          const written = format.formatToParts(n).find((p) => p.type === 'currency')?.value;
          if (!written) continue;
          add(written, code);
          // "US dollars", "livres sterling": each longer word names it too ("dollars", "livres").
          if (currencyDisplay === 'name')
            for (const w of written.split(/[\s-]+/)) if (w.length >= 4) add(w, code);
        }
  for (const [w, code] of Object.entries(slang)) add(w, code);
  return words;
}

const currencies = currencyWords();
const escaped = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest first, so "us$" is read before "$" and "dollars" before "dollar". */
const currencyAlternatives = [...currencies.keys()]
  .sort((a, b) => b.length - a.length)
  .map((w) => (/^[a-z]/.test(w) ? `${escaped(w)}\\b` : escaped(w)))
  .join('|');
/** A currency beside an amount (symbols need no word boundary: "$8", "8€"). */
export const currencyPattern = `(?:${currencyAlternatives})`;

/** The ISO code of a currency as written, or null. */
export const currencyOf = (written: string | undefined): string | null =>
  written ? (currencies.get(key(written)) ?? null) : null;

/** An amount: digits with thousands grouped by `,` `.` `'` or a space, a decimal part, a scale. */
export const amountPattern =
  "(\\d{1,3}(?:[.,\\s\\u00a0\\u202f']\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)\\s*(k|thousand|tausend|mille|mila|duizend|grand|m|mio|millions?|mln|tsd|mil)?\\b";

/** Scales of a thousand ("15k", "15 thousand", "5 grand", "15 Tausend"); the rest a million. */
const thousands = new Set([
  'k',
  'tsd',
  'mil',
  'thousand',
  'tausend',
  'mille',
  'mila',
  'duizend',
  'grand',
]);

/** The number of `digits` (grouped as the brief's market groups them) times its `scale`. */
export function numberOf(digits: string, scale: string | undefined): number | null {
  let text = digits.replace(/[\s\u00a0\u202f']/g, '');
  // A separator followed by exactly three digits groups thousands; else it is the decimal point.
  text = text.replace(/[.,](?=\d{3}(?:[.,]|$))/g, '');
  text = text.replace(',', '.');
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  const s = (scale ?? '').toLowerCase();
  const factor = !s ? 1 : thousands.has(s) ? 1_000 : 1_000_000;
  return value * factor;
}

const units = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
  'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
]; // prettier-ignore
const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const numberWord = new RegExp(
  `\\b(?:(${tens.filter(Boolean).join('|')})(?:[\\s-](${units.slice(1, 10).join('|')}))?|(${units.join('|')}))\\b`,
  'gi',
);

/** `digits` padded to the length of the words they replace, so a reading's places stay the text's. */
const padded = (digits: string, words: string) => digits.padEnd(words.length, ' ');

/**
 * `text` with English number words as digits ("five dollars" → "5    dollars", "half a million"
 * → "0.5    million"), of the same length, so amounts read alike however written and a price's
 * place in the digits is its place in the text. No maintained library reads number words in the
 * six languages; English is what briefs spell out.
 */
export function digitsOf(text: string): string {
  return text
    .replace(/\bhalf an?(?= (?:million|mil|mio)\b)/gi, (w) => padded('0.5', w))
    .replace(/\ba(?= (?:million|hundred thousand)\b)/gi, '1')
    .replace(
      numberWord,
      (w, ten: string | undefined, unit: string | undefined, small: string | undefined) => {
        const n = ten
          ? tens.indexOf(ten.toLowerCase()) * 10 + (unit ? units.indexOf(unit.toLowerCase()) : 0)
          : units.indexOf(small!.toLowerCase());
        return padded(String(n), w);
      },
    );
}
