import { type Language, languageOf } from './read/language.js';
import { flightOf } from './read/flight.js';
import { quarterOf } from './read/periods.js';
import { negationsOf } from './read/negation.js';
import { type BriefPrice, budgetOf, priceOf } from './read/price.js';
import { channelsOf, familiesOf, folded, stem, tokensOf, topicsOf } from './vocabulary.js';

/**
 * What a brief and a get_products request ask for, as far as it can be read without guessing:
 * the brief's terms, the channels, sizes and formats, countries it names, a flight, a budget and
 * a price; what it rules out; and what the buyer's AdCP `filters` require. Brief-read asks rank;
 * `filters` (what the buyer set as a hard requirement), a flight the brief spells out in dates,
 * what the brief rules out and a CPM ceiling leave products out.
 */
export interface BriefAsk {
  /** The language the brief is read in (read/language.ts); its words are stemmed in it. */
  language: Language;
  /** Every term of the brief (vocabulary terms and stems), deduplicated, in brief order. */
  terms: string[];
  /** The brief's whole text, its words unstemmed, for recognizing a product named in full. */
  phrase: string;
  /** AdCP channels the brief names (ranking). */
  channels: string[];
  /** Sizes (`size:WxH`) and format families (video, audio, native, display) the brief names. */
  formats: string[];
  /**
   * ISO 3166-1 alpha-2 countries the brief names (a region is its countries: "Nordics", "DACH")
   * and `filters.countries`: ranking here; a source kind may narrow by them.
   */
  countries: string[];
  /** Topics the brief names (`topic:sport`, …; topics.ts), ranking. */
  topics: string[];
  /**
   * The flight: the filters' dates, else the brief's (read/flight.ts: dates and months, a
   * quarter or half, a selling season in the buyer's market). It ranks, prices and plans
   * (rate card, proposals); only `required.flight` leaves products out.
   */
  flight: { start: Date | null; end: Date | null } | null;
  /** The budget the brief names, in its currency's units; else `filters.budget_range.max`. */
  budget: number | null;
  /** A CPM ceiling and a wish for the cheapest the brief names (read/price.ts). */
  price: BriefPrice;
  /**
   * What the brief rules out ("no alcohol", "not on CTV", "excluding France"): `hard` leaves a
   * product out, `soft` ("prefer not") ranks it last. Never a reason in favour.
   */
  avoid: { hard: Avoided; soft: Avoided };
  /** What the buyer's filters require: products that plainly cannot meet them are left out. */
  required: {
    channels: string[];
    countries: string[];
    /**
     * The countries the brief names and the filters require (not a rewrite's reading): a product
     * whose source says it sells only in others is left out; one that says none ranks below
     * every product known to sell in one of them.
     */
    markets: string[];
    formatIds: string[];
    flight: { start: Date | null; end: Date | null } | null;
  };
}

/** What a brief rules out, read like what it asks for. */
export interface Avoided {
  channels: string[];
  formats: string[];
  countries: string[];
  topics: string[];
  /** Its other words, stemmed in the ask's language. */
  terms: string[];
  /** The spans as the brief wrote them (for the reasons). */
  said: string[];
}

/** The request fields the matcher reads: AdCP get_products' brief and filters. */
export interface AskSource {
  brief?: string | null | undefined;
  filters?:
    | {
        channels?: readonly string[] | undefined;
        countries?: readonly string[] | undefined;
        format_ids?: ReadonlyArray<{ id: string }> | undefined;
        start_date?: string | undefined;
        end_date?: string | undefined;
        budget_range?: Record<string, unknown> | undefined;
      }
    | null
    | undefined;
}

/** What the storefront knows beside the request: the markets it sells in (holidays' dates). */
export interface AskContext {
  markets?: readonly string[] | undefined;
}

/**
 * The most of a brief read: a brief is a paragraph or a page; a longer one is read to here (the
 * rest ranks nothing), so a 100 KB brief costs what a page does.
 */
export const maxBriefChars = 4_000;

/** Social platforms: ruled out by name, they rule out that platform, not the channel. */
const platforms = new Set([
  'facebook',
  'instagram',
  'tiktok',
  'snap',
  'pinterest',
  'reddit',
  'linkedin',
]);

/** A date of the filters (YYYY-MM-DD or a date-time), null when absent or unreadable. */
function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];
const isWord = (t: string) => !t.includes(':') && channelsOf(t).length === 0;

