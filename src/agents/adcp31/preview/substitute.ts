/**
 * Macro substitution into URL contexts, as AdCP 3.1 requires of catalog-item macros
 * (docs/creative/universal-macros#substitution-safety-catalog-item-macros; the spec's vectors:
 * compliance/test-vectors/catalog-macro-substitution.json): each value NFC-normalised, UTF-8
 * encoded, and percent-encoded so that only RFC 3986 unreserved characters stay as they are;
 * one pass over the template, so a value that itself reads like a macro is never expanded.
 */

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
export function percentEncode(value: string): string {
  // A lone surrogate has no UTF-8 form: it becomes U+FFFD rather than failing the preview.
  const text = value.replace(loneSurrogate, '\uFFFD').normalize('NFC');
  // encodeURIComponent leaves !'()* as they are; the unreserved rule escapes them too.
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `{NAME}`: an AdCP macro (enums/universal-macro.json names are upper snake case). */
const macroPattern = /\{([A-Z][A-Z0-9_]*)\}/g;

/**
 * `template` with each macro `values` knows replaced by its encoded value; a macro it does not
 * know stays as written (its value is known only at impression time).
 */
export function substituteUrl(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(macroPattern, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : percentEncode(value);
  });
}

/** A catalog item as synced: its fields are the buyer's (core/catalog.json `items`). */
export type CatalogItem = Record<string, unknown>;

/** Catalog-item macros and the item field each reads (enums/universal-macro.json). */
const itemFields: ReadonlyArray<[macro: string, field: string]> = [
  ['SKU', 'sku'],
  ['GTIN', 'gtin'],
  ['OFFERING_ID', 'offering_id'],
  ['JOB_ID', 'job_id'],
  ['HOTEL_ID', 'hotel_id'],
  ['FLIGHT_ID', 'flight_id'],
  ['VEHICLE_ID', 'vehicle_id'],
  ['LISTING_ID', 'listing_id'],
  ['STORE_ID', 'store_id'],
  ['PROGRAM_ID', 'program_id'],
  ['DESTINATION_ID', 'destination_id'],
  ['APP_ITEM_ID', 'app_item_id'],
  ['ITEM_NAME', 'title'],
  ['ITEM_DESCRIPTION', 'description'],
  ['ITEM_TAGLINE', 'tagline'],
];

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * The macro values one catalog item binds: its own fields, its price, the catalog's id, and its
 * `item_id` as the id the catalog's `content_id_type` names (a `sku` catalog's item ids are SKUs).
 */
export function itemMacros(
  catalog: { catalogId: string; contentIdType?: string },
  item: CatalogItem,
): Map<string, string> {
  const values = new Map<string, string>([['CATALOG_ID', catalog.catalogId]]);
  for (const [macro, field] of itemFields) {
    const value = scalar(item[field]);
    if (value !== undefined) values.set(macro, value);
  }
  const itemId = scalar(item['item_id']);
  const idMacro = catalog.contentIdType?.toUpperCase();
  if (itemId !== undefined && idMacro && !values.has(idMacro)) values.set(idMacro, itemId);
  const price = item['price'];
  if (price && typeof price === 'object') {
    const { amount, currency } = price as Record<string, unknown>;
    if (scalar(amount) !== undefined) values.set('ITEM_PRICE', scalar(amount)!);
    if (scalar(currency) !== undefined) values.set('ITEM_PRICE_CURRENCY', scalar(currency)!);
  }
  return values;
}
