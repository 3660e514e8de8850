import type { ModularContext, OwnedModular } from '../context.js';
import { onSaleSummary } from './avails-store.js';
import { createSelectors, feedSelectorTypes } from './selectors.js';
import { candidateOfProduct, rankForAsk, readAsk } from '../../../sources/brief/index.js';
import { formatIdOf, formatsAgentUrlOf } from './products.js';
import { productsOnSale } from './product-set.js';

/**
 * What a modular source has on sale, as its operator sees it: the same products the storefront's
 * Merchandising Agent is served (…/modular/products), and what they add up to
 * (…/inventory/capabilities: channels, formats, currencies, capacity).
 */
export function createCatalog(ctx: ModularContext) {
  return {
    /** The collections and targeting values the avails on sale can be bought by (selectors.ts). */
    selectors: createSelectors(ctx),

    /**
     * A page of the products on sale (`offset`, `limit`), ranked for `brief` by the one brief
     * matcher as the storefront ranks them (without one: the source's own order), and how many
     * there are in all.
     */
    async products(
      owned: OwnedModular,
      query: { brief?: string | undefined; limit: number; offset?: number },
    ) {
      const onSale = await productsOnSale(ctx.db, owned.row.id, { now: ctx.now() });
      const ranked = query.brief
        ? rankForAsk(
            onSale,
            readAsk({ brief: query.brief }, ctx.now()),
            candidateOfProduct,
          ).ranked.map((r) => r.item)
        : onSale;
      const offset = query.offset ?? 0;
      // AdCP products as plain JSON objects (the wire shape the route documents loosely): a
      // spread copy is an object type, which the route's record type accepts (the SDK's
      // Product interface, having no index signature, is not).
      return {
        sourceId: owned.row.sourceId,
        products: ranked.slice(offset, offset + query.limit).map((p) => ({ ...p })),
        total: ranked.length,
      };
    },

    async capabilities(owned: OwnedModular) {
      const { totals, formatOptions, dimensions } = await onSaleSummary(
        ctx.db,
        owned.row.id,
        ctx.now(),
      );
      const formatIds = [...new Set(formatOptions.flatMap((o) => o.map(formatIdOf)))].sort();
      return {
        sourceId: owned.row.sourceId,
        executionType: 'MODULAR_SOURCE' as const,
        activeAvailCount: totals?.avails ?? 0,
        availableImpressions: Number(totals?.available ?? 0),
        channels: [...(totals?.channels ?? [])].sort(),
        currencies: [...(totals?.currencies ?? [])].sort(),
        formatIds,
        formatsAgentUrl: await formatsAgentUrlOf(ctx.db, owned.row.id),
        deliveryTypes: ['guaranteed'],
        pricingModels: ['cpm'],
        flight: {
          start: totals?.firstStart ? new Date(totals.firstStart).toISOString() : null,
          end: totals?.lastEnd ? new Date(totals.lastEnd).toISOString() : null,
        },
        booking: { ledger: owned.modular.setup.includeBookingLedger },
        // Hosted fields (FreeWheelInventoryCapabilitiesResponse), read from the avails on sale.
        selectorTypes: feedSelectorTypes.map((t) => ({ ...t })),
        targetingDimensions: [...dimensions].sort(),
        optimizationGoals: [],
      };
    },
  };
}
