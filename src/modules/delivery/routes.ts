import { z } from 'zod';
import { calendarDaySchema as day } from '../../platform/formats.js';
import { defineRoute } from '../../platform/http/route.js';
import type { DeliveryService } from './service.js';

/** Live campaign delivery (hosted getDirectedCampaignDelivery). */
export function deliveryRoutes(delivery: DeliveryService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/campaigns/:campaignId/delivery',
      operationId: 'getDirectedCampaignDelivery',
      summary: 'Get campaign delivery, asked of its sellers now',
      description:
        'Each booked media buy of the campaign is asked get_media_buy_delivery now; the figures are ' +
        'recorded for reporting, and the answers merged into one AdCP delivery response naming our media ' +
        'buy ids (seller_media_buy_id beside). A seller that cannot answer is listed in delivery.errors.',
      tags: ['Campaigns'],
      auth: 'customer',
      params: z.object({ campaignId: z.string().min(1).max(64) }),
      query: z
        .object({
          startDate: day.optional(),
          endDate: day.optional(),
          placementBreakdown: z.enum(['true', 'false']).optional(),
          placementLimit: z.coerce.number().int().min(1).optional(),
          placementSortBy: z.enum(['impressions', 'spend', 'clicks', 'conversions']).optional(),
        })
        .refine((q) => !q.startDate || !q.endDate || q.startDate <= q.endDate, {
          message: 'startDate must not be after endDate',
          path: ['startDate'],
        }),
      response: z.object({
        campaignId: z.string(),
        delivery: z.record(z.string(), z.unknown()),
      }),
      handler: ({ principal, params, query }) =>
        delivery.campaignDelivery(principal, params.campaignId, {
          ...(query.startDate && { startDate: query.startDate }),
          ...(query.endDate && { endDate: query.endDate }),
        }),
    }),
  ];
}
