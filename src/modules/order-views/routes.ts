import type { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import type { FastifyInstance } from 'fastify';
import { registerSignedCsvDownloads } from '../../platform/http/signed-download.js';
import { ordersDownloadBase } from './order-download.js';
import {
  buyerMediaBuyListQuery,
  mediaBuyExportSchema,
  mediaBuyFilterQuery,
  buyerMediaBuyListSchema,
  mediaBuyListQuery,
  mediaBuyListSchema,
  mediaBuyTimelineParams,
  mediaBuyTimelineSchema,
} from './schemas.js';
import type { StorefrontMediaBuysService } from './service.js';

const base = '/api/v2/storefront';

const filterOf = (query: z.infer<typeof mediaBuyFilterQuery>) => ({
  status: query.status,
  buyerCustomerId: query.buyerCustomerId,
  sourceId: query.sourceId,
  flightStartFrom: query.flightStartFrom,
  flightStartTo: query.flightStartTo,
});

/** The CSV behind an orders download link (its signature is the credential). */
export function registerOrderDownloads(
  app: FastifyInstance,
  mediaBuys: StorefrontMediaBuysService,
) {
  registerSignedCsvDownloads(app, ordersDownloadBase, (signedPath) =>
    mediaBuys.ordersDownload(signedPath),
  );
}

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
        mediaBuys.listMediaBuys(principal, filterOf(query), {
          skip: query.skip,
          take: query.take,
          cursor: query.cursor,
        }),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/media-buys/export`,
      operationId: 'storefrontMediaBuys.export',
      summary: 'A signed, expiring CSV download of the media buys the filters select',
      description:
        'An Interchange addition: the same filters as the list; the link is the credential ' +
        '(no API key), and the CSV holds every row the filters select when it is fetched.',
      tags: ['Seller analytics'],
      auth: 'seller',
      query: mediaBuyFilterQuery,
      response: mediaBuyExportSchema,
      handler: ({ principal, query }) => mediaBuys.exportMediaBuys(principal, filterOf(query)),
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
