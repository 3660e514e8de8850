/**
 * Where a brief or a product says it runs: country names (in English and in the languages of
 * the main ad markets), their adjectives, large cities (a city names its country) and the ISO
 * codes as written in capitals ("US", "DE"). Read into `geo:XX` terms by vocabulary.ts.
 */

import { stemIn } from './read/language.js';

/** Words (lower case, accents folded) naming a country, by ISO 3166-1 alpha-2 code. */
const countryWords: Record<string, string> = {
  US: 'usa america american americans amerikanisch americain americaine americano americana amerikaans',
  GB: 'uk britain british england english scotland wales britisch britannique britanico britannico brits',
  DE: 'germany german deutschland deutsche deutschen deutscher deutsch allemagne allemand allemande alemania aleman alemana germania tedesco tedesca tedeschi duitsland duitse',
  FR: 'france french francais francaise francaises frankreich franzosisch francia frances francesa franceses francese francesi frankrijk franse',
  ES: 'spain spanish espana espanol espanola espanoles espanolas espagne espagnol espagnole spanien spanisch spagna spagnolo spagnola spagnoli spaanse',
  IT: 'italy italian italia italiano italiana italiani italiane italien italienisch italie italienne italiens italiaanse',
  NL: 'netherlands dutch holland nederland nederlandse niederlande niederlandisch neerlandais neerlandaise holandes holandesa olanda olandese olandesi',
  IE: 'ireland irish irlande irland',
  AU: 'australia australian australien',
  CA: 'canada canadian canadien',
  JP: 'japan japanese japon giappone',
  SE: 'sweden swedish sverige schweden suede',
  NO: 'norway norwegian norge norwegen',
  DK: 'denmark danish danmark danemark',
  AT: 'austria austrian osterreich osterreichisch autriche autrichien austriaco austriaca oostenrijk oostenrijks',
  CH: 'switzerland swiss schweiz schweizer suisse suiza svizzera svizzero zwitserland zwitsers',
  BE: 'belgium belgian belgique belgie belgisch belge belga',
  PL: 'poland polish polska',
  BR: 'brazil brazilian brasil',
  MX: 'mexico mexican',
  IN: 'india indian',
  NZ: 'zealand',
  FI: 'finland finnish suomi finnland finlande',
  PT: 'portugal portuguese',
};

/** The main ad markets' languages whose adjectives inflect ("österreichischen", "alemanes"). */
const inflecting = ['de', 'fr', 'es', 'it', 'nl'] as const;

/** Each country word's stem in each inflecting language, by that language. */
const countryOfStem = new Map(
  inflecting.map((language) => [
    language,
    new Map(
      Object.entries(countryWords).flatMap(([code, words]) =>
        words.split(' ').map((w) => [stemIn(language, w), code] as [string, string]),
      ),
    ),
  ]),
);
const inflectedRead = new Map<string, string | null>();

/**
 * The country a word names as an inflected adjective or plural in one of the markets' languages
 * ("österreichischen", "britischen", "françaises", "alemanes", "Oostenrijkse"): its Snowball stem
 * in that language is a country word's stem, of five letters or more ("indie" is not India). An
 * English inflection is never one ("polished" is not Polish).
 */
export function countryOfInflected(word: string): string | undefined {
  if (word.length < 5) return undefined;
  let found = inflectedRead.get(word);
  if (found === undefined) {
    found = null;
    if (!(/(?:ed|ing|ly)$/.test(word) && countryWordSet.has(stemIn('en', word)))) {
      for (const language of inflecting) {
        const stem = stemIn(language, word);
        const code = stem.length >= 5 ? countryOfStem.get(language)!.get(stem) : undefined;
        if (code) {
          found = code;
          break;
        }
      }
    }
    if (inflectedRead.size > 50_000) inflectedRead.clear();
    inflectedRead.set(word, found);
  }
  return found ?? undefined;
}

/**
 * Regions buyers name markets by, read as their countries (one word each, or a phrase below):
 * "Nordics", "DACH", "Benelux", "EU5", "ANZ".
 */
const europe =
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE GB NO CH IS'.split(
    ' ',
  );
