import type { BriefCandidate } from './match.js';
import { countryOfDomain, isCountry } from './places.js';

/** The parts of an AdCP product the matcher reads (any kind's products have them). */
export interface ProductLike {
  name: string;
  description?: string | undefined;
  channels?: readonly string[] | undefined;
  format_ids?: ReadonlyArray<{ id: string }> | undefined;
  /** 3.1's canonical format declarations: a v2-only product carries these and no format_ids. */
  format_options?: ReadonlyArray<object> | undefined;
  pricing_options?: ReadonlyArray<object> | undefined;
  publisher_properties?: ReadonlyArray<{ publisher_domain?: string | undefined }> | undefined;
  /** AdCP placements inside the product: their names and tags are words it is filed under. */
  placements?:
    ReadonlyArray<{ name?: string | undefined; tags?: readonly string[] | undefined }> | undefined;
  /** Extensions: `interchange.audience` and `interchange.content` are read (textFieldsOf). */
  ext?: object | undefined;
}

/** The least spend any of its pricing options asks of a package, if one says. */
function minSpendOf(product: ProductLike): number | null {
  const spends = (product.pricing_options ?? []).flatMap((option) => {
    const spend = (option as { min_spend_per_package?: unknown }).min_spend_per_package;
    return typeof spend === 'number' ? [spend] : [];
  });
  return spends.length ? Math.min(...spends) : null;
}

/** Its lowest CPM (a fixed price, else a floor) and that option's currency. */
function priceOf(product: ProductLike): BriefCandidate['price'] {
  let best: { cpm: number; currency: string } | null = null;
  for (const option of product.pricing_options ?? []) {
    // Pricing options are AdCP's union: read the few fields a CPM option carries.
    const o = option as {
      pricing_model?: unknown;
      fixed_price?: unknown;
      floor_price?: unknown;
      currency?: unknown;
    };
    if (o.pricing_model !== 'cpm' && o.pricing_model !== 'vcpm') continue;
    const cpm = typeof o.fixed_price === 'number' ? o.fixed_price : o.floor_price;
    if (typeof cpm !== 'number' || !(cpm > 0) || typeof o.currency !== 'string') continue;
    if (!best || cpm < best.cpm) best = { cpm, currency: o.currency.toUpperCase() };
  }
  return best;
}

/**
 * What a source kind may say of a product under `ext.interchange` for the matcher: who it
 * reaches, what it is about, when it can run (`{ start, end }`, ISO), the countries it sells in
 * (ISO alpha-2 codes). The storefront keeps these when it relabels a source's products
 * (composition.ts); every other `interchange` field is its own.
 */
export const matcherFields = ['audience', 'content', 'available', 'countries'] as const;

/** The matcher's fields of a product's `ext.interchange` (matcherFields), to carry over. */
export function matcherExtOf(product: ProductLike): Record<string, unknown> {
  const said = saidOf(product);
  const out: Record<string, unknown> = {};
  for (const field of matcherFields) if (field in said) out[field] = said[field];
  return out;
}

/** When it can run, as its source says (`ext.interchange.available`); unknown when it does not. */
function availableOf(said: Record<string, unknown>): BriefCandidate['available'] {
  const window = said['available'];
  if (!window || typeof window !== 'object') return null;
  const date = (v: unknown) => {
    const d = typeof v === 'string' ? new Date(v) : null;
    return d && !Number.isNaN(d.getTime()) ? d : null;
  };
  const { start, end } = window as { start?: unknown; end?: unknown };
  return date(start) || date(end) ? { start: date(start), end: date(end) } : null;
}

/** The countries its source says it sells in (`ext.interchange.countries`), upper case. */
function countriesOf(said: Record<string, unknown>): string[] | undefined {
  const list = said['countries'];
  if (!Array.isArray(list)) return undefined;
  const codes = list.flatMap((c) =>
    typeof c === 'string' && /^[a-z]{2}$/i.test(c) ? [c.toUpperCase()] : [],
  );
  return codes.length ? [...new Set(codes)] : undefined;
}

/** The product's `ext.interchange` object, or an empty one. */
function saidOf(product: ProductLike): Record<string, unknown> {
  // An extension object: its `interchange` member, when it is one, holds what a kind adds.
  const interchange = (product.ext as { interchange?: unknown } | undefined)?.interchange;
  return (interchange && typeof interchange === 'object' ? interchange : {}) as Record<
    string,
    unknown
  >;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);

/**
 * The words of a product the matcher reads, by field (relevance.ts weighs them): its name and
 * description; what it is filed under (its placements' names and tags); its sites (publisher
 * domains); who it reaches and what it is about, as its seller says under
 * `ext.interchange.audience` and `ext.interchange.content` (a source kind that knows them, from a
 * seller's profile or a sheet's columns, puts them there). The one place a product's words are
 * read from, so a field a kind adds is read by every ranking.
 */
