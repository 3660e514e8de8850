import { defineRoute } from '../../platform/http/route.js';
import {
  buyerMediaBuyListQuery,
  buyerMediaBuyListSchema,
  mediaBuyListQuery,
  mediaBuyListSchema,
  mediaBuyTimelineParams,
  mediaBuyTimelineSchema,
} from './schemas.js';
import type { StorefrontMediaBuysService } from './service.js';

const base = '/api/v2/storefront';

/**
 * The storefront's media buys as its seller reads them: the list and one buy's timeline (under
 * the Seller analytics tag, as they were published).
 */
export function storefrontMediaBuyRoutes(mediaBuys: StorefrontMediaBuysService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/media-buys`,
      operationId: 'storefrontMediaBuys.list',
      summary: 'Every media buy placed through the storefront, urgent first',
      tags: ['Seller analytics'],
      auth: 'seller',
      query: mediaBuyListQuery,
      response: mediaBuyListSchema,
      handler: ({ principal, query }) =>
        mediaBuys.listMediaBuys(
          principal,
          {
            status: query.status,
            buyerCustomerId: query.buyerCustomerId,
            sourceId: query.sourceId,
            flightStartFrom: query.flightStartFrom,
            flightStartTo: query.flightStartTo,
          },
          { skip: query.skip, take: query.take },
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/media-buys',
      operationId: 'listBuyerMediaBuys',
      summary: 'Your media buys, whatever surface made them, newest first',
      description:
        'An Interchange addition: your campaigns’ buys and the buys you placed straight on a ' +
        'storefront’s AdCP agent (MCP or A2A) with your key, each once (origin says which). ' +
        'A buy a storefront refused outright is not listed: no buy exists.',
      tags: ['Media buys'],
      auth: 'customer',
      query: buyerMediaBuyListQuery,
      response: buyerMediaBuyListSchema,
      handler: ({ principal, query }) => mediaBuys.listBuyerMediaBuys(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/media-buys/:mediaBuyId/timeline`,
      operationId: 'storefrontMediaBuys.timeline',
      summary: 'One media buy’s timeline: stages with their outcome events, and its legs',
      tags: ['Seller analytics'],
      auth: 'seller',
      params: mediaBuyTimelineParams,
      response: mediaBuyTimelineSchema,
      handler: ({ principal, params }) => mediaBuys.mediaBuyTimeline(principal, params.mediaBuyId),
    }),
  ];
}
