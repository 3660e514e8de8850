import type { Avoided, BriefAsk } from './ask.js';
import { type CandidateReading, readingOf } from './reading.js';
import { takesOtherFormats } from './format-words.js';
import { pricesInOwn } from './places.js';
import { topicsNear } from './topics.js';
import { type PriceRank, priceScore, pricesOf } from './read/price.js';
import { type Corpus, corpusOf, textScore } from './relevance.js';

export { type PriceRank, pricesOf } from './read/price.js';

/**
 * What the matcher reads of a product, whatever its kind: a spreadsheet avail, an ad-server
 * placement, a provider's placement or an AdCP product all describe themselves this way.
 */
export interface BriefCandidate {
  name: string;
  description?: string | null | undefined;
  /** Collection names, placement words, tags: what the product is filed under. */
  tags?: readonly string[] | undefined;
  /** Its sites: publisher domains and property names. */
  site?: readonly string[] | undefined;
  /** Who it reaches, in the seller's words ("motoring enthusiasts, men 35-54"). */
  audience?: string | null | undefined;
  /** What it is about, in the seller's words ("car reviews, road tests"). */
  content?: string | null | undefined;
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
  /** Its lowest CPM (fixed, else floor) and that price's currency; unknown when absent. */
  price?: { cpm: number; currency: string } | null | undefined;
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
 * Words score by BM25F (relevance.ts), times `words`: one term's BM25F is at most its idf times
 * k1 + 1 (about 6.5 for a word one product in 20 has), so at 0.5 a word weighs about what a word
 * in the name weighed before BM25F (3); only the rarest reach a country or a format (6). At
 * 1.6 "display" in a network's name outweighed "in Australia" (bench/relevance.md: the tuning
 * half of the set chose 0.5 among 0.3-1.6).
 */
const weight = {
  named: 24,
  channel: 8,
  format: 6,
  country: 6,
  /**
   * Every country it is known to serve is another than those the brief names: a brief's country
   * narrows (issue 71 item 3), so below every product that serves it or may (one that says
   * nothing of where it runs), whatever its words; a buyer's filter leaves it out instead.
   */
  otherCountry: -40,
  /** It says no country, and its price's currency is none of the asked countries' own. */
  otherCurrencyMarket: -6,
  /**
   * No country it is known to serve is one the buyer's `filters.countries` requires: below every
   * product that is (one that says nothing of where it runs may run anywhere, or nowhere asked).
   */
  notKnownInMarket: -100,
  /**
   * It takes formats, none of them the sizes or families the brief names, on no channel it names
   * ("leaderboards" and an MPU placement): below every product that takes them or may.
   */
  otherFormat: -20,
  topic: 5,
  /**
   * It is about topics, none of them asked (nor their neighbours, topics.ts): a planner reads it
   * as of no use to a topical brief, so its country and flight (6 + 4) never lift it above a
   * product of the topic that says neither (issue 71: a US business line above a motoring site
   * for a US auto brief). -12 among -2 to -20 on the project set and unseen2; flat from -12.
   */
  otherTopic: -12,
  /** Its dates cover a read flight; a product of another topic gets none (w31: no use anyway). */
  flight: 4,
  /** Its source's dates miss a read flight (quarter, season): below all that can or may run. */
  flightShort: -20,
  budgetFits: 1,
  budgetShort: -4,
  /** What the brief would rather not have ("prefer not"): below everything else. */
  softAvoided: -1000,
  words: 0.5,
} as const;

const day = 86_400_000;
/** So many countries read from a product's words are a region's ("in Europe", "Nordics"). */
const regionWide = 5;
const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
const within = (a: readonly string[], b: readonly string[]) =>
  a.length > 0 && a.every((x) => b.includes(x));