export const regionCountries: ReadonlyMap<string, readonly string[]> = new Map([
  ['nordics', ['SE', 'NO', 'DK']],
  ['nordic', ['SE', 'NO', 'DK']],
  ['scandinavia', ['SE', 'NO', 'DK']],
  ['scandinavian', ['SE', 'NO', 'DK']],
  ['dach', ['DE', 'AT', 'CH']],
  ['benelux', ['BE', 'NL']],
  ['eu5', ['GB', 'DE', 'FR', 'IT', 'ES']],
  ['anz', ['AU', 'NZ']],
  ['uki', ['GB', 'IE']],
  ['northamerica', ['US', 'CA']],
  // Europe: the EU's markets with the UK, Norway, Switzerland and Iceland, in the markets' words.
  ...[
    'europe',
    'european',
    'europa',
    'europaisch',
    'europeen',
    'europeenne',
    'europeo',
    'europea',
    'europees',
  ].map((word) => [word, europe] as [string, readonly string[]]),
]);

/** Cities and nations whose names are two words (matched before words are split). */
export const placePhrases: ReadonlyArray<[string, string]> = [
  ['united kingdom', 'GB'],
  ['great britain', 'GB'],
  ['royaume uni', 'GB'],
  ['reino unido', 'GB'],
  ['vereinigtes konigreich', 'GB'],
  ['united states', 'US'],
  ['etats unis', 'US'],
  ['estados unidos', 'US'],
  ['new york', 'US'],
  ['los angeles', 'US'],
  ['san francisco', 'US'],
  ['new zealand', 'NZ'],
  ['pays bas', 'NL'],
  ['paises bajos', 'NL'],
];

/** Large cities (lower case, accents folded), by the country they name. */
const cityWords: Record<string, string> = {
  DE: 'berlin munich munchen hamburg cologne koln frankfurt',
  FR: 'paris lyon marseille',
  ES: 'madrid barcelona valencia',
  IT: 'rome roma milan milano naples',
  NL: 'amsterdam rotterdam',
  IE: 'dublin cork',
  AU: 'sydney melbourne brisbane perth',
  CA: 'toronto montreal vancouver quebec',
  JP: 'tokyo osaka',
  SE: 'stockholm',
  NO: 'oslo',
  DK: 'copenhagen',
  AT: 'vienna wien',
  CH: 'zurich geneva',
  BE: 'brussels',
  PL: 'warsaw',
  GB: 'london manchester birmingham glasgow edinburgh liverpool leeds',
  US: 'chicago boston houston miami seattle atlanta',
};

const byWord = (lists: Record<string, string>) =>
  Object.entries(lists).flatMap(([code, words]) =>
    words.split(' ').map((w) => [w, code] as [string, string]),
  );

/** Word → ISO code of the country it names ("gb" itself too). */
export const countryOfWord: ReadonlyMap<string, string> = new Map([
  ...byWord(countryWords),
  ['gb', 'GB'],
]);

const countryWordSet = new Set(Object.values(countryWords).flatMap((w) => w.split(' ')));

/** City → ISO code of its country. */
export const countryOfCity: ReadonlyMap<string, string> = new Map(byWord(cityWords));

/** What follows "IT" when it is information technology: its people, spend and trade. */
export const itTrade =
  /^[\s-]*(?:decision|managers?|buyers?|pros?|professionals?|leaders?|directors?|admins?|department|teams?|security|news|spend|budgets?|services|infrastructure|support|solutions|channel|industry|sector|staff|specialists?|experts?)\b/i;

/**
 * ISO codes read only as written in capitals ("US", "DE"): in lower case most are words
 * ("us", "de", "it"). "IT" is left out: Italy unless a word of the trade follows (`itTrade`).
 */
export const capitalCodes: ReadonlySet<string> = new Set(
  Object.keys(countryWords).filter((code) => code !== 'IT' && code !== 'IN'),
);

/**
 * The country a publisher's domain names by its country-code top-level domain (`.de`,
 * `.co.uk`, `.com.au`); none for generic ones (.com, .tv, .fm, .gg).
 */
export function countryOfDomain(domain: string): string | null {
  const tld = /\.([a-z]{2})$/i.exec(domain.trim())?.[1]?.toUpperCase();
  if (!tld) return null;
  if (tld === 'UK') return 'GB';
  return Object.hasOwn(countryWords, tld) ? tld : null;
}

/** Whether `code` is the ISO code of a country the matcher knows by name. */
export const isCountry = (code: string): boolean => Object.hasOwn(countryWords, code);

/** The euro area's members (ISO 3166-1 alpha-2), whose sellers price in EUR. */
const euroArea = new Set('AT BE HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES'.split(' '));

/**
 * Whether a seller in `country` prices in `currency` as its own: the euro area in EUR, else the
 * currency whose ISO 4217 code begins with the country's code (USD, GBP, SEK, JPY).
 */
export const pricesInOwn = (country: string, currency: string): boolean =>
  currency === 'EUR' ? euroArea.has(country) : currency.slice(0, 2) === country;
