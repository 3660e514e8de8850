import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { selectorTypes } from '../buys/selectors.js';
import { capabilitiesSchema } from '../schemas/responses.js';
import { modularParams } from '../schemas/setup.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/**
 * What a modular source has on sale: its products as buyers get them, their sum, and the
 * selectors (collections, targeting values) they can be bought by.
 */
export function catalogRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/products`,
      operationId: 'listModularInventorySourceProducts',
      summary:
        'A page of the products the source serves the Merchandising Agent (its active avails), ranked for the brief; `total` counts them all',
      tags,
      auth: 'seller',
      params: modularParams,
      query: z.object({
        brief: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(100),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      response: z.object({
        sourceId: z.string(),
        products: z.array(z.looseObject({ product_id: z.string() })),
        total: z.number().int(),
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
      response: capabilitiesSchema,
      handler: async ({ principal, params }) =>
        service.catalog.capabilities(await service.owned(principal, params.sourceId)),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/inventory/selectors`,
      operationId: 'searchModularInventorySelectors',
      summary:
        'Search the selectors the active avails can be bought by: collections (site_group) and their targeting values (standard_attribute)',
      tags,
      auth: 'seller',
      params: modularParams,
      query: z.object({
        selectorType: z.enum(selectorTypes),
        q: z.string().max(200).optional(),
        query: z.string().max(200).optional(),
        parentId: z.string().min(1).max(200).optional(),
        cursor: z
          .string()
          .regex(/^\d{1,9}$/, 'cursor is a nextCursor this operation answered')
          .optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      response: z.object({
        items: z.array(
          z.object({
            selectorType: z.enum(selectorTypes),
            externalId: z.string(),
            name: z.string(),
            path: z.array(z.string()),
            parentId: z.string().nullable(),
            status: z.string().nullable(),
            hasChildren: z.boolean(),
            metadata: z.record(z.string(), z.unknown()),
          }),
        ),
        nextCursor: z.string().nullable(),
        count: z.number().int(),
      }),
      handler: async ({ principal, params, query }) =>
        service.catalog.selectors(await service.owned(principal, params.sourceId), {
          selectorType: query.selectorType,
          q: query.q ?? query.query,
          parentId: query.parentId,
          cursor: query.cursor,
          limit: query.limit,
        }),
    }),
  ];
}
