import { z } from 'zod';
import { positiveIdSchema } from '../../../platform/formats.js';
import { defineRoute } from '../../../platform/http/route.js';
import type { IdentityService } from '../service.js';

const tags = ['Sponsored buyers'];

const sponsoredBuyerSchema = z
  .object({
    buyerCustomerId: z.number().int(),
    buyerName: z.string().nullable(),
    storefrontId: z.number().int(),
    status: z.enum(['pending', 'active', 'suspended']),
    posture: z.enum(['prepay', 'credit']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SponsoredBuyer' });

const buyerParams = z.object({ buyerId: positiveIdSchema });

/** The seller's "my buyers" surface (seed 000): list, approve, suspend, reactivate. */
export function sponsoredBuyerRoutes(identity: IdentityService) {
  const action = (name: 'approve' | 'suspend' | 'reactivate', summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/v2/storefront/sponsored-buyers/:buyerId/${name}`,
      operationId: `sponsoredBuyers.${name}`,
      summary,
      tags,
      auth: 'seller',
      params: buyerParams,
      response: sponsoredBuyerSchema,
      handler: ({ principal, params }) =>
        identity.sponsorships.transition(principal, params.buyerId, name),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/sponsored-buyers',
      operationId: 'sponsoredBuyers.list',
      summary: "List the buyers your organisation's join links brought in",
      tags,
      auth: 'seller',
      response: z.object({ items: z.array(sponsoredBuyerSchema), total: z.number().int() }),
      handler: ({ principal }) => identity.sponsorships.list(principal),
    }),
    action('approve', 'Approve a pending sponsored buyer (pending → active)'),
    action(
      'suspend',
      'Suspend a sponsored buyer (pending | active → suspended); running delivery continues',
    ),
    action('reactivate', 'Reactivate a suspended sponsored buyer (suspended → active)'),
  ];
}
