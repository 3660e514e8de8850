import type { BriefAsk } from './ask.js';
import { type CandidateReading, readingOf } from './reading.js';

/**
 * What the matcher reads of a product, whatever its kind: a spreadsheet avail, an ad-server
 * placement, a provider's placement or an AdCP product all describe themselves this way.
 */
export interface BriefCandidate {
  name: string;
  description?: string | null | undefined;
  /** Collection names, placement words, tags: what the product is filed under. */
  tags?: readonly string[] | undefined;
  channels?: readonly string[] | undefined;
  /** Creative format ids (display_300x250, video_standard, …). */
  formatIds?: readonly string[] | undefined;
  /**
   * It declares its formats and none by a named format id (a 3.1 v2-only product, `format_options`
   * alone): a buyer's `format_ids` filter excludes it, where a candidate whose formats are not
   * known at all is kept.
   */
  namesNoFormat?: boolean | undefined;
  /** ISO countries it serves; none known when absent. */
  countries?: readonly string[] | undefined;
  /**
   * Countries its publisher's domain names (`.de`, `.co.uk`): they rank like countries it
   * names, but never exclude it under a buyer's country filter (a site is read abroad too).
   */
  impliedCountries?: readonly string[] | undefined;
  /** When it can run; unknown when absent. */
  available?: { start: Date | null; end: Date | null } | null | undefined;
  /** The least a package must spend, in the product's currency. */
  minSpend?: number | null | undefined;
}

/** How a candidate meets an ask: its score, why, and, when it cannot serve it, why not. */
export interface BriefMatch {
  score: number;
  /** Short reasons, structured ones first ("channel ctv", "size 300x250", "words: sport, weekly"). */
  reasons: string[];
  /** Why the candidate cannot serve the ask (a filter it plainly fails); null when it can. */
  excluded: string | null;
}

/*
 * Weights: a structured match (channel, size or format, country, flight) outweighs any one word,
 * and a product the brief names in full outweighs everything (a buyer who names it wants it).
 */
const weight = {
  named: 24,
  channel: 8,
  format: 6,
  country: 6,
  /** Every country it is known to serve is another than those asked. */
  otherCountry: -6,
  topic: 5,
  /** It is about topics, none of them asked. */
  otherTopic: -2,
  flight: 4,
  budgetFits: 1,
  budgetShort: -4,
  wordInName: 3,
  wordInTags: 2,
  wordInDescription: 1,
} as const;

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

/** Why a candidate plainly cannot serve the buyer's filters, or null. */
function exclusionOf(ask: BriefAsk, c: BriefCandidate): string | null {
  const { required } = ask;
  if (required.channels.length && c.channels?.length && !overlaps(required.channels, c.channels))
    return `channel ${c.channels.join('/')} not among ${required.channels.join('/')}`;
  if (
    required.countries.length &&
    c.countries?.length &&
    !overlaps(
      required.countries,
      c.countries.map((x) => x.toUpperCase()),
    )
  )
    return `countries ${c.countries.join('/')} not among ${required.countries.join('/')}`;
  if (
    required.formatIds.length &&
    (c.namesNoFormat || (c.formatIds?.length && !overlaps(required.formatIds, c.formatIds)))
  )
    return `formats not among ${required.formatIds.join('/')}`;
  const flight = required.flight;
  if (flight && c.available) {
    if (flight.start && c.available.end && c.available.end < flight.start)
      return 'ends before the flight starts';
    if (flight.end && c.available.start && c.available.start > flight.end)
      return 'starts after the flight ends';
  }
  return null;
}

/**
 * How `candidate` meets `ask` (pure; the same inputs always give the same match). `reading`: the
 * candidate's reading when the caller holds it (top.ts); `explain: false` leaves the reasons out
 * (the score is the same), for the many candidates only scored to find the few answered.
 */
