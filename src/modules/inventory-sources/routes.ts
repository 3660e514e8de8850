import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import { createSourceBody, sourceParams, sourceSchema, updateSourceBody } from './schemas.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { InventorySourcesService } from './service.js';

const tags = ['Inventory sources'];
const base = '/api/v2/storefront/inventory-sources';

/**
 * A kind whose refresh is its own (an ad-server source starts a sync run): answers undefined for
 * a source that is not of its kind, which is then re-probed as usual.
 */
export interface KindRefresh {
  schema: z.ZodType;
  refresh(
    principal: CustomerPrincipal,
    sourceId: string,
    options: { full?: boolean },
  ): Promise<unknown>;
}

/** Interchange addition: `?full=true` asks an ad-server source for a full sync, not an incremental one. */
const refreshQuery = z.object({
  full: z
    .enum(['true', 'false'])
    .optional()
    .describe('Ad-server sources: a full inventory sync rather than an incremental one'),
});

/** The seller's inventory sources; the storefront comes from the API key. */
export function inventorySourceRoutes(sources: InventorySourcesService, kindRefresh?: KindRefresh) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'inventorySources.list',
      summary: "List the storefront's inventory sources (totals in meta.pagination)",
      tags,
      auth: 'seller',
      response: z.array(sourceSchema),
      handler: async ({ principal, meta }) => {
        const items = await sources.list(principal);
        meta.pagination = { skip: 0, take: items.length, total: items.length, hasMore: false };
        return items;
      },
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'inventorySources.create',
      summary: 'Register an AGENT inventory source (starts PENDING; probed before the answer)',
      description:
        'The endpoint must be an AdCP sales agent over MCP or A2A. Its capabilities are probed ' +
        'with get_adcp_capabilities within the probe timeout; failures are recorded in health, ' +
        'not returned as errors. Credentials in auth are encrypted and never returned.',
      tags,
      auth: 'seller',
      status: 201,
      body: createSourceBody,
      response: sourceSchema,
      handler: ({ principal, body }) => sources.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId`,
      operationId: 'inventorySources.get',
      summary: 'Get one inventory source',
      tags,
      auth: 'seller',
      params: sourceParams,
      response: sourceSchema,
      handler: ({ principal, params }) => sources.get(principal, params.sourceId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:sourceId`,
      operationId: 'inventorySources.update',
      summary: 'Update an AGENT source (partial); status PENDING→ACTIVE|DISABLED, ACTIVE↔DISABLED',
      description:
        'Going ACTIVE re-probes the agent and is refused (400) unless the probe succeeds with the ' +
        'configured credentials, or the source requires buyer credentials and the agent asks for them.',
      tags,
      auth: 'seller',
      params: sourceParams,
      body: updateSourceBody,
      response: sourceSchema,
      handler: ({ principal, params, body }) => sources.update(principal, params.sourceId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:sourceId`,
      operationId: 'inventorySources.delete',
      summary: 'Remove an inventory source (its sourceId becomes free again)',
      tags,
      auth: 'seller',
      params: sourceParams,
      response: sourceSchema,
      handler: ({ principal, params }) => sources.remove(principal, params.sourceId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/refresh`,
      operationId: 'inventorySources.refresh',
      summary:
        "Re-probe the source's capabilities now (an ad-server source: start an inventory sync run)",
      tags,
      auth: 'seller',
      params: sourceParams,
      query: refreshQuery,
      response: kindRefresh ? z.union([sourceSchema, kindRefresh.schema]) : sourceSchema,
      handler: async ({ principal, params, query }) =>
        (await kindRefresh?.refresh(principal, params.sourceId, { full: query.full === 'true' })) ??
        sources.refresh(principal, params.sourceId),
    }),
  ];
}