/** Why a candidate plainly cannot serve the buyer's filters, or null. */
function filterExclusionOf(ask: BriefAsk, c: BriefCandidate): string | null {
  const { required } = ask;
  if (required.channels.length && c.channels?.length && !overlaps(required.channels, c.channels))
    return `channel ${c.channels.join('/')} not among ${required.channels.join('/')}`;
  if (
    required.markets.length &&
    c.countries?.length &&
    !overlaps(
      required.markets,
      c.countries.map((x) => x.toUpperCase()),
    )
  )
    return `countries ${c.countries.join('/')} not among ${required.markets.join('/')}`;
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

/** What of `avoided` the candidate is: its channels, formats, countries, topics or words. */
function avoidedIn(
  avoided: Avoided,
  c: BriefCandidate,
  t: CandidateReading,
  ask: BriefAsk,
): string | null {
  const channels = c.channels?.length ? c.channels : t.impliedChannels;
  if (within(channels, avoided.channels)) return `channel ${channels.join('/')}`;
  const families = [...t.formats].filter((f) => !f.startsWith('size:'));
  if (within(families, avoided.formats)) return `format ${families.join('/')}`;
  const sizes = [...t.formats].filter((f) => f.startsWith('size:'));
  if (within(sizes, avoided.formats)) return `size ${sizes.map((s) => s.slice(5)).join('/')}`;
  const countries = c.countries?.length
    ? c.countries.map((x) => x.toUpperCase())
    : t.countries.length
      ? [...t.countries]
      : [...(c.impliedCountries ?? [])];
  if (within(countries, avoided.countries)) return `country ${[...new Set(countries)].join('/')}`;
  const topic = avoided.topics.find((x) => t.ownTopics.includes(x));
  if (topic) return `topic ${topic.slice(6)}`;
  if (avoided.terms.length) {
    const bag = t.bagsIn(ask.language);
    const word = avoided.terms.find(
      (w) =>
        bag.counts.name.has(w) ||
        bag.counts.tags.has(w) ||
        bag.counts.audience.has(w) ||
        bag.counts.content.has(w) ||
        bag.counts.site.has(w),
    );
    if (word) return `"${word}"`;
  }
  return null;
}

/** Why the candidate cannot serve the ask: the buyer's filters, the brief's rulings, its ceiling. */
function exclusionOf(ask: BriefAsk, c: BriefCandidate, t: CandidateReading): string | null {
  const filtered = filterExclusionOf(ask, c);
  if (filtered) return filtered;
  const ruled = avoidedIn(ask.avoid.hard, c, t, ask);
  if (ruled) return `the brief rules out ${ruled}`;
  const { maxCpm, currency } = ask.price;
  if (
    maxCpm !== null &&
    c.price &&
    (!currency || currency === c.price.currency) &&
    c.price.cpm > maxCpm
  )
    return `CPM ${c.price.cpm} above the brief's ${maxCpm}`;
  return null;
}

/** A corpus of the candidate alone (a match asked of one candidate, without its peers). */
function corpusAlone(ask: BriefAsk, t: CandidateReading): Corpus {
  return corpusOf([t.bagsIn(ask.language)], ask.terms);
}

/**
 * How `candidate` meets `ask` (pure; the same inputs always give the same match). `reading`: the
 * candidate's reading when the caller holds it (top.ts); `corpus` and `prices`: the candidates
 * ranked with it (rankForAsk, topForAsk), else it alone; `explain: false` leaves the reasons out
 * (the score is the same), for the many candidates only scored to find the few answered.
 */
export function matchCandidate(
  ask: BriefAsk,
  candidate: BriefCandidate,
  options: {
    reading?: CandidateReading;
    explain?: boolean;
    corpus?: Corpus;
    prices?: PriceRank;
  } = {},
): BriefMatch {
  const t = options.reading ?? readingOf(candidate);
  const excluded = exclusionOf(ask, candidate, t);
  const explain = options.explain ?? true;
  const reasons: string[] = [];
  let score = 0;

  const soft = avoidedIn(ask.avoid.soft, candidate, t, ask);
  if (soft) {
    score += weight.softAvoided;
    if (explain) reasons.push(`the brief would rather not: ${soft}`);
  }
  if (t.nameIsOwn && t.nameTokens.length >= 2 && ` ${ask.phrase} `.includes(` ${t.namePhrase} `)) {
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
  if (!channel && takesOtherFormats(ask.formats, t.formats)) {
    score += weight.otherFormat;
    if (explain) reasons.push('takes none of the formats asked');
  }
  if (ask.countries.length) {
    const countries = new Set(t.countries);
    for (const c of candidate.countries ?? []) countries.add(c.toUpperCase());
    // Its domain or currency only where its words and its source name no country: a
    // publisher's "Österreich" line on a .de site serves Austria.
    if (!countries.size)
      for (const c of candidate.impliedCountries ?? []) countries.add(c.toUpperCase());
    const country = ask.countries.find((c) => countries.has(c));
    // "Across Europe" in its words: it may run in the country asked, as one that says nothing
    // may; a planner would not count it as serving it (regionWide).
    const regional = !candidate.countries?.length && t.countries.length >= regionWide;
    if (country && regional) {
      if (explain) reasons.push(`a region that may include ${country}`);
    } else if (country) {
      score += weight.country;
      if (explain) reasons.push(`country ${country}`);
    } else if (countries.size) {
      score += weight.otherCountry;
      if (explain) reasons.push(`serves ${[...countries].join('/')}`);
    } else if (
      candidate.price &&
      !ask.countries.some((c) => pricesInOwn(c, candidate.price!.currency))
    ) {
      // Where nothing says, its currency does a little: a UK brief and a product priced in USD.
      score += weight.otherCurrencyMarket;
      if (explain) reasons.push(`priced in ${candidate.price.currency}`);
    }
    if (!country && ask.required.countries.length) {
      score += weight.notKnownInMarket;
      if (explain && !countries.size) reasons.push('its countries unknown');
    }
  }
  let otherTopic = false;
  if (ask.topics.length) {
    const topic = ask.topics.find((x) => t.topics.includes(x));
    if (topic) {
      score += weight.topic;
      if (explain) reasons.push(`topic ${topic.slice(6)}`);
    } else otherTopic = t.topics.length > 0 && !overlaps(topicsNear(ask.topics), t.topics);
    if (otherTopic) score += weight.otherTopic;
  }
  const flight = ask.flight;
  const available = candidate.available;
  if (flight && available && !excluded) {
    const startsInTime = !available.start || !flight.start || available.start <= flight.start;
    // A date-only end ("2028-04-30" in a sheet) runs through that day.
    const lastsLongEnough =
      !available.end || !flight.end || available.end.getTime() + day > flight.end.getTime();
    if (startsInTime && lastsLongEnough) {
      if (!otherTopic) score += weight.flight;
      if (explain) reasons.push('flight covered');
    } else {
      score += weight.flightShort;
      if (explain) reasons.push('not available through the flight');
    }
  }
  if (ask.budget !== null && typeof candidate.minSpend === 'number') {
    const fits = candidate.minSpend <= ask.budget;
    score += fits ? weight.budgetFits : weight.budgetShort;
    if (explain) reasons.push(fits ? 'budget meets minimum spend' : 'budget under minimum spend');
  }
  score += priceScore(ask, candidate, options.prices, explain ? reasons : null);
  // Words: every term but countries (scored once, as a country), structured ones included: a
  // placement that calls itself "banner" outranks one that merely takes a display format.
  const terms = ask.terms.filter((x) => !x.startsWith('geo:'));
  if (terms.length) {
    const corpus = options.corpus ?? corpusAlone(ask, t);
    const text = textScore(t.bagsIn(ask.language), terms, corpus);
    score += weight.words * text.score;
    // Sizes and countries are said once, as such (a word "size:300x250" says nothing more).
    const said = text.matched.filter((x) => !x.includes(':'));
    if (explain && said.length) reasons.push(`words: ${said.join(', ')}`);
  }
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
  const candidates = items.map(candidateOf);
  const readings = candidates.map((c) => readingOf(c));
  const corpus = corpusOf(
    readings.map((r) => r.bagsIn(ask.language)),
    ask.terms,
  );
  const prices = pricesOf(ask, candidates);
  const ranked: Ranked<T>[] = [];
  const excluded: Ranked<T>[] = [];
  items.forEach((item, i) => {
    const match = matchCandidate(ask, candidates[i]!, { reading: readings[i]!, corpus, prices });
    (match.excluded ? excluded : ranked).push({ item, match });
  });
  ranked.sort((a, b) => b.match.score - a.match.score);
  return { ranked, excluded };
}
