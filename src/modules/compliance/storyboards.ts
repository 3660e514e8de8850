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

/**
 * The storyboards that call only read-only tools (runner/read-only.ts), the scenarios they
 * require included: the only ones run at a source whose bookings would be real. Every other
 * one books a buy (schema validation and error compliance send create_media_buy too, expecting
 * refusals a source may not give). A test checks this against the SDK's storyboards.
 */
export const readOnlyStoryboards: ReadonlySet<StoryboardId> = new Set(['capability_discovery']);

/**
 * Whether a source's bookings during a run are not real: it declares a sandbox it honours
 * (get_adcp_capabilities `account.sandbox`; the storyboards book under sandbox accounts), or
 * its seller allowed booking runs there (`allowed`, compliance-settings).
 */
export const bookingsAllowed = (capabilities: CachedCapabilities | null, allowed: boolean) =>
  allowed || capabilities?.sandbox === true;

/**
 * The storyboards that apply to a source by what it says it does, and of those only the
 * read-only ones unless `bookings` (bookingsAllowed).
 */
export function storyboardsFor(
  capabilities: CachedCapabilities | null,
  options: { bookings: boolean },
): StoryboardId[] {
  const picked = applicable(capabilities);
  return options.bookings ? picked : picked.filter((id) => readOnlyStoryboards.has(id));
}

/** The storyboards that apply but are left out of a run without bookings. */
export function withheldStoryboards(capabilities: CachedCapabilities | null): StoryboardId[] {
  return applicable(capabilities).filter((id) => !readOnlyStoryboards.has(id));
}

function applicable(capabilities: CachedCapabilities | null): StoryboardId[] {
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
