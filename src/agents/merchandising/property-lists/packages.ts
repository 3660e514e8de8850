import { AdcpError } from '@adcp/sdk/server';
import type { InventorySource } from '../../../sources/port.js';
import { outsideLists } from '../../../sources/property-lists/index.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../deps.js';
import { parseProductId } from '../products/product-ids.js';
import { listOwnerOf, resolveListsOf } from './resolve.js';

interface ListedPackage {
  product_id: string;
  targeting_overlay?: unknown;
}

/**
 * create_media_buy's check of the property lists in each package's targeting_overlay, before the
 * buy is recorded: a package whose source cannot filter by property is refused
 * UNSUPPORTED_FEATURE, one whose product serves outside its lists VALIDATION_ERROR (the spec's
 * "validation error"), each with the list's field (packages[i].targeting_overlay.property_list).
 */
export async function refuseOutsideLists(
  deps: Pick<MerchandisingDeps, 'propertyLists' | 'sourceBudgetMs'>,
  packages: readonly ListedPackage[],
  sources: readonly InventorySource[],
  { customerId }: { customerId: number },
): Promise<void> {
  const resolver = deps.propertyLists;
  const budgetMs = deps.sourceBudgetMs ?? defaultSourceBudgetMs;
  const sourceIds = sources.map((port) => port.source.sourceId);
  for (const [index, pkg] of packages.entries()) {
    const path = `packages[${index}].targeting_overlay`;
    const lists = await resolveListsOf(
      resolver,
      listOwnerOf(customerId),
      pkg.targeting_overlay,
      path,
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
    const offered = await port.getProducts(
      { buying_mode: 'wholesale' },
      { customerId, budgetMs, reuse: true },
    );
    const product = offered.ok
      ? offered.data.products.find((p) => p.product_id === owner.upstreamProductId)
      : undefined;
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
