import { and, eq, gt, sql } from 'drizzle-orm';
import type { ModularContext, OwnedModular } from '../context.js';
import { modularAvails } from '../tables.js';
import { createSelectors, feedSelectorTypes } from './selectors.js';
import {
  availableSql,
  formatIdOf,
  formatsAgentUrlOf,
  maxProductsPerAnswer,
  productsForBrief,
} from './products.js';

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
      // AdCP products as plain JSON objects (the wire shape the route documents loosely).
      const products = found as unknown as Array<Record<string, unknown> & { product_id: string }>;
      return { sourceId: owned.row.sourceId, products };
    },

    async capabilities(owned: OwnedModular) {
      const onSale = and(
        eq(modularAvails.inventorySourceId, owned.row.id),
        eq(modularAvails.active, true),
        gt(modularAvails.endTime, ctx.now()),
      );
      const [totals] = await ctx.db
        .select({
          avails: sql<number>`count(*)::int`,
          available: sql<number>`coalesce(sum(${availableSql}), 0)::float8`,
          channels: sql<
            string[]
          >`coalesce(array_agg(distinct ${modularAvails.channel}) filter (where ${modularAvails.channel} is not null), '{}')`,
          currencies: sql<
            string[]
          >`coalesce(array_agg(distinct ${modularAvails.currency}) filter (where ${modularAvails.currency} is not null), '{}')`,
          firstStart: sql<string | null>`min(${modularAvails.startTime})::text`,
          lastEnd: sql<string | null>`max(${modularAvails.endTime})::text`,
        })
        .from(modularAvails)
        .where(onSale);
      const formats = await ctx.db
        .selectDistinct({ options: modularAvails.formatOptions })
        .from(modularAvails)
        .where(onSale)
        .limit(1000);
      const dimensions = await ctx.db
        .selectDistinct({ key: sql<string>`jsonb_object_keys(${modularAvails.targeting})` })
        .from(modularAvails)
        .where(onSale)
        .limit(500);
      const formatIds = [...new Set(formats.flatMap((f) => f.options.map(formatIdOf)))].sort();
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
        targetingDimensions: dimensions.map((d) => d.key).sort(),
        optimizationGoals: [],
      };
    },
  };
}
