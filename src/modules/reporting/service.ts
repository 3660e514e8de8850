import { invalid, notFound } from '../../platform/errors.js';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { UrlSigner } from '../../platform/signed-urls.js';
import { csvRows, downloadPath, scopeOfDownload } from './download.js';
import { periodOf } from './period.js';
import type { ReportingQuery } from './schemas.js';
import * as store from './store.js';
import type { Scope } from './store.js';
import { summaryOf, timeseriesOf } from './report-views.js';

export interface ReportingDeps {
  db: Db;
  signer: UrlSigner;
  /** Where download URLs point (this server's public origin). */
  publicUrl: () => string;
  downloadTtlSeconds: number;
  now?: () => Date;
}

export type ReportingService = ReturnType<typeof createReportingService>;

/** The advertiser's events that count as conversions in reports (docs/reporting.md). */
export const outcomeEventTypes = [
  'purchase',
  'lead',
  'qualify_lead',
  'close_convert_lead',
  'complete_registration',
  'subscribe',
  'start_trial',
  'app_install',
  'contact',
  'schedule',
  'donate',
  'submit_application',
  'custom',
] as const;

/**
 * Buyer reporting (seed 004, hosted getReportingMetrics): delivery as sellers reported it,
 * summed in SQL, as a hierarchy (summary), leaf-by-day rows (timeseries) or a signed CSV
 * download. Only the caller's own figures; a filter naming another's id is NOT_FOUND.
 */
export function createReportingService(deps: ReportingDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function scopeOf(principal: CustomerPrincipal, query: ReportingQuery): Promise<Scope> {
    if (query.demo) throw invalid('Demo data is not served here; leave demo out or false', 'demo');
    const advertiserId = query.advertiserId === undefined ? undefined : Number(query.advertiserId);
    const filter = {
      ...(advertiserId !== undefined && { advertiserId }),
      ...(query.campaignId !== undefined && { campaignId: query.campaignId }),
      ...(query.mediaBuyId !== undefined && { mediaBuyId: query.mediaBuyId }),
    };
    const found = await store.filterOwners(db, principal.customerId, filter);
    if (!found.advertiser) throw notFound('Advertiser');
    if (!found.campaign) throw notFound('Campaign');
    if (!found.mediaBuy) throw notFound('Media buy');
    const period = periodOf(query, now().toISOString().slice(0, 10));
    return { customerId: principal.customerId, ...filter, ...period };
  }

  return {
    /** The report the query asks for: summary, timeseries, or a download descriptor. */
    async metrics(principal: CustomerPrincipal, query: ReportingQuery) {
      const scope = await scopeOf(principal, query);
      if (query.download) {
        const expiresAt = new Date(now().getTime() + deps.downloadTtlSeconds * 1000);
        const fileName = `reporting-${scope.startDay ?? 'start'}-${scope.endDay ?? 'end'}.csv`;
        const path = deps.signer.sign(downloadPath(fileName, scope), expiresAt);
        return {
          downloadUrl: `${deps.publicUrl()}${path}`,
          expiresAt: expiresAt.toISOString(),
          fileName,
          rowCount: await store.countDayRows(db, scope),
        };
      }
      return query.view === 'timeseries'
        ? timeseriesOf(db, scope, outcomeEventTypes)
        : summaryOf(db, scope, outcomeEventTypes, query.displayCurrency, now());
    },

    /**
     * The CSV a signed download URL names, as lines (streamed page by page). Undefined when
     * the signature is bad (tampered) or expired: the route answers 403 either way.
     */
    download(signedPath: string): AsyncIterable<string> | undefined {
      const check = deps.signer.verify(signedPath, now());
      if (!check.ok) return undefined;
      const scope = scopeOfDownload(signedPath);
      return scope ? csvRows(db, scope) : undefined;
    },
  };
}
