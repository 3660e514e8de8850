import type { ModularContext, OwnedModular } from '../context.js';
import { onSaleSummary } from './avails-store.js';
import { createSelectors, feedSelectorTypes } from './selectors.js';
import { formatIdOf, formatsAgentUrlOf, maxProductsPerAnswer } from './products.js';
import { productsForBrief } from './product-set.js';

/**
 * What a modular source has on sale, as its operator sees it: the same products the storefront's
 * Merchandising Agent is served (…/modular/products), and what they add up to
 * (…/inventory/capabilities: channels, formats, currencies, capacity).
 */
export function createCatalog(ctx: ModularContext) {
  return {
    /** The collections and targeting values the avails on sale can be bought by (selectors.ts). */
    selectors: createSelectors(ctx),

    async products(owned: OwnedModular, query: { brief?: string | undefined; limit?: number }) {
      const found = await productsForBrief(ctx.db, owned.row.id, {
        brief: query.brief,
        limit: Math.min(query.limit ?? maxProductsPerAnswer, maxProductsPerAnswer),
        now: ctx.now(),
      });
      // AdCP products as plain JSON objects (the wire shape the route documents loosely): a
      // spread copy is an object type, which the route's record type accepts (the SDK's
      // Product interface, having no index signature, is not).
      return { sourceId: owned.row.sourceId, products: found.map((p) => ({ ...p })) };
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
        selectorTypes: feedSelectorTypes,
        targetingDimensions: [...dimensions].sort(),
        optimizationGoals: [],
      };
    },
  };
}