export function matchCandidate(
  ask: BriefAsk,
  candidate: BriefCandidate,
  options: { reading?: CandidateReading; explain?: boolean } = {},
): BriefMatch {
  const excluded = exclusionOf(ask, candidate);
  const explain = options.explain ?? true;
  const reasons: string[] = [];
  let score = 0;
  const t = options.reading ?? readingOf(candidate);

  if (t.nameTerms.length >= 2 && ` ${ask.phrase} `.includes(` ${t.namePhrase} `)) {
    score += weight.named;
    if (explain) reasons.push('named in the brief');
  }
  // Channels: declared ones, else those its name and formats imply (a "Podcast midroll").
  const channels = candidate.channels?.length ? candidate.channels : t.impliedChannels;
  const channel = ask.channels.find((c) => channels.includes(c));
  if (channel) {
    score += weight.channel;
    if (explain) reasons.push(`channel ${channel}`);
  }
  for (const format of ask.formats) {
    if (t.formats.has(format)) {
      score += weight.format;
      if (explain)
        reasons.push(format.startsWith('size:') ? `size ${format.slice(5)}` : `format ${format}`);
    }
  }
  if (ask.countries.length) {
    const countries = new Set(t.countries);
    for (const c of candidate.countries ?? []) countries.add(c.toUpperCase());
    for (const c of candidate.impliedCountries ?? []) countries.add(c.toUpperCase());
    const country = ask.countries.find((c) => countries.has(c));
    if (country) {
      score += weight.country;
      if (explain) reasons.push(`country ${country}`);
    } else if (countries.size) {
      score += weight.otherCountry;
      if (explain) reasons.push(`serves ${[...countries].join('/')}`);
    }
  }
  if (ask.topics.length) {
    const topic = ask.topics.find((x) => t.topics.includes(x));
    if (topic) {
      score += weight.topic;
      if (explain) reasons.push(`topic ${topic.slice(6)}`);
    } else if (t.topics.length) score += weight.otherTopic;
  }
  const flight = ask.flight;
  const available = candidate.available;
  if (flight && available && !excluded) {
    const startsInTime = !available.start || !flight.start || available.start <= flight.start;
    const lastsLongEnough = !available.end || !flight.end || available.end >= flight.end;
    if (startsInTime && lastsLongEnough) {
      score += weight.flight;
      if (explain) reasons.push('flight covered');
    }
  }
  if (ask.budget !== null && typeof candidate.minSpend === 'number') {
    const fits = candidate.minSpend <= ask.budget;
    score += fits ? weight.budgetFits : weight.budgetShort;
    if (explain) reasons.push(fits ? 'budget meets minimum spend' : 'budget under minimum spend');
  }
  const words: string[] = [];
  // Every term counts as a word too, structured ones included: a placement that calls itself
  // "banner" outranks one that merely takes a display format.
  for (const term of ask.terms) {
    // A country is scored once, as a country (its word would make it outweigh a channel).
    if (term.startsWith('geo:')) continue;
    const found = t.name.has(term)
      ? weight.wordInName
      : t.tags.has(term)
        ? weight.wordInTags
        : t.description.has(term)
          ? weight.wordInDescription
          : 0;
    if (found) {
      score += found;
      if (explain) words.push(term);
    }
  }
  if (words.length) reasons.push(`words: ${words.join(', ')}`);
  return { score, reasons, excluded };
}

/** One ranked item and its match. */
export interface Ranked<T> {
  item: T;
  match: BriefMatch;
}

/**
 * `items` ranked for `ask`: those a filter plainly excludes apart (with why), the rest best match
 * first. The sort is stable, so ties keep the order given (a source's own tie-break).
 */
export function rankForAsk<T>(
  items: readonly T[],
  ask: BriefAsk,
  candidateOf: (item: T) => BriefCandidate,
): { ranked: Ranked<T>[]; excluded: Ranked<T>[] } {
  const ranked: Ranked<T>[] = [];
  const excluded: Ranked<T>[] = [];
  for (const item of items) {
    const match = matchCandidate(ask, candidateOf(item));
    (match.excluded ? excluded : ranked).push({ item, match });
  }
  ranked.sort((a, b) => b.match.score - a.match.score);
  return { ranked, excluded };
}
