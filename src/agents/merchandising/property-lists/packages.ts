import { AdcpError } from '@adcp/sdk/server';
import type { InventorySource } from '../../../sources/port.js';
import { listRefsOf, outsideLists } from '../../../sources/property-lists/index.js';
import type { MerchandisingDeps } from '../deps.js';
import { parseProductId } from '../products/product-ids.js';
import type { Product } from '../types.js';
import { listOwnerOf, resolveListsOf } from './resolve.js';

interface ListedPackage {
  product_id: string;
  targeting_overlay?: unknown;
}

/**
 * Whether a package names a property list, so create_media_buy's check below reads its product
 * (a malformed one is the check's to refuse, so it counts too).
 */
export function namesPropertyList(pkg: { targeting_overlay?: unknown }): boolean {
  const read = listRefsOf(pkg.targeting_overlay, '');
  return !read.ok || Object.keys(read.refs).length > 0;
}

/**
 * create_media_buy's check of the property lists in each package's targeting_overlay, before the
 * buy is recorded: a package whose source cannot filter by property is refused
 * UNSUPPORTED_FEATURE, one whose product serves outside its lists VALIDATION_ERROR (the spec's
 * "validation error"), each with the list's field (packages[i].targeting_overlay.property_list).
 * Each product is as the buy's "describe the packages" step had its source describe it
 * (`described`: wholesale, under the buy's account, as the buy books it), never asked again.
 */
export async function refuseOutsideLists(
  deps: Pick<MerchandisingDeps, 'propertyLists'>,
  packages: readonly ListedPackage[],
  sources: readonly InventorySource[],
  { customerId, sandbox }: { customerId: number; sandbox?: boolean },
  described: (productId: string) => Product | undefined,
): Promise<void> {
  const resolver = deps.propertyLists;
  const sourceIds = sources.map((port) => port.source.sourceId);
  for (const [index, pkg] of packages.entries()) {
    const path = `packages[${index}].targeting_overlay`;
    const lists = await resolveListsOf(
      resolver,
      listOwnerOf(customerId),
      pkg.targeting_overlay,
      path,
      { sandbox },
    );
    if (!lists) continue;
    const field = (lists.include ?? lists.exclude)!.field;
    const owner = parseProductId(pkg.product_id, sourceIds);
    const port = owner && sources.find((source) => source.source.sourceId === owner.sourceId);
    if (!owner || !port?.filtersByProperty) {
      throw new AdcpError('UNSUPPORTED_FEATURE', {
        message: `Product ${pkg.product_id} cannot be bought with a property list: its source does not say where its products serve`,
        field,
      });
    }
    const product = described(pkg.product_id);
    if (!product) {
      throw new AdcpError('PRODUCT_NOT_FOUND', {
        message: `Product ${pkg.product_id} is not offered now, so it cannot be checked against the property list`,
        field: `packages[${index}].product_id`,
      });
    }
    const outside = outsideLists(product, lists);
    if (outside !== undefined) {
      throw new AdcpError('VALIDATION_ERROR', {
        message: `Product ${pkg.product_id} serves outside the property list: ${outside}`,
        field,
      });
    }
  }
}
