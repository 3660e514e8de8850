import type { SourceAnswer, SourceCall } from '../../modules/inventory-sources/index.js';
import type { ModularKindParts } from '../../modules/modular-sources/index.js';
import type { StoredSourceRow } from '../../modules/inventory-sources/index.js';
import { BuyRefused, isSandboxAvailId } from '../../modules/modular-sources/index.js';
import { isRecord } from '../../platform/is-record.js';

/**
 * A spreadsheet source's part in sandbox accounts (issue 70, item 2): its testController takes a
 * sandbox buyer's seed_product and seed_pricing_option as a sandbox avail in its own ledger
 * (modules/modular-sources/sandbox/), listed to that buyer's sandbox accounts only, and a
 * sandbox buy names it by the id it was seeded with; simulate_delivery and simulate_budget_spend
 * on that buyer's sandbox buy write its delivery, force_media_buy_status sets its status
 * (sandbox/simulated.ts). A live call never
 * reaches one.
 */
export function modularSandbox(seeds: ModularKindParts['sandbox'], row: StoredSourceRow) {
  return {
    /** The source's comply_test_controller, for the storefront's sandbox buyers only. */
    async testController(
      request: Record<string, unknown>,
      call: SourceCall,
    ): Promise<SourceAnswer<Record<string, unknown>>> {
      if (call.customerId === null || call.sandbox !== true) {
        const detail = 'comply_test_controller serves sandbox accounts only';
        return { ok: true, data: { success: false, error: 'FORBIDDEN', error_detail: detail } };
      }
      const scenario = request['scenario'];
      const params = isRecord(request['params']) ? request['params'] : {};
      if (scenario === 'simulate_delivery' || scenario === 'simulate_budget_spend') {
        return { ok: true, data: await seeds.simulate(row, call.customerId, scenario, params) };
      }
      if (scenario === 'force_media_buy_status') {
        return { ok: true, data: await seeds.force(row, call.customerId, params) };
      }
      return { ok: true, data: await seeds.seed(row, call.customerId, request) };
    },

    /** The buyer's sandbox avails as products, on a sandbox account's call; else none. */
    productsFor(call: SourceCall) {
      return call.customerId !== null && call.sandbox === true
        ? seeds.products(row, call.customerId)
        : Promise.resolve([]);
    },

    /**
     * A buy's packages as the ledger books them: on a sandbox account's call, a product the buyer
     * seeded here is its sandbox avail; a live call naming a sandbox avail's own id is refused.
     */
    async packagesFor<P extends { productId: string; pricingOptionId: string }>(
      customerId: number,
      call: SourceCall,
      packages: P[],
    ): Promise<P[]> {
      if (call.sandbox === true) return seeds.asStored(row, customerId, packages);
      const at = packages.findIndex((p) => isSandboxAvailId(p.productId));
      if (at >= 0) {
        throw new BuyRefused(
          'PRODUCT_NOT_FOUND',
          `Product ${packages[at]!.productId.slice(0, 128)} is not on sale`,
          {},
          `packages[${at}].product_id`,
        );
      }
      return packages;
    },
  };
}
