import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { bookingSchema, finalizeBody, releaseBody, reserveBody } from '../schemas/ledger.js';
import { projectionSchema } from '../schemas/responses.js';
import { modularParams } from '../schemas/setup.js';
import { workItemSchema } from '../schemas/work-items.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/** The operator's side of the booking ledger: holds for deals struck outside the storefront. */
export function ledgerRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/reservations`,
      operationId: 'reserveModularInventoryProduct',
      summary:
        'Hold capacity of an avail (HELD); one that does not fit is refused (409) with what is left',
      tags,
      auth: 'seller',
      status: 201,
      params: modularParams,
      body: reserveBody,
      response: bookingSchema,
      handler: async ({ principal, params, body }) =>
        service.ledger.reserve(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/bookings/finalize`,
      operationId: 'finalizeModularInventoryBooking',
      summary: 'Book a hold: at once with the built-in ledger, else a CONFIRM_AVAILS work item',
      tags,
      auth: 'seller',
      params: modularParams,
      body: finalizeBody,
      response: z.object({
        booking: bookingSchema,
        executionStatus: z.enum(['BOOKED', 'PENDING_TRAFFICKING']),
        workItems: z.array(workItemSchema),
        projection: projectionSchema,
      }),
      handler: async ({ principal, params, body }) =>
        service.ledger.finalize(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/bookings/release`,
      operationId: 'releaseModularInventoryBooking',
      summary: 'Give a hold or a booking back (HELD → RELEASED, BOOKED → CANCELLED)',
      description: 'A booking of a media buy placed through the storefront cancels that buy.',
      tags,
      auth: 'seller',
      params: modularParams,
      body: releaseBody,
      response: bookingSchema,
      handler: async ({ principal, params, body }) =>
        service.ledger.release(await service.owned(principal, params.sourceId), body),
    }),
  ];
}
