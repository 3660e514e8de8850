import { defineRoute } from '../../../platform/http/route.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { activityListSchema, activityQuery, type ActivityService } from '../../activity/index.js';
import {
  createStorefrontBody,
  patchCapabilitiesBody,
  storefrontSchema,
  type StorefrontView,
  updateStorefrontBody,
} from '../schemas.js';
import type { StorefrontsService } from '../service.js';

const tags = ['Storefront'];

/** The seller's own storefront, resolved from the API key (no id in the path). */
export function storefrontSellerRoutes(
  storefronts: StorefrontsService,
  activity: ActivityService,
  /** Resolves the hosted actorUserEmail filter; an unknown email matches nothing. */
  userIdByEmail: (email: string) => Promise<number | undefined>,
  /** Go live: the action above storefronts and readiness (wiring/sellers/go-live.ts). */
  goLive: (principal: CustomerPrincipal) => Promise<StorefrontView>,
) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront',
      operationId: 'storefront.get',
      summary: "Get this seller account's storefront profile",
      tags,
      auth: 'seller',
      response: storefrontSchema,
      handler: ({ principal }) => storefronts.getOwn(principal),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v2/storefront',
      operationId: 'storefront.update',
      summary: 'Update the storefront profile (partial: only the fields sent change)',
      description:
        'Setting defaultCurrency confirms the settlement currency (readiness check currency_confirmed). ' +
        'creativeApproval and mediaBuyApproval (auto | manual) gate sync_creatives and create_media_buy.',
      tags,
      auth: 'seller',
      body: updateStorefrontBody,
      response: storefrontSchema,
      handler: ({ principal, body }) => storefronts.update(principal, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v2/storefront',
      operationId: 'storefront.updateCapabilities',
      summary: 'Turn the review capabilities buyers see on or off (approval modes)',
      description:
        'capabilities.offersCreativeReview and offersCampaignApproval set creativeApproval and ' +
        'mediaBuyApproval (true: manual, false: auto). Turning one off needs ' +
        'acknowledgeNoHumanReview: true. offersProductComposition has no effect (hosted: deprecated).',
      tags,
      auth: 'seller',
      body: patchCapabilitiesBody,
      response: storefrontSchema,
      handler: ({ principal, body }) => storefronts.update(principal, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront',
      operationId: 'storefront.create',
      summary: 'Create a storefront where the account has none (or restore an archived one)',
      description:
        'Idempotent like the hosted API: when the account already has a live storefront it is ' +
        'returned unchanged with 200 (the body is ignored; use PUT to change it).',
      tags,
      auth: 'seller',
      status: 201,
      alsoStatus: 200,
      body: createStorefrontBody,
      response: storefrontSchema,
      handler: async ({ principal, body, setStatus }) => {
        const { storefront, created } = await storefronts.create(principal, body);
        if (!created) setStatus(200);
        return storefront;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v2/storefront',
      operationId: 'storefront.archive',
      summary: 'Archive the storefront (nothing is deleted; POST restores it)',
      tags,
      auth: 'seller',
      response: storefrontSchema,
      handler: ({ principal }) => storefronts.archive(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/activate',
      operationId: 'storefront.activate',
      summary: 'Go live (TRANSACTING); refused with 409 while readiness is blocked',
      tags,
      auth: 'seller',
      response: storefrontSchema,
      handler: ({ principal }) => goLive(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/deactivate',
      operationId: 'storefront.deactivate',
      summary: 'Stop transacting; the storefront returns to its setup stage',
      tags,
      auth: 'seller',
      response: storefrontSchema,
      handler: ({ principal }) => storefronts.deactivate(principal),
    }),
    ...['/api/v2/storefront/activity', '/api/v2/storefront/audit-logs'].map((url) =>
      defineRoute({
        method: 'GET',
        url,
        operationId: url.endsWith('activity') ? 'storefront.activity' : 'storefront.auditLogs',
        summary: 'List setup activity, newest first (take ≤ 500, skip)',
        description:
          'Filters (hosted API): startDate, endDate, inventorySourceId, resourceTypes, actions, ' +
          'actorOrigin, actorUserId, actorUserEmail, resourceId, outcome. An unknown filter is ' +
          'refused with 400.',
        tags,
        auth: 'seller',
        query: activityQuery,
        response: activityListSchema,
        handler: async ({ principal, query }) => {
          const own = await storefronts.requireOwn(principal);
          if (query.actorUserEmail !== undefined) {
            const userId = await userIdByEmail(query.actorUserEmail);
            if (userId === undefined || (query.actorUserId ?? userId) !== userId) {
              return { logs: [], total: 0 };
            }
            return activity.list(own.id, { ...query, actorUserId: userId });
          }
          return activity.list(own.id, query);
        },
      }),
    ),
  ];
}
