import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  accountBody,
  buyerStorefrontSchema,
  credentialBody,
  credentialIdParams,
  credentialSchema,
  discoverItemSchema,
  interestBody,
  interestStatusSchema,
  sellerInterestSchema,
  sourceParams,
  storefrontIdParams,
  storefrontListQuery,
  storefrontCapabilitiesSchema,
  storefrontSummarySchema,
} from './schemas.js';
import type { BuyerAccessService } from './service.js';
import { oauthRoutes } from './oauth/routes.js';

const tags = ['Storefronts'];
const base = '/api/v2/buyer/storefronts';

/** Seed 002: buyers browse storefronts, ask for access, and connect credentials per source. */
export function buyerAccessRoutes(access: BuyerAccessService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'buyer.storefronts.list',
      summary: 'List storefronts you can see (public: listed; private: your organisation’s)',
      tags,
      auth: 'customer',
      query: storefrontListQuery,
      response: z.object({
        items: z.array(storefrontSummarySchema),
        total: z.number().int(),
        hasMore: z.boolean(),
        nextOffset: z.number().int().nullable(),
      }),
      handler: async ({ principal, query }) => {
        const { items, total } = await access.listStorefronts(principal, query);
        const end = query.offset + items.length;
        return { items, total, hasMore: end < total, nextOffset: end < total ? end : null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/discover`,
      operationId: 'buyer.storefronts.discover',
      summary: 'Every marketplace-listed storefront, live or upcoming (id, name, domain, status)',
      tags,
      auth: 'customer',
      response: z.object({ items: z.array(discoverItemSchema) }),
      handler: ({ principal }) => access.discover(principal),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/interest`,
      operationId: 'buyer.storefronts.interestStatus',
      summary: 'Whether you have submitted interest, and when',
      tags,
      auth: 'customer',
      response: interestStatusSchema,
      handler: ({ principal }) => access.interestStatus(principal),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/interest`,
      operationId: 'buyer.storefronts.submitInterest',
      summary: 'Ask for access to storefronts (storefrontIds ≤ 100, notes ≤ 4000; at least one)',
      tags,
      auth: 'customer',
      body: interestBody,
      response: interestStatusSchema,
      handler: ({ principal, body }) => access.submitInterest(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/credentials`,
      operationId: 'buyer.storefronts.credentials',
      summary: 'Your credentials and the (storefront, source) pairs each one covers',
      tags,
      auth: 'customer',
      response: z.array(credentialSchema),
      handler: ({ principal }) => access.listCredentials(principal),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:storefrontId`,
      operationId: 'buyer.storefronts.get',
      summary: 'A storefront with its sources, connection state and your accounts',
      tags,
      auth: 'customer',
      params: storefrontIdParams,
      response: buyerStorefrontSchema,
      handler: ({ principal, params }) => access.getStorefront(principal, params.storefrontId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:storefrontId/capabilities`,
      operationId: 'buyer.storefronts.capabilities',
      summary: 'Per ACTIVE source: reachability and the capabilities of its last probe',
      tags,
      auth: 'customer',
      params: storefrontIdParams,
      response: storefrontCapabilitiesSchema,
      handler: ({ principal, params }) =>
        access.storefrontCapabilities(principal, params.storefrontId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:storefrontId/sources/:sourceId/credentials`,
      operationId: 'buyer.storefronts.registerCredential',
      summary: 'Register your credential for a source (checked live against it)',
      description:
        'Without a body, answers 400 with details.supportedAuthTypes. A credential the source ' +
        'refuses is kept with status INVALID and the reason; the source stays not connected.',
      tags,
      auth: 'customer',
      status: 201,
      params: sourceParams,
      body: credentialBody.optional(),
      response: credentialSchema,
      handler: ({ principal, params, body }) =>
        access.registerCredential(principal, params.storefrontId, params.sourceId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:storefrontId/sources/:sourceId/accounts`,
      operationId: 'buyer.storefronts.registerAccount',
      summary: 'Register an account for a source, linked to one of your advertisers',
      tags,
      auth: 'customer',
      status: 201,
      params: sourceParams,
      body: accountBody.optional(),
      response: credentialSchema,
      handler: ({ principal, params, body }) =>
        access.registerAccount(principal, params.storefrontId, params.sourceId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/credentials/:credentialId`,
      operationId: 'buyer.storefronts.deleteCredential',
      summary: 'Delete a credential (an OAuth grant is revoked at its server first)',
      tags,
      auth: 'customer',
      params: credentialIdParams,
      response: z.object({ deleted: z.literal(true), id: z.string() }),
      handler: ({ principal, params }) => access.deleteCredential(principal, params.credentialId),
    }),
    ...oauthRoutes(access),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/interest',
      operationId: 'storefront.interest',
      summary: 'Buyers who asked for access to your storefront, newest first',
      tags: ['Storefront'],
      auth: 'seller',
      response: sellerInterestSchema,
      handler: ({ principal }) => access.interestInMyStorefront(principal),
    }),
  ];
}
