import { defineRoute } from '../../../platform/http/route.js';
import { pageOf, pageSchema } from '../../../platform/http/pagination.js';
import {
  adminStorefrontQuery,
  marketplaceActionBody,
  storefrontIdParams,
  storefrontSchema,
} from '../schemas.js';
import type { StorefrontsService } from '../service.js';

const tags = ['Admin'];

/** Marketplace review by the platform admin (DESIGN.md admin contract). */
export function storefrontAdminRoutes(storefronts: StorefrontsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/admin/storefronts',
      operationId: 'admin.storefronts.list',
      summary: 'List storefronts for marketplace review (filter: pending_review | listed | hidden)',
      tags,
      auth: 'admin',
      query: adminStorefrontQuery,
      response: pageSchema(storefrontSchema),
      handler: async ({ query }) => {
        const { items, total } = await storefronts.adminList(query);
        return pageOf(items, total, query);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/admin/storefronts/:id/marketplace',
      operationId: 'admin.storefronts.marketplace',
      summary: 'List, hide or unhide a storefront in public buyer discovery',
      tags,
      auth: 'admin',
      params: storefrontIdParams,
      body: marketplaceActionBody,
      response: storefrontSchema,
      handler: ({ params, body }) => storefronts.setMarketplace(params.id, body.action),
    }),
  ];
}
