import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import { publisherDomainSchema } from './schemas.js';
import type { PublisherAuthorizationService } from './service.js';

/** Reading the storefront's publishers' adagents.json again, now. */
export function publisherAuthorizationRoutes(authorization: PublisherAuthorizationService) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/readiness/publisher-domains/refresh',
      operationId: 'storefront.publisherDomains.refresh',
      summary: "Read every publisher domain's adagents.json again and answer readiness' verdicts",
      description:
        'The domains are the storefront publisherDomain, businessProfile.publisherDomains and the ' +
        'domains its ACTIVE sources declare. Each /.well-known/adagents.json is read through the ' +
        'guarded client (8 s each, redirects checked hop by hop) and kept until it expires; the ' +
        "storefront's agent or the source agent it resells must be listed.",
      tags: ['Storefront'],
      auth: 'seller',
      body: z.object({}).strict().optional(),
      response: z.array(publisherDomainSchema),
      handler: ({ principal }) => authorization.refreshForSeller(principal),
    }),
  ];
}
