import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import type { FastifyInstance } from 'fastify';
import { registerSignedCsvDownloads } from '../../../platform/http/signed-download.js';
import { ledgerDownloadBase } from '../ledger/report.js';
import {
  bookingSchema,
  finalizeBody,
  ledgerExportQuery,
  ledgerExportSchema,
  ledgerQuery,
  ledgerSchema,
  releaseBody,
  reserveBody,
} from '../schemas/ledger.js';
import { projectionSchema } from '../schemas/responses.js';
import { modularParams } from '../schemas/setup.js';
import { workItemSchema } from '../schemas/work-items.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/** The operator's side of the booking ledger: holds for deals struck outside the storefront. */
export function ledgerRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/ledger`,
      operationId: 'getModularInventorySourceLedger',
      summary:
        'The booking ledger: each avail’s capacity, held, booked and available, by week; holds and bookings',
      description:
        'An Interchange addition. Avails are paged (by start); every current hold is listed with ' +
        'its expiry and the buy that holds it, and the newest confirmed bookings with theirs.',
      tags,
      auth: 'seller',
      params: modularParams,
      query: ledgerQuery,
      response: ledgerSchema,
      handler: async ({ principal, params, query }) =>
        service.ledgerReport.report(await service.owned(principal, params.sourceId), query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular/ledger/export`,
      operationId: 'exportModularInventorySourceLedger',
      summary:
        'A signed, expiring CSV download of the avails (by week), the bookings or the work items',
      description:
        'An Interchange addition: the link is the credential; the CSV is read when fetched.',
      tags,
      auth: 'seller',
      params: modularParams,
      query: ledgerExportQuery,
      response: ledgerExportSchema,
      handler: async ({ principal, params, query }) =>
        service.ledgerReport.exportLink(
          await service.owned(principal, params.sourceId),
          principal.customerId,
          query.table,
        ),
    }),
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

/** The CSV behind a ledger download link (its signature is the credential). */
export function registerLedgerDownloads(app: FastifyInstance, service: ModularSourcesService) {
  registerSignedCsvDownloads(app, ledgerDownloadBase, (signedPath) =>
    service.ledgerReport.download(signedPath),
  );
}
