import { defineRoute } from '../../../platform/http/route.js';
import {
  listMediaBuysQuery,
  mediaBuyActionAnswer,
  mediaBuyAnswer,
  mediaBuyPageSchema,
  mediaBuyPatchAnswer,
  packagesAnswer,
  patchMediaBuyBody,
} from './schemas.js';
import { advertiserMediaBuyParams, advertiserParams, mediaBuyParams } from '../schema-fields.js';
import type { CampaignsService } from '../service.js';

const tags = ['Media buys'];
const base = '/api/v2/buyer/media-buys';

/** A buyer's media buys (seed 004 and the hosted /media-buys family); another's answer 404. */
export function mediaBuyRoutes(campaigns: CampaignsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/advertisers/:advertiserId/media-buys',
      operationId: 'listAdvertiserMediaBuys',
      summary: 'List an advertiser’s media buys (newest first; limit/offset; status filter)',
      description:
        'Statuses: DRAFT, PENDING_APPROVAL, INPUT_REQUIRED, ACTIVE, PAUSED, COMPLETED, FAILED, ' +
        'REJECTED, ARCHIVED, CANCELED (docs/buying.md maps them from the sellers’ AdCP statuses).',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: listMediaBuysQuery,
      response: mediaBuyPageSchema,
      handler: ({ principal, params, query }) =>
        campaigns.listMediaBuys(principal, params.advertiserId, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/advertisers/:advertiserId/media-buys/:mediaBuyId',
      operationId: 'getAdvertiserMediaBuy',
      summary: 'Get one of an advertiser’s media buys',
      tags,
      auth: 'customer',
      params: advertiserMediaBuyParams,
      response: mediaBuyAnswer,
      handler: ({ principal, params }) =>
        campaigns.getAdvertiserMediaBuy(principal, params.advertiserId, params.mediaBuyId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:mediaBuyId`,
      operationId: 'getMediaBuy',
      summary: 'Get a media buy: status, why it is pending, the seller’s message',
      tags,
      auth: 'customer',
      params: mediaBuyParams,
      response: mediaBuyAnswer,
      handler: ({ principal, params }) => campaigns.getMediaBuy(principal, params.mediaBuyId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:mediaBuyId`,
      operationId: 'updateMediaBuy',
      summary: 'Change a media buy (name, flight, package budgets and bids)',
      description:
        'A placed buy is changed at its seller first (update_media_buy); the change is recorded once ' +
        'the seller accepts it (a seller still reviewing it is reported in warnings).',
      tags,
      auth: 'customer',
      params: mediaBuyParams,
      body: patchMediaBuyBody,
      response: mediaBuyPatchAnswer,
      handler: ({ principal, params, body }) =>
        campaigns.patchMediaBuy(principal, params.mediaBuyId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:mediaBuyId/packages`,
      operationId: 'getMediaBuyPackages',
      summary: 'A media buy’s packages',
      tags,
      auth: 'customer',
      params: mediaBuyParams,
      response: packagesAnswer,
      handler: ({ principal, params }) => campaigns.mediaBuyPackages(principal, params.mediaBuyId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:mediaBuyId/pause`,
      operationId: 'pauseMediaBuy',
      summary: 'Pause one ACTIVE media buy at its seller',
      tags,
      auth: 'customer',
      params: mediaBuyParams,
      response: mediaBuyActionAnswer,
      handler: ({ principal, params }) => campaigns.pauseMediaBuy(principal, params.mediaBuyId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:mediaBuyId/reactivate`,
      operationId: 'reactivateMediaBuy',
      summary: 'Resume one PAUSED media buy at its seller',
      tags,
      auth: 'customer',
      params: mediaBuyParams,
      response: mediaBuyActionAnswer,
      handler: ({ principal, params }) =>
        campaigns.reactivateMediaBuy(principal, params.mediaBuyId),
    }),
  ];
}
