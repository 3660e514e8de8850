import type { CachedCapabilities } from '../inventory-sources/index.js';

/**
 * The AdCP storyboards Interchange runs against a source, chosen by what it says it does (its
 * cached capability probe): capability discovery always; for a seller of media (get_products
 * and create_media_buy) the media-buy seller storyboard, schema validation, error compliance and
 * idempotency; and the sales specialism it declares (guaranteed, non-guaranteed). The runner
 * also runs the scenarios a storyboard requires (media_buy_seller/*).
 */
export const storyboardTitles = {
  capability_discovery: 'Capability discovery',
  media_buy_seller: 'Media buy seller',
  sales_non_guaranteed: 'Non-guaranteed sales',
  sales_guaranteed: 'Guaranteed sales',
  schema_validation: 'Schema validation',
  error_compliance: 'Error compliance',
  idempotency: 'Idempotency',
} as const;
export type StoryboardId = keyof typeof storyboardTitles;

export function storyboardsFor(capabilities: CachedCapabilities | null): StoryboardId[] {
  const picked: StoryboardId[] = ['capability_discovery'];
  if (!capabilities) return picked;
  const tools = new Set(capabilities.tools);
  const sells = tools.has('get_products');
  const books = tools.has('create_media_buy');
  if (sells && books) picked.push('media_buy_seller');
  const specialisms = new Set(capabilities.specialisms);
  if (books && specialisms.has('sales-non-guaranteed')) picked.push('sales_non_guaranteed');
  if (books && specialisms.has('sales-guaranteed')) picked.push('sales_guaranteed');
  if (sells) picked.push('schema_validation');
  if (sells || books) picked.push('error_compliance');
  if (books) picked.push('idempotency');
  return picked;
}
