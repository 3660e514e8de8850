import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { modularParams } from '../schemas/setup.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/** What a modular source has on sale: its products as buyers get them, and their sum. */
export function catalogRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/products`,
      operationId: 'listModularInventorySourceProducts',
      summary: 'The products the source serves the Merchandising Agent (its active avails)',
      tags,
      auth: 'seller',
      params: modularParams,
      query: z.object({
        brief: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(100),
      }),
      response: z.object({
        sourceId: z.string(),
        products: z.array(z.looseObject({ product_id: z.string() })),
      }),
      handler: async ({ principal, params, query }) =>
        service.catalog.products(await service.owned(principal, params.sourceId), query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/inventory/capabilities`,
      operationId: 'getModularInventoryCapabilities',
      summary: 'What is on sale: channels, formats, currencies, flight and impressions left',
      tags,
      auth: 'seller',
      params: modularParams,
      response: z.looseObject({
        sourceId: z.string(),
        activeAvailCount: z.number().int(),
        availableImpressions: z.number(),
        channels: z.array(z.string()),
        formatIds: z.array(z.string()),
      }),
      handler: async ({ principal, params }) =>
        service.catalog.capabilities(await service.owned(principal, params.sourceId)),
    }),
  ];
}
