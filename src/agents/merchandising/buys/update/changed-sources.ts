import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import { parseProductId } from '../../products/product-ids.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/**
 * Fields of an update that change no part of the buy at a source: the version it speaks, the
 * revision it read, and the buyer's account (each source is named its own as placed).
 */
const unchanging = new Set(['adcp_major_version', 'adcp_version', 'revision', 'account']);

/**
 * Which sources an update changes anything at: a change to the whole buy (paused, dates,
 * cancellation, invoicing, its reporting webhook) reaches each source, a package's change only
 * the source that holds the package. A source it changes nothing at is not asked: an empty
 * update_media_buy is a change the buyer never made, which a seller may refuse or log.
 */
export function changedSources(
  common: Record<string, unknown>,
  packages: readonly PackageUpdate[],
): (sourceId: string) => boolean {
  const buyWide = isBuyWide(common);
  return (sourceId) =>
    buyWide ||
    packages.some(
      (pkg) => pkg.package_id && parseProductId(pkg.package_id, [sourceId]) !== undefined,
    );
}

/** Whether an update's buy-level fields change the buy at every source holding a part. */
export const isBuyWide = (common: Record<string, unknown>) =>
  Object.entries(common).some(([field, value]) => value !== undefined && !unchanging.has(field));
