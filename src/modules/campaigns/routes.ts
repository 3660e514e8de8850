import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  campaignListSchema,
  campaignProductsAnswer,
  campaignSchema,
  cascadeAnswer,
  executeAnswer,
  mediaBuyStatusAnswer,
} from './campaign/answers.js';
import {
  createCampaignBody,
  executeBody,
  getCampaignQuery,
  listCampaignsQuery,
  updateCampaignBody,
} from './campaign/inputs.js';
import { campaignParams } from './schema-fields.js';
import type { CampaignsService } from './service.js';
import { mediaBuyRoutes } from './buys/routes.js';
import { taskRoutes } from './tasks/routes.js';

const tags = ['Campaigns'];
const base = '/api/v2/buyer/campaigns';

/** A buyer's campaigns (seed 004, issue 14); another customer's answer 404. */
export function campaignRoutes(campaigns: CampaignsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listCampaigns',
      summary: 'List campaigns (newest first; take/skip)',
      description:
        'Filters: advertiserId, name (case-insensitive partial), status (one, several or ALL).',
      tags,
      auth: 'customer',
      query: listCampaignsQuery,
      response: campaignListSchema,
      handler: ({ principal, query }) => campaigns.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createCampaign',
      summary: 'Create a campaign (DRAFT) for one of your advertisers',
      description:
        'discoveryId ties a discovery session to it: the products selected there are what execute books. ' +
        'Only discovery-mode campaigns are built.',
      tags,
      auth: 'customer',
      status: 201,
      body: createCampaignBody,
      response: campaignSchema,
      handler: ({ principal, body }) => campaigns.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:campaignId`,
      operationId: 'getCampaign',
      summary: 'Get a campaign with its media buys',
      tags,
      auth: 'customer',
      params: campaignParams,
      query: getCampaignQuery,
      response: campaignSchema,
      handler: ({ principal, params, query }) => campaigns.get(principal, params.campaignId, query),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:campaignId`,
      operationId: 'updateCampaign',
      summary: 'Update a campaign (fields left out stay as they are)',
      tags,
      auth: 'customer',
      params: campaignParams,
      body: updateCampaignBody,
      response: campaignSchema,
      handler: ({ principal, params, body }) =>
        campaigns.update(principal, params.campaignId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:campaignId`,
      operationId: 'deleteCampaign',
      summary: 'Delete a campaign nothing was booked for (409 once it has media buys)',
      description:
        'Answers 200 with {campaignId, deleted: true} in the envelope (the hosted docs print 204).',
      tags,
      auth: 'customer',
      params: campaignParams,
      response: z.object({ campaignId: z.string(), deleted: z.literal(true) }),
      handler: async ({ principal, params }) => {
        await campaigns.remove(principal, params.campaignId);
        return { campaignId: params.campaignId, deleted: true as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:campaignId/execute`,
      operationId: 'executeCampaign',
      summary: 'Execute a campaign: one create_media_buy per storefront agent',
      description:
        'Each agent’s buy is claimed in the database before the agent is called and carries one ' +
        'idempotency key per (campaign, agent), so retried or concurrent executes book once per agent. ' +
        'Failures are reported per buy in errors while the others proceed; executing again retries ' +
        'only the buys not placed.',
      tags,
      auth: 'customer',
      params: campaignParams,
      body: executeBody,
      response: executeAnswer,
      handler: ({ principal, params }) => campaigns.execute(principal, params.campaignId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:campaignId/pause`,
      operationId: 'pauseCampaign',
      summary: 'Pause an ACTIVE campaign (update_media_buy paused on every active buy)',
      tags,
      auth: 'customer',
      params: campaignParams,
      response: cascadeAnswer,
      handler: ({ principal, params }) => campaigns.pause(principal, params.campaignId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:campaignId/reactivate`,
      operationId: 'reactivateCampaign',
      summary: 'Reactivate a PAUSED campaign (resumes every paused buy)',
      tags,
      auth: 'customer',
      params: campaignParams,
      response: cascadeAnswer,
      handler: ({ principal, params }) => campaigns.reactivate(principal, params.campaignId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:campaignId/products`,
      operationId: 'getCampaignProducts',
      summary: 'The products staged on a campaign and the media buys they were booked into',
      tags,
      auth: 'customer',
      params: campaignParams,
      response: campaignProductsAnswer,
      handler: ({ principal, params }) => campaigns.products(principal, params.campaignId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:campaignId/media-buy-status`,
      operationId: 'getMediaBuyAdcpStatus',
      summary: 'Ask the sellers for the live status of the campaign’s media buys',
      description:
        'Calls get_media_buys on each agent and records changes (snake_case, as hosted).',
      tags,
      auth: 'customer',
      params: campaignParams,
      response: mediaBuyStatusAnswer,
      handler: ({ principal, params }) => campaigns.mediaBuyStatus(principal, params.campaignId),
    }),
    ...mediaBuyRoutes(campaigns),
    ...taskRoutes(campaigns),
  ];
}
