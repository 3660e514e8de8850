import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/http/route.js';
import { registerSignedCsvDownloads } from '../../platform/http/signed-download.js';
import { storefrontDownloadBase } from './reporting/download.js';
import { reportingQuery, reportingSchema } from './reporting/schemas.js';
import {
  analyticsQuery,
  intelligenceRunSchema,
  learnedDefaultPostureBody,
  learnedDefaultPostureSchema,
  runListQuery,
  runListSchema,
  postureAcceptanceBody,
  postureAcceptanceParams,
  postureAcceptanceSchema,
  postureAcceptancesSchema,
  runParams,
  sellerAnalyticsSchema,
  withdrawnPostureSchema,
} from './schemas.js';
import type { SellerAnalyticsService } from './service.js';

const base = '/api/v2/storefront';

/**
 * Seller analytics and intelligence runs. The storefront's media buys
 * (modules/order-views) are registered after these, then reporting
 * (storefrontReportingRoutes): the published documents keep that order.
 */
export function sellerAnalyticsRoutes(analytics: SellerAnalyticsService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/seller-analytics`,
      operationId: 'sellerAnalytics.get',
      summary: 'Seller analytics over the most recent discovery runs',
      description:
        'Run mix, buyer asks, attributed outcomes (last-touch product overlap), historical ' +
        'performance, buyers, seasonality by UTC month, posture conversion with ' +
        'recommendation adherence, strategy signals and seller recommendations over the ' +
        '`limit` most recent runs (default 100, max 200). Rules: docs/seller-analytics.md.',
      tags: ['Seller analytics'],
      auth: 'seller',
      query: analyticsQuery,
      response: sellerAnalyticsSchema,
      handler: ({ principal, query }) => analytics.analytics(principal, query.limit),
    }),
    ...postureAcceptanceRoutes(analytics),
    defineRoute({
      method: 'GET',
      url: `${base}/intelligence-runs`,
      operationId: 'intelligenceRuns.list',
      summary: 'List the storefront’s discovery (intelligence) runs, newest first',
      description:
        'Page with skip/take. disposition: responded (products shown) or declined_fit (none); ' +
        'declined_policy and not_live match nothing (not recorded as runs). q searches briefs. ' +
        'commercialResult: from the latest attributed event (booked: forwarded or delivering; ' +
        'pending: awaiting approval; rejected).',
      tags: ['Seller analytics'],
      auth: 'seller',
      query: runListQuery,
      response: runListSchema,
      handler: ({ principal, query }) =>
        analytics.listRuns(
          principal,
          {
            q: query.q,
            buyingMode: query.buyingMode,
            disposition: query.disposition,
            commercialResult: query.commercialResult,
          },
          { skip: query.skip, take: query.take },
        ),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/intelligence-runs/:id`,
      operationId: 'intelligenceRuns.get',
      summary: 'One discovery (intelligence) run with its attributed commercial outcome',
      tags: ['Seller analytics'],
      auth: 'seller',
      params: runParams,
      response: intelligenceRunSchema,
      handler: ({ principal, params }) => analytics.getRun(principal, params.id),
    }),
  ];
}

/**
 * Accepting history's posture recommendations (issue 47, item 2): a recommendation changes
 * get_products only once the seller accepts its posture. The acceptances are an Interchange
 * addition (hosted applies history's tuning on its own); hosted's PUT /learned-default-posture
 * sets them to one posture or none.
 */
function postureAcceptanceRoutes(analytics: SellerAnalyticsService) {
  const url = `${base}/seller-analytics/posture-acceptances`;
  const tags = ['Seller analytics'];
  return [
    defineRoute({
      method: 'GET',
      url,
      operationId: 'sellerAnalytics.postureAcceptances.list',
      summary: 'The postures the seller accepted from history’s recommendations',
      tags,
      auth: 'seller',
      response: postureAcceptancesSchema,
      handler: ({ principal }) => analytics.listPostureAcceptances(principal),
    }),
    defineRoute({
      method: 'POST',
      url,
      operationId: 'sellerAnalytics.postureAcceptances.create',
      summary: 'Accept a recommended posture: from now on it applies to get_products',
      description:
        'A history-derived recommendation (strategySignals, recommendedPosture) changes the ' +
        'storefront agent’s answers only while its posture is accepted. A posture pinned in ' +
        'buyer instructions still wins. Accepting again keeps the first acceptance.',
      tags,
      auth: 'seller',
      body: postureAcceptanceBody,
      status: 201,
      response: postureAcceptanceSchema,
      handler: ({ principal, body }) => analytics.acceptPosture(principal, body.posture),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${url}/:posture`,
      operationId: 'sellerAnalytics.postureAcceptances.delete',
      summary: 'Withdraw the acceptance of a posture: its recommendations no longer apply',
      tags,
      auth: 'seller',
      params: postureAcceptanceParams,
      response: withdrawnPostureSchema,
      handler: ({ principal, params }) => analytics.withdrawPosture(principal, params.posture),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/learned-default-posture`,
      operationId: 'setLearnedDefaultPosture',
      summary: 'Pin or clear the learned default posture',
      description:
        'Hosted setLearnedDefaultPosture. The posture becomes the one the seller accepted (any ' +
        'other acceptance is withdrawn), as the console’s Accept does: history’s recommendation ' +
        'of it then applies to get_products. null withdraws every acceptance. Operating ' +
        'instructions and buyer instructions that pin a posture still win.',
      tags: ['Seller analytics'],
      auth: 'seller',
      body: learnedDefaultPostureBody,
      response: learnedDefaultPostureSchema,
      handler: ({ principal, body }) => analytics.setLearnedDefault(principal, body.posture),
    }),
  ];
}

/** Storefront reporting: the delivery of the storefront's media buys over a period. */
export function storefrontReportingRoutes(analytics: SellerAnalyticsService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/reporting/metrics`,
      operationId: 'storefrontReporting.metrics',
      summary:
        'Delivery of the storefront’s media buys over a period (summary, timeseries, or a signed CSV download)',
      description:
        'From the delivery the storefront agent relayed: each buy’s cumulative report differenced ' +
        'over the period (days, default 7, or startDate/endDate). Impressions and spend only; ' +
        'media-buy grain. download=true: a signed, expiring URL of the timeseries as CSV (no API ' +
        'key needed to fetch it: the link is the credential).',
      tags: ['Seller analytics'],
      auth: 'seller',
      query: reportingQuery,
      response: reportingSchema,
      handler: ({ principal, query }) => analytics.reportingMetrics(principal, query),
    }),
  ];
}

/** The CSV behind a storefront report's download URL (its signature is the credential). */
export function registerStorefrontReportDownloads(
  app: FastifyInstance,
  analytics: SellerAnalyticsService,
): void {
  registerSignedCsvDownloads(app, storefrontDownloadBase, (signedPath) =>
    analytics.reportDownload(signedPath),
  );
}
