import { defineRoute } from '../../../platform/http/route.js';
import {
  deliveryHistoryAnswer,
  deliveryReportAnswer,
  deliveryReportBody,
  deliveryReportParams,
} from '../schemas/delivery-reports.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/** A buy's delivery reports: interim and final uploads, corrections, and their revisions. */
export function deliveryReportRoutes(service: ModularSourcesService) {
  const url = `${base}/:sourceId/modular/media-buys/:mediaBuyId/delivery-reports`;
  return [
    defineRoute({
      method: 'POST',
      url,
      operationId: 'uploadModularDeliveryReport',
      summary: 'Upload a delivery report of a buy: interim during the flight, final after it',
      description:
        'Each row (a UTC day, and package) must fall inside the flight with a day’s grace either ' +
        'side and not after today; each package’s cumulative impressions and spend must stay within ' +
        'what was booked × (1 + the storefront’s deliveryTolerancePercent) unless ' +
        'confirmOverdelivery names the figures. A refused row is a 400 naming it ' +
        '(rows[i].field, details.requested and details.allowed; every one in details.issues). A ' +
        'day already reported is replaced, never added to; every upload is a numbered revision. ' +
        'final: true once the flight has ended (or the buy was canceled): the buyer’s delivery is ' +
        'then is_final; an interim report after it is a 409.',
      tags,
      auth: 'seller',
      params: deliveryReportParams,
      body: deliveryReportBody,
      response: deliveryReportAnswer,
      status: 201,
      handler: async ({ principal, params, body }) =>
        service.deliveryReports.upload(
          await service.owned(principal, params.sourceId),
          principal,
          params.mediaBuyId,
          body,
        ),
    }),
    defineRoute({
      method: 'GET',
      url,
      operationId: 'listModularDeliveryReports',
      summary:
        'A buy’s delivery on record and the revisions that made it (who, when, what changed)',
      tags,
      auth: 'seller',
      params: deliveryReportParams,
      response: deliveryHistoryAnswer,
      handler: async ({ principal, params }) =>
        service.deliveryReports.history(
          await service.owned(principal, params.sourceId),
          params.mediaBuyId,
        ),
    }),
  ];
}
