import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { modularParams } from '../schemas/setup.js';
import {
  completeWorkItemBody,
  storefrontWorkItemParams,
  storefrontWorkItemQuery,
  storefrontWorkItemsSchema,
  updateWorkItemBody,
  workItemParams,
  workItemQuery,
  workItemSchema,
} from '../schemas/work-items.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

const changedSchema = z.object({ ok: z.literal(true), item: workItemSchema, changed: z.boolean() });

/** The human work queue: what no module automates, listed, claimed, updated and completed. */
export function workItemRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/work-items',
      operationId: 'listStorefrontWorkItems',
      summary: 'Every open work item of every source of the storefront, with counts',
      description:
        'The storefront’s whole queue (an Interchange addition): the most pressing first (HIGH ' +
        'priority, then the nearest deadline, then the oldest), each with its source and the ' +
        'media buy it is about; countsByKind and countsBySource count every item matching the ' +
        'statuses (default OPEN, IN_PROGRESS, BLOCKED). Complete an item on its source.',
      tags,
      auth: 'seller',
      query: storefrontWorkItemQuery,
      response: storefrontWorkItemsSchema,
      handler: ({ principal, query }) => service.storefrontQueue.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/work-items/:workItemId/complete',
      operationId: 'completeStorefrontWorkItem',
      summary: 'Complete any work item of the storefront by its id',
      description:
        'An Interchange addition: a modular source’s item completes as on its source (its ' +
        'contract’s result and side effects); another source kind’s item (an ad-server order ' +
        'to take down by hand) records that the work is done, with notes. 409 once finished.',
      tags,
      auth: 'seller',
      params: storefrontWorkItemParams,
      body: completeWorkItemBody,
      response: changedSchema,
      handler: ({ principal, params, body }) =>
        service.sourceWorkQueue.complete(principal, params.workItemId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/work-items`,
      operationId: 'listModularInventorySourceWorkItems',
      summary: "A source's work items, oldest first (status, kind, media buy filters)",
      tags,
      auth: 'seller',
      params: modularParams,
      query: workItemQuery,
      response: z.object({
        items: z.array(workItemSchema),
        total: z.number().int(),
        scanned: z.number().int(),
        windowFull: z.boolean(),
      }),
      handler: async ({ principal, params, query }) =>
        service.workItems.list(await service.owned(principal, params.sourceId), query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/work-items/:workItemId`,
      operationId: 'getModularInventorySourceWorkItem',
      summary: 'A work item with its events and the result fields completing it needs',
      tags,
      auth: 'seller',
      params: workItemParams,
      response: z.object({
        item: workItemSchema,
        events: z.array(z.looseObject({ id: z.string(), eventType: z.string() })),
        requiredResultFields: z.array(z.string()),
      }),
      handler: async ({ principal, params }) =>
        service.workItems.get(await service.owned(principal, params.sourceId), params.workItemId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:sourceId/modular/work-items/:workItemId`,
      operationId: 'updateModularInventorySourceWorkItem',
      summary: 'Claim, assign, block or note an open work item (a finished one: 409)',
      tags,
      auth: 'seller',
      params: workItemParams,
      body: updateWorkItemBody,
      response: changedSchema,
      handler: async ({ principal, params, body }) =>
        service.workItems.update(
          await service.owned(principal, params.sourceId),
          principal,
          params.workItemId,
          body,
        ),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/work-items/:workItemId/complete`,
      operationId: 'completeModularInventorySourceWorkItem',
      summary: "Complete a work item with its contract's result; its side effects apply once",
      description:
        'CONFIRM_AVAILS books the holds and activates the buy (result.decision "reject" declines ' +
        'it); TRAFFIC_TO_* records result.upstreamCampaignId; MAP_CREATIVE_REF records ' +
        'result.creativeRef; UPLOAD_FINAL_REPORT turns result.rows or result.csvText into delivery.',
      tags,
      auth: 'seller',
      params: workItemParams,
      body: completeWorkItemBody,
      response: changedSchema,
      handler: async ({ principal, params, body }) =>
        service.workItems.complete(
          await service.owned(principal, params.sourceId),
          principal,
          params.workItemId,
          body,
        ),
    }),
  ];
}
