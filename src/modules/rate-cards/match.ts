import type { GetProductsResponse } from '@adcp/sdk/types';
import { type AskSource, readAsk } from '../../sources/brief/index.js';
import type { PricingFact } from './schemas.js';

type Product = GetProductsResponse['products'][number];

/** What a fact's hints are matched against beside the product: what the buyer asked. */
export interface BuyerAsk {
  /** Countries the buyer asks for (filters and brief), upper-case; empty: not said. */
  countries: string[];
  /** The brief in lower case, with the month names of its flight; empty: no brief. */
  text: string;
  /** The campaign budget asked (brief, filters.budget_range, packages); null: not said. */
  budget?: number | null;
  /** The buyer's flight, either end open; null: not said. */
  flight?: { start: Date | null; end: Date | null } | null;
  /** The buyer's brand domain, lower case; null: not said. */
  brandDomain?: string | null;
}

/** A hint category against a product and an ask: met, failed, or not decidable (ask silent). */
type Verdict = 'met' | 'failed' | 'unknown';

const lower = (values: readonly string[]) => values.map((value) => value.toLowerCase());
const anyIn = (terms: readonly string[], text: string): Verdict =>
  lower(terms).some((term) => text.includes(term)) ? 'met' : 'failed';

/** The product's own words the free-text hints are matched in (lower case). */
export function productTextOf(product: Product): string {
  const placements = (product.placements ?? []).map(
    (p) => `${p.placement_id} ${p.name} ${(p.tags ?? []).join(' ')}`,
  );
  return [
    product.product_id,
    product.name,
    product.description,
    ...product.format_ids.map((format) => format.id),
    ...placements,
  ]
    .join(' ')
    .toLowerCase();
}

function verdictOf(
  category: keyof PricingFact['hints'],
  values: string[],
  product: Product,
  productText: string,
  ask: BuyerAsk,
): Verdict {
  switch (category) {
    case 'channels': {
      // Exact codes against the seller-declared channels (hosted: never substrings).
      const declared = lower(product.channels ?? []);
      return lower(values).some((code) => declared.includes(code)) ? 'met' : 'failed';
    }
    case 'publisherDomains': {
      const domains = product.publisher_properties.map((p) => p.publisher_domain.toLowerCase());
      return values.some((domain) => domains.includes(domain)) ? 'met' : 'failed';
    }
    case 'countries':
      if (ask.countries.length === 0) return 'unknown';
      return values.some((code) => ask.countries.includes(code.toUpperCase())) ? 'met' : 'failed';
    case 'advertiserVerticals':
    case 'seasonality':
      if (ask.text === '') return 'unknown';
      return anyIn(values, ask.text);
    default:
      return anyIn(values, productText);
  }
}

/**
 * Whether a fact applies to a product for this ask. Within a hint category any value may
 * match, across populated categories all must (hosted). A category the buyer's ask is silent
 * on (no country, no brief) cannot be decided: a `hard_floor` then applies anyway (a floor is
 * never escaped by saying less), a `default` or `guidance` does not. Returns the number of
 * categories met (the fact's specificity for this product), or null when it does not apply.
 */
export function factMatch(
  fact: PricingFact,
  product: Product,
  productText: string,
  ask: BuyerAsk,
): number | null {
  let met = 0;
  for (const [category, values] of Object.entries(fact.hints) as Array<
    [keyof PricingFact['hints'], string[] | undefined]
  >) {
    if (!values || values.length === 0) continue;
    const verdict = verdictOf(category, values, product, productText, ask);
    if (verdict === 'failed') return null;
    if (verdict === 'unknown' && fact.strength !== 'hard_floor') return null;
    if (verdict === 'met') met++;
  }
  const conditions = conditionVerdicts(fact, ask);
  if (conditions.includes('failed')) return null;
  if (conditions.includes('unknown') && fact.strength !== 'hard_floor') return null;
  return met + conditions.filter((v) => v === 'met').length;
}

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999Z`);

/** The fact's conditions (appliesWhen's matchable part) against the ask, one verdict each. */
function conditionVerdicts(fact: PricingFact, ask: BuyerAsk): Verdict[] {
  const { budget, flight, brandDomains } = fact.conditions ?? {};
  const verdicts: Verdict[] = [];
  if (budget && (budget.min !== undefined || budget.max !== undefined)) {
    const asked = ask.budget ?? null;
    verdicts.push(
      asked === null
        ? 'unknown'
        : (budget.min === undefined || asked >= budget.min) &&
            (budget.max === undefined || asked <= budget.max)
          ? 'met'
          : 'failed',
    );
  }
  if (flight && (flight.start || flight.end)) {
    const asked = ask.flight ?? null;
    if (!asked || (!asked.start && !asked.end)) verdicts.push('unknown');
    else {
      // Overlap: the buyer's flight runs into the window at some point.
      const startsAfter = flight.end && asked.start && asked.start > dayEnd(flight.end);
      const endsBefore = flight.start && asked.end && asked.end < dayStart(flight.start);
      verdicts.push(startsAfter || endsBefore ? 'failed' : 'met');
    }
  }
  if (brandDomains && brandDomains.length > 0) {
    const brand = ask.brandDomain ?? null;
    verdicts.push(brand === null ? 'unknown' : brandDomains.includes(brand) ? 'met' : 'failed');
  }
  return verdicts;
}

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The buyer's ask as pricing facts read it: countries asked, the brief and its flight's months. */
export function buyerAskOf(request: AskSource & { brand?: { domain?: string } }): BuyerAsk {
  const ask = readAsk(request);
  const countries = [...new Set([...ask.countries, ...ask.required.countries])].map((c) =>
    c.toUpperCase(),
  );
  const months: string[] = [];
  const start = ask.flight?.start ?? ask.flight?.end;
  const end = ask.flight?.end ?? start;
  if (start && end) {
    const cursor = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
    for (let i = 0; i < 12 && cursor <= end; i++) {
      months.push(monthNames[cursor.getUTCMonth()]!);
      cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    }
  }
  const brief = (request.brief ?? '').toLowerCase();
  return {
    countries,
    text: [brief, ...months].filter(Boolean).join(' '),
    budget: ask.budget,
    flight: ask.flight ? { start: ask.flight.start ?? null, end: ask.flight.end ?? null } : null,
    brandDomain: request.brand?.domain?.toLowerCase() ?? null,
  };
}

/**
 * The ask a package of create_media_buy carries for pricing facts: the countries its targeting
 * names. It has no brief, so vertical and seasonality hints cannot be decided and a hard floor
 * carrying them applies (a floor is never escaped by saying less at booking).
 */
export function packageAskOf(
  pkg: { targeting_overlay?: { geo_countries?: string[] } },
  buy: BuyAsk,
): BuyerAsk {
  const countries = (pkg.targeting_overlay?.geo_countries ?? []).map((c) => c.toUpperCase());
  const budget = (buy.packages ?? []).reduce((sum, p) => sum + (p.budget ?? 0), 0);
  const start = buy.start_time && buy.start_time !== 'asap' ? new Date(buy.start_time) : new Date();
  return {
    countries: [...new Set(countries)],
    text: '',
    budget: budget > 0 ? budget : null,
    flight: { start, end: buy.end_time ? new Date(buy.end_time) : null },
    brandDomain: buy.brand?.domain?.toLowerCase() ?? null,
  };
}

/** What of a create_media_buy request pricing facts read (its packages, flight and brand). */
export interface BuyAsk {
  packages?: Array<{ budget?: number }>;
  start_time?: string;
  end_time?: string;
  brand?: { domain?: string };
}