function avoidedOf(
  spans: Array<{ text: string }>,
  language: Language,
  asked: readonly string[],
): Avoided {
  const tokens = spans.flatMap((s) => tokensOf(s.text));
  const channels = unique(tokens.filter((t) => !platforms.has(t)).flatMap((t) => channelsOf(t)));
  const formats = familiesOf(tokens);
  // A topic the brief asks, ruled out with a medium ("sport video, no football podcasts"), only
  // says which medium: the medium is ruled out, not the topic asked.
  const medium = channels.length > 0 || formats.length > 0;
  return {
    channels,
    formats,
    countries: unique(tokens.filter((t) => t.startsWith('geo:')).map((t) => t.slice(4))),
    topics: topicsOf(tokens).filter((t) => !medium || !asked.includes(t)),
    terms: unique(tokens.filter(isWord).map((t) => stem(t, language))),
    said: spans.map((s) => s.text),
  };
}

/**
 * The flight a brief spells out in dates or months (read/flight.ts), or null: "2026-12-01 to
 * 2026-12-31", "December 2026", "February through April".
 */
export function flightOfBrief(
  brief: string,
  now: Date = new Date(),
): { start: Date; end: Date } | null {
  const text = folded(brief.slice(0, maxBriefChars));
  const flight = flightOf(text, languageOf(text), now, 'US');
  return flight?.spelled ? { start: flight.start, end: flight.end } : null;
}

/** The quarter or half a brief names as its flight ("Q2 2027", "Q2", "H1"), read on `now`. */
export const quarterOfBrief = (brief: string, now: Date) => quarterOf(folded(brief), now);

/** The budget a brief names: "$50,000", "50k USD", "€20k", "budget of 15000", "50k budget". */
export const budgetOfBrief = (brief: string) =>
  budgetOf(priceOf(folded(brief.slice(0, maxBriefChars))).rest);

/** The ask of a request: its brief read through the vocabulary, its filters as requirements. */
export function readAsk(
  source: AskSource,
  now: Date = new Date(),
  context: AskContext = {},
): BriefAsk {
  const text = folded((source.brief ?? '').slice(0, maxBriefChars));
  const language = languageOf(text);
  const { kept, spans } = negationsOf(text);
  const { price, rest } = priceOf(text);
  const tokens = tokensOf(kept);
  const terms = unique(tokens.map((t) => stem(t, language)));
  const filters = source.filters ?? {};
  const start = dateOf(filters.start_date);
  const end = dateOf(filters.end_date);
  const required = {
    channels: [...(filters.channels ?? [])],
    countries: (filters.countries ?? []).map((c) => c.toUpperCase()),
    formatIds: (filters.format_ids ?? []).map((f) => f.id),
    flight: start || end ? { start, end } : null,
  };
  const countries = unique([
    ...tokens.filter((t) => t.startsWith('geo:')).map((t) => t.slice(4)),
    ...required.countries,
  ]);
  const market = countries[0] ?? context.markets?.[0]?.toUpperCase() ?? 'US';
  const read = text ? flightOf(text, language, now, market) : null;
  const briefFlight = read ? { start: read.start, end: read.end } : null;
  const range = filters.budget_range ?? {};
  const rangeBudget = typeof range['max'] === 'number' ? range['max'] : null;
  const topics = unique([...topicsOf(tokens), ...topicsOf(terms)]);
  return {
    language,
    terms,
    phrase: tokens.join(' '),
    channels: unique([...tokens.flatMap((t) => channelsOf(t)), ...required.channels]),
    formats: familiesOf(tokens),
    countries,
    topics,
    flight: required.flight ?? briefFlight,
    budget: budgetOf(rest) ?? rangeBudget,
    price,
    avoid: {
      hard: avoidedOf(
        spans.filter((s) => !s.soft),
        language,
        topics,
      ),
      soft: avoidedOf(
        spans.filter((s) => s.soft),
        language,
        topics,
      ),
    },
    required: {
      ...required,
      markets: countries,
      flight: required.flight ?? (read?.spelled ? briefFlight : null),
    },
  };
}

const avoidsAnything = (a: Avoided) =>
  a.channels.length + a.formats.length + a.countries.length + a.topics.length + a.terms.length > 0;

/** Whether the ask reads anything at all (no brief and no filters: nothing to rank by). */
export const asksAnything = (ask: BriefAsk) =>
  ask.terms.length > 0 ||
  ask.required.channels.length > 0 ||
  ask.required.countries.length > 0 ||
  ask.required.formatIds.length > 0 ||
  ask.required.flight !== null ||
  ask.price.maxCpm !== null ||
  ask.price.cheapest ||
  avoidsAnything(ask.avoid.hard) ||
  avoidsAnything(ask.avoid.soft);
