import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  advertiserListSchema,
  advertiserParams,
  advertiserSchema,
  createAdvertiserBody,
  getAdvertiserQuery,
  listAdvertisersQuery,
  updateAdvertiserBody,
} from './schemas.js';
import type { AdvertisersService } from './service.js';
import { nestedAdvertiserRoutes } from './nested-routes.js';

const tags = ['Advertisers'];
const base = '/api/v2/buyer/advertisers';

/** A buyer's advertisers (seed 004); everything is scoped to the API key's customer. */
export function advertiserRoutes(advertisers: AdvertisersService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listAdvertisers',
      summary: 'List advertisers (id ascending; limit/offset or take/skip)',
      description:
        'Filters: status (ACTIVE default, ARCHIVED, ALL), name (case-insensitive partial), sandbox. ' +
        'includeAccounts=true embeds each advertiser’s linkedAccounts and includeBrand=true its ' +
        'resolved brand (logos, colors, industry) — in a fixed number of queries whatever the page size.',
      tags,
      auth: 'customer',
      query: listAdvertisersQuery,
      response: advertiserListSchema,
      handler: ({ principal, query }) => advertisers.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createAdvertiser',
      summary: 'Create an advertiser (name, brand, primaryCurrency; linkedAccounts optional)',
      description:
        'sandbox is fixed at creation. Each linkedAccounts entry must be an account that ' +
        'GET …/accounts/available lists for your credential on that source.',
      tags,
      auth: 'customer',
      status: 201,
      body: createAdvertiserBody,
      response: advertiserSchema,
      handler: ({ principal, body }) => advertisers.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:advertiserId`,
      operationId: 'getAdvertiser',
      summary:
        'Get an advertiser with everything nested: linked accounts, test cohorts, measurement config',
      description: 'includeBrand=true adds the brand resolved from its /.well-known/brand.json.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: getAdvertiserQuery,
      response: advertiserSchema,
      handler: ({ principal, params, query }) =>
        advertisers.get(principal, params.advertiserId, {
          ...(query.includeBrand !== undefined && { includeBrand: query.includeBrand }),
        }),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:advertiserId`,
      operationId: 'updateAdvertiser',
      summary: 'Update an advertiser (partial or full; linkedAccounts only add)',
      description:
        'Fields left out stay as they are. utmConfig and frequencyCaps replace the current lists. ' +
        'sandbox cannot change. An archived advertiser answers 409: restore it first.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      body: updateAdvertiserBody,
      response: advertiserSchema,
      handler: ({ principal, params, body }) =>
        advertisers.update(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:advertiserId`,
      operationId: 'deleteAdvertiser',
      summary: 'Archive an advertiser (restorable with POST …/restore)',
      description:
        'Answers 200 with {id, status, archived} in the envelope (the hosted docs print 204).',
      tags,
      auth: 'customer',
      params: advertiserParams,
      response: z.object({
        id: z.string(),
        status: z.enum(['ACTIVE', 'ARCHIVED']),
        archived: z.literal(true),
      }),
      handler: ({ principal, params }) => advertisers.archive(principal, params.advertiserId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:advertiserId/restore`,
      operationId: 'restoreAdvertiser',
      summary: 'Restore an archived advertiser',
      tags,
      auth: 'customer',
      params: advertiserParams,
      response: advertiserSchema,
      handler: ({ principal, params }) => advertisers.restore(principal, params.advertiserId),
    }),
    ...nestedAdvertiserRoutes(advertisers),
  ];
}
