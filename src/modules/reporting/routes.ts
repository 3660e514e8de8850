import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/http/route.js';
import { registerSignedCsvDownloads } from '../../platform/http/signed-download.js';
import { downloadBase } from './download.js';
import { reportingAnswer, reportingQuery } from './schemas.js';
import type { ReportingService } from './service.js';

/** Buyer reporting (seed 004; hosted getReportingMetrics). */
export function reportingRoutes(reporting: ReportingService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/reporting/metrics',
      operationId: 'getReportingMetrics',
      summary: 'Get reporting (summary, timeseries, or a signed CSV download)',
      description:
        'Delivery sellers reported for your media buys. view=summary (default): advertiser → campaign → ' +
        'media buy → package, each with totals; view=timeseries: one row per package and day; download=true: ' +
        'a signed, expiring CSV URL. Period: startDate/endDate, else `days` (default 7, 0 = everything) ending ' +
        'today (UTC). Money is never summed across currencies: a level in several currencies has spend null and ' +
        'its figures per currency in byCurrency. A filter naming an id that is not yours answers 404.',
      tags: ['Reporting'],
      auth: 'customer',
      query: reportingQuery,
      response: reportingAnswer,
      handler: ({ principal, query }) => reporting.metrics(principal, query),
    }),
  ];
}

/** The CSV behind a buyer's report download URL (its signature is the credential). */
export function registerReportDownloads(app: FastifyInstance, reporting: ReportingService): void {
  registerSignedCsvDownloads(app, downloadBase, (signedPath) => reporting.download(signedPath));
}
