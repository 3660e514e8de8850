import { isRecord } from '../../platform/is-record.js';

/*
 * A source is asked in the release it speaks (issue 49 item 1): one that speaks only AdCP 3.0 is
 * asked as a 3.0 caller asks, whichever release the buyer behind the call speaks. A 3.1 buyer's
 * request reaches it without 3.1's release pin and without what only 3.1 callers send (3.1.19
 * beside @adcp/sdk's 3.0.6); what the storefront does with those itself (3.1's filters it
 * applies to every source's answer, merchandising/products/filters/filters31.ts) is unchanged.
 */

/** What AdCP 3.1 adds to every request: the release pin (core/version-envelope.json). */
const envelope31 = ['adcp_version'] as const;

/** get_products request fields 3.1 added (media-buy/get-products-request.json). */
const getProducts31 = [
  'if_wholesale_feed_version',
  'if_pricing_version',
  'push_notification_config',
  // 3.1 lets a read carry an idempotency key; a 3.0 read has none.
  'idempotency_key',
] as const;

/** Product filters 3.1 added (core/product-filters.json; its `ext` a 3.0 source may read). */
const filters31 = [
  'audio_distribution_types',
  'pricing_currencies',
  'required_metrics',
  'required_vendor_metrics',
  'social_placement_surfaces',
  'sponsored_placement_types',
  'video_placement_types',
] as const;

type Json = Record<string, unknown>;

function without(record: Json, fields: readonly string[]): Json {
  if (!fields.some((field) => field in record)) return record;
  const kept = { ...record };
  for (const field of fields) delete kept[field];
  return kept;
}

/**
 * `args` of `tool` as a 3.0 caller sends them: without 3.1's pin and, on get_products, its
 * feed and pricing versions, push config, read key and filters. Itself when it has none.
 */
export function requestFor30(tool: string, args: Json): Json {
  if (tool !== 'get_products') return without(args, envelope31);
  const asked = without(args, [...envelope31, ...getProducts31]);
  const filters = asked['filters'];
  if (!isRecord(filters)) return asked;
  const kept = without(filters, filters31);
  return kept === filters ? asked : { ...asked, filters: kept };
}
