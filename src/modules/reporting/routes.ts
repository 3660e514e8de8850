import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { forbidden } from '../../platform/errors.js';
import { defineRoute } from '../../platform/http/route.js';
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

/**
 * The CSV behind a download URL. Outside /api/v2 and without an API key: the URL's signature is
 * the credential (HMAC, expiring); a tampered or expired one answers 403 ACCESS_DENIED.
 */
export function registerReportDownloads(app: FastifyInstance, reporting: ReportingService): void {
  app.get(`${downloadBase}/:fileName`, async (request, reply) => {
    const rows = reporting.download(request.url);
    if (!rows) throw forbidden('This download link is invalid or has expired');
    const { fileName } = request.params as { fileName: string };
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Readable.from(rows));
  });
}
