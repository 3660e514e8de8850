import { defineRoute } from '../../platform/http/route.js';
import {
  decisionBody,
  linkIdParams,
  linkListQuery,
  linkListSchema,
  linkRequestBody,
  linkSchema,
} from './schemas.js';
import type { StorefrontLinksService } from './service.js';

const base = '/api/v2/storefront/link-requests';
const tags = ['Linked storefronts'];

/**
 * Link requests: the upstream seller lists and decides them (also over the storefront MCP
 * server's api_call); a downstream asks for one as a customer of this instance.
 */
export function storefrontLinkRoutes(links: StorefrontLinksService) {
  const decision = (action: 'approve' | 'deny' | 'revoke', summary: string) =>
    defineRoute({
      method: 'POST',
      url: `${base}/:linkId/${action}`,
      operationId: `storefront.linkRequests.${action}`,
      summary,
      tags,
      auth: 'seller',
      params: linkIdParams,
      body: decisionBody,
      response: linkSchema,
      handler: ({ principal, params, body }) =>
        links[action](principal, params.linkId, body?.reason),
    });
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'storefront.linkRequests.list',
      summary: 'Storefronts asking to sell (or selling) this storefront through their own agent',
      tags,
      auth: 'seller',
      query: linkListQuery,
      response: linkListSchema,
      handler: ({ principal, query }) => links.listForSeller(principal, query.status),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:linkId`,
      operationId: 'storefront.linkRequests.get',
      summary: 'One link request',
      tags,
      auth: 'seller',
      params: linkIdParams,
      response: linkSchema,
      handler: ({ principal, params }) => links.getForSeller(principal, params.linkId),
    }),
    decision('approve', 'Approve a PENDING link: its products and buys flow from the next request'),
    decision('deny', 'Deny a PENDING link: nothing flows'),
    decision(
      'revoke',
      'Revoke a link: no products and no new buys from the next request (buys placed stay)',
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v2/buyer/storefront-links',
      operationId: 'buyer.storefrontLinks.request',
      summary: "Ask to sell a storefront's inventory through your own storefront (a link request)",
      description:
        'The request waits (PENDING) for the upstream seller. A link that would make a loop (the ' +
        'upstream already sells through your storefront) is refused with LINK_LOOP. Asking ' +
        'again after a denial or revocation makes the request PENDING again.',
      tags,
      auth: 'customer',
      status: 201,
      alsoStatus: 200,
      body: linkRequestBody,
      response: linkSchema,
      handler: ({ principal, body }) => links.requestFromCaller(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/storefront-links',
      operationId: 'buyer.storefrontLinks.list',
      summary: 'The link requests you made, and how each upstream decided',
      tags,
      auth: 'customer',
      response: linkListSchema,
      handler: ({ principal }) => links.listForRequester(principal),
    }),
  ];
}
