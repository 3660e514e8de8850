import { createHash } from 'node:crypto';

/**
 * What an item of each catalog type must carry (AdCP 3.0 core item schemas): its id field and
 * the other required fields. 'product', 'inventory' and 'promotion' are freeform in AdCP, as
 * are seed 004's own types without an AdCP schema (home_listing, local, retail, travel); their
 * id is the first of item_id, id, sku, offering_id, gtin.
 */
const typed: Record<string, { id: string; required: string[]; title: string }> = {
  offering: { id: 'offering_id', required: ['name'], title: 'name' },
  hotel: { id: 'hotel_id', required: ['name', 'location'], title: 'name' },
  job: { id: 'job_id', required: ['title', 'company_name', 'description'], title: 'title' },
  store: { id: 'store_id', required: ['name', 'location'], title: 'name' },
  vehicle: { id: 'vehicle_id', required: ['title', 'make', 'model', 'year'], title: 'title' },
  flight: { id: 'flight_id', required: ['origin', 'destination'], title: 'title' },
  real_estate: { id: 'listing_id', required: ['title', 'address'], title: 'title' },
  education: { id: 'program_id', required: ['name', 'school'], title: 'name' },
  destination: { id: 'destination_id', required: ['name'], title: 'name' },
  app: { id: 'app_id', required: ['name', 'platform'], title: 'name' },
};
const freeformIds = ['item_id', 'id', 'sku', 'offering_id', 'gtin'];

/** AdCP's catalog types, then seed 004's additional ones. */
export const catalogTypes = [
  'offering',
  'product',
  'inventory',
  'store',
  'promotion',
  'hotel',
  'flight',
  'job',
  'vehicle',
  'real_estate',
  'education',
  'destination',
  'app',
  'home_listing',
  'local',
  'retail',
  'travel',
] as const;
export type CatalogType = (typeof catalogTypes)[number];

/** The AdCP type a seller is told for seed 004's own types (sync_catalogs knows only AdCP's). */
export function adcpTypeOf(type: string): string {
  const mapped: Record<string, string> = {
    home_listing: 'real_estate',
    local: 'store',
    retail: 'product',
    travel: 'destination',
  };
  return mapped[type] ?? type;
}

/** The field that holds an item's id for a type (where a REST-created offering puts its id). */
export const idFieldOf = (type: string) => typed[type]?.id ?? 'item_id';
export const titleFieldOf = (type: string) => typed[type]?.title ?? 'title';

export interface CatalogItem {
  offeringId: string;
  title: string | null;
  description: string | null;
  price: number | null;
  currency: string | null;
  landingUrl: string | null;
  imageUrl: string | null;
  data: Record<string, unknown>;
  contentHash: string;
}

export interface ItemIssue {
  item_id?: string;
  field?: string;
  issue: string;
  severity: 'error' | 'warning';
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export const hashOf = (value: unknown) =>
  createHash('sha256').update(canonical(value)).digest('hex').slice(0, 32);

function httpUrl(value: unknown): string | null | undefined {
  const s = text(value);
  if (s === null) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** An item as AdCP describes it, checked for its type; an issue (severity error) when not usable. */
export function itemOf(
  type: string,
  raw: unknown,
): { item: CatalogItem; issue?: undefined } | { item?: undefined; issue: ItemIssue } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { issue: { issue: 'an item must be a JSON object', severity: 'error' } };
  const data = raw as Record<string, unknown>;
  const rule = typed[type];
  const idField = rule ? rule.id : freeformIds.find((f) => data[f] !== undefined);
  const idValue = idField ? data[idField] : undefined;
  const offeringId =
    typeof idValue === 'number' ? String(idValue) : typeof idValue === 'string' ? idValue : '';
  if (!offeringId || offeringId.length > 255)
    return {
      issue: {
        field: rule ? rule.id : 'item_id',
        issue: rule
          ? `${rule.id} is required (1-255 characters) for ${type} items`
          : `an item id is required: one of ${freeformIds.join(', ')}`,
        severity: 'error',
      },
    };
  const missing = rule?.required.find(
    (f) => data[f] === undefined || data[f] === null || data[f] === '',
  );
  if (missing)
    return {
      issue: {
        item_id: offeringId,
        field: missing,
        issue: `${missing} is required for ${type} items`,
        severity: 'error',
      },
    };
  const landingUrl = httpUrl(data.landing_url ?? data.url ?? data.link);
  if (landingUrl === undefined)
    return {
      issue: {
        item_id: offeringId,
        field: 'landing_url',
        issue: 'landing_url must be an http(s) URL',
        severity: 'error',
      },
    };
  const imageUrl = httpUrl(data.image_url ?? data.image_link);
  if (imageUrl === undefined)
    return {
      issue: {
        item_id: offeringId,
        field: 'image_url',
        issue: 'image_url must be an http(s) URL',
        severity: 'error',
      },
    };
  const priceField = data.price;
  const priceObject =
    priceField && typeof priceField === 'object'
      ? (priceField as Record<string, unknown>)
      : undefined;
  const amount = priceObject ? priceObject.amount : priceField;
  const price = typeof amount === 'number' && Number.isFinite(amount) ? amount : null;
  if (amount !== undefined && amount !== null && price === null)
    return {
      issue: {
        item_id: offeringId,
        field: 'price',
        issue: 'price must be a number',
        severity: 'error',
      },
    };
  if (price !== null && price > 1e12)
    return {
      issue: {
        item_id: offeringId,
        field: 'price',
        issue: 'price must be below 10^12',
        severity: 'error',
      },
    };
  if (price !== null && price < 0)
    return {
      issue: {
        item_id: offeringId,
        field: 'price',
        issue: 'price must not be negative',
        severity: 'error',
      },
    };
  const currency = text(priceObject?.currency ?? data.currency);
  if (currency !== null && !/^[A-Za-z]{3}$/.test(currency))
    return {
      issue: {
        item_id: offeringId,
        field: 'currency',
        issue: 'currency must be an ISO 4217 code',
        severity: 'error',
      },
    };
  return {
    item: {
      offeringId,
      title: text(data[rule?.title ?? 'title']) ?? text(data.title) ?? text(data.name),
      description: text(data.description),
      price,
      currency: currency?.toUpperCase() ?? null,
      landingUrl,
      imageUrl,
      data,
      contentHash: hashOf(data),
    },
  };
}