export function textFieldsOf(
  product: ProductLike,
): Pick<BriefCandidate, 'name' | 'description' | 'tags' | 'site' | 'audience' | 'content'> {
  // An extension object: its `interchange` member, when it is one, holds what a kind adds.
  const interchange = (product.ext as { interchange?: unknown } | undefined)?.interchange;
  const said = (interchange && typeof interchange === 'object' ? interchange : {}) as Record<
    string,
    unknown
  >;
  const placements = product.placements ?? [];
  return {
    name: product.name,
    description: product.description,
    tags: [
      ...placements.flatMap((p) => (p.name ? [p.name] : [])),
      ...placements.flatMap((p) => p.tags ?? []),
    ],
    site: [
      ...new Set(
        (product.publisher_properties ?? []).flatMap((p) =>
          p.publisher_domain ? [p.publisher_domain] : [],
        ),
      ),
    ],
    audience: text(said['audience']),
    content: text(said['content']),
  };
}

/** What a seller says of one of its sites (modules/property-profiles), by publisher domain. */
export type SiteProfiles = ReadonlyMap<
  string,
  { countries: readonly string[]; audience: string | null; content: string | null }
>;

/** The product's words and countries with its sites' profiles where it says none of its own. */
function withSites(
  candidate: BriefCandidate,
  sites: readonly string[],
  profiles: SiteProfiles,
): BriefCandidate {
  const said = sites.flatMap((site) => {
    const profile = profiles.get(site.toLowerCase());
    return profile ? [profile] : [];
  });
  if (!said.length) return candidate;
  const joined = (field: 'audience' | 'content') =>
    said.flatMap((p) => (p[field] ? [p[field]] : [])).join('; ') || null;
  const countries = [...new Set(said.flatMap((p) => p.countries))];
  return {
    ...candidate,
    audience: candidate.audience ?? joined('audience'),
    content: candidate.content ?? joined('content'),
    countries: candidate.countries?.length ? candidate.countries : countries,
  };
}

/**
 * An AdCP product as the matcher reads it: the storefront ranks every source's products this way,
 * so the same product ranks the same whichever kind of source answered it. `sites`: the seller's
 * profiles of its sites, read where the product says no countries, audience or content itself.
 */
export function candidateOfProduct(product: ProductLike, sites?: SiteProfiles): BriefCandidate {
  const candidate = ownCandidateOf(product);
  return sites?.size ? withSites(candidate, candidate.site ?? [], sites) : candidate;
}

function ownCandidateOf(product: ProductLike): BriefCandidate {
  return {
    ...textFieldsOf(product),
    channels: product.channels,
    formatIds: (product.format_ids ?? []).map((f) => f.id),
    namesNoFormat: !product.format_ids?.length && (product.format_options?.length ?? 0) > 0,
    minSpend: minSpendOf(product),
    price: priceOf(product),
    available: availableOf(saidOf(product)),
    countries: countriesOf(saidOf(product)),
    impliedCountries: impliedCountriesOf(product),
  };
}

/**
 * Where a product's publisher properties and prices put it, when it says no country itself: the
 * countries its publishers' domains name (`.de`, `.co.uk`), else the country whose own currency
 * it is priced in (an ISO 4217 national code begins with its country's code: GBP, SEK, JPY).
 * USD and EUR, priced in by sellers of every market, and the supranational X codes say nothing.
 * They rank only; a buyer's country filter never leaves a product out over them.
 */
function impliedCountriesOf(product: ProductLike): string[] {
  const byDomain = new Set(
    (product.publisher_properties ?? []).flatMap((p) => {
      const country = p.publisher_domain ? countryOfDomain(p.publisher_domain) : null;
      return country ? [country] : [];
    }),
  );
  if (byDomain.size) return [...byDomain];
  const currencies = new Set(
    (product.pricing_options ?? []).flatMap((option) => {
      // Pricing options are AdCP's union: every one carries its currency.
      const currency = (option as { currency?: unknown }).currency;
      return typeof currency === 'string' ? [currency.toUpperCase()] : [];
    }),
  );
  const countries = [...currencies].flatMap((c) =>
    /^[A-Z]{3}$/.test(c) &&
    !worldCurrencies.has(c) &&
    !c.startsWith('X') &&
    isCountry(c.slice(0, 2))
      ? [c.slice(0, 2)]
      : [],
  );
  // Priced in two markets' currencies (or one and USD/EUR): no one market.
  return countries.length === 1 && currencies.size === 1 ? countries : [];
}

/** Currencies sellers of many markets price in: they name no market. */
const worldCurrencies = new Set(['USD', 'EUR']);
