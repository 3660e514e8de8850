import { channelsOf, termsOf, topicsOf } from './vocabulary.js';

/**
 * What a brief and a get_products request ask for, as far as it can be read without guessing:
 * the brief's terms, the channels, sizes and formats, countries it names, a flight and a budget;
 * and what the buyer's AdCP `filters` require. Brief-read asks rank; only `filters` (what the
 * buyer set as a hard requirement) and a flight the brief spells out in dates leave products out.
 */
export interface BriefAsk {
  /** Every term of the brief (vocabulary terms and stems), deduplicated, in brief order. */
  terms: string[];
  /** The brief's whole text, normalized, for recognizing a product named in full. */
  phrase: string;
  /** AdCP channels the brief names (ranking). */
  channels: string[];
  /** Sizes (`size:WxH`) and format families (video, audio, native, display) the brief names. */
  formats: string[];
  /** ISO 3166-1 alpha-2 countries the brief names (ranking). */
  countries: string[];
  /** Topics the brief names (`topic:sport`, …; topics.ts), ranking. */
  topics: string[];
  /**
   * A flight the filters or the brief give: dates spelled out, or a quarter ("Q2 flight", "Q3
   * 2027"; without a year, the next such quarter not yet over). A quarter prices and plans
   * (rate card, proposals); it does not leave products out.
   */
  flight: { start: Date | null; end: Date | null } | null;
  /** The budget the brief names, in its currency's units. */
  budget: number | null;
  /** What the buyer's filters require: products that plainly cannot meet them are left out. */
  required: {
    channels: string[];
    countries: string[];
    formatIds: string[];
    flight: { start: Date | null; end: Date | null } | null;
  };
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

const sizeOrFormat = new Set(['video', 'audio', 'native', 'display']);
const months = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;

/** A date of the filters (YYYY-MM-DD or a date-time), null when absent or unreadable. */
function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The flight a brief spells out: ISO dates (the first is the start, the second the end), else
 * "December 2026" (that month). A brief with no date has none: words like "spring" rank, they
 * do not filter.
 */
export function flightOfBrief(brief: string): { start: Date; end: Date } | null {
  const isoDates = [...brief.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)]
    .map((m) => new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`))
    .filter((d) => !Number.isNaN(d.getTime()));
  if (isoDates.length > 0) {
    const start = isoDates[0]!;
    const last = isoDates[isoDates.length - 1]!;
    return { start, end: new Date(last.getTime() + 86_400_000 - 1) };
  }
  const month = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b/i.exec(
    brief,
  );
  if (!month) return null;
  const index = months.indexOf(month[1]!.toLowerCase() as (typeof months)[number]);
  const year = Number(month[2]);
  return {
    start: new Date(Date.UTC(year, index, 1)),
    end: new Date(Date.UTC(year, index + 1, 1) - 1),
  };
}

/**
 * The quarter a brief names as its flight: "Q2 2027", "2027 Q2", "Q2'27", or "Q2" alone (the next
 * Q2 not yet over on `now`). Calendar quarters, UTC.
 */
export function quarterOfBrief(brief: string, now: Date): { start: Date; end: Date } | null {
  // A two-digit year only after an apostrophe: "Q3 25 markets" names no year.
  const match = /\bQ([1-4])(?:\s+(\d{4})\b|\s*['’](\d{2})\b)?|\b(\d{4})\s*Q([1-4])\b/i.exec(brief);
  if (!match) return null;
  const quarter = Number(match[1] ?? match[5]) - 1;
  const endOf = (year: number) => new Date(Date.UTC(year, quarter * 3 + 3, 1) - 1);
  const written = match[2] ?? match[4] ?? (match[3] ? `20${match[3]}` : undefined);
  let year = written ? Number(written) : now.getUTCFullYear();
  if (!written && endOf(year) < now) year += 1;
  return { start: new Date(Date.UTC(year, quarter * 3, 1)), end: endOf(year) };
}

/** The budget a brief names: "$50,000", "50k USD", "€20k", "budget of 15000". */
export function budgetOfBrief(brief: string): number | null {
  const match =
    /(?:[$€£]\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m)?)|(?:(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\s*(?:usd|eur|gbp|dollars|euros|pounds))|(?:budget\s+(?:of\s+)?(\d[\d,]*(?:\.\d+)?)\s*(k|m)?)/i.exec(
      brief,
    );
  if (!match) return null;
  const digits = match[1] ?? match[3] ?? match[5];
  const scale = (match[2] ?? match[4] ?? match[6] ?? '').toLowerCase();
  const value = Number(digits!.replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  return value * (scale === 'k' ? 1_000 : scale === 'm' ? 1_000_000 : 1);
}

/** The ask of a request: its brief read through the vocabulary, its filters as requirements. */
export function readAsk(source: AskSource, now: Date = new Date()): BriefAsk {
  const brief = source.brief ?? '';
  const terms = [...new Set(termsOf(brief))];
  const filters = source.filters ?? {};
  const start = dateOf(filters.start_date);
  const end = dateOf(filters.end_date);
  const required = {
    channels: [...(filters.channels ?? [])],
    countries: (filters.countries ?? []).map((c) => c.toUpperCase()),
    formatIds: (filters.format_ids ?? []).map((f) => f.id),
    flight: start || end ? { start, end } : null,
  };
  const briefFlight = flightOfBrief(brief);
  const range = filters.budget_range ?? {};
  const rangeBudget = typeof range['max'] === 'number' ? range['max'] : null;
  return {
    terms,
    phrase: terms.join(' '),
    channels: [...new Set([...terms.flatMap((t) => channelsOf(t)), ...required.channels])],
    formats: terms.filter((t) => t.startsWith('size:') || sizeOrFormat.has(t)),
    countries: [
      ...new Set([
        ...terms.filter((t) => t.startsWith('geo:')).map((t) => t.slice(4)),
        ...required.countries,
      ]),
    ],
    topics: topicsOf(terms),
    flight: required.flight ?? briefFlight ?? quarterOfBrief(brief, now),
    budget: budgetOfBrief(brief) ?? rangeBudget,
    required: { ...required, flight: required.flight ?? briefFlight },
  };
}

/** Whether the ask reads anything at all (no brief and no filters: nothing to rank by). */
export const asksAnything = (ask: BriefAsk) =>
  ask.terms.length > 0 ||
  ask.required.channels.length > 0 ||
  ask.required.countries.length > 0 ||
  ask.required.formatIds.length > 0 ||
  ask.required.flight !== null;
