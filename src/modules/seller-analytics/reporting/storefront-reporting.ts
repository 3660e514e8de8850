import type { Db } from '../../../platform/db/database.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { UrlSigner } from '../../../platform/signed-urls.js';
import type { StorefrontsService } from '../../storefronts/index.js';
import { badPeriod } from '../errors.js';
import type { MediaBuyReadRow } from '../../order-views/index.js';
import { buysReportedByDay, deliveryDaysOf } from './delivery-days-store.js';
import {
  add,
  dailyDeliveries,
  summaryReport,
  timeseriesReport,
  type Totals,
  zero,
} from './reports.js';
import { csvOfTimeseries, type DownloadScope, downloadPath, scopeOfDownload } from './download.js';
import * as store from '../store.js';

/** Signed CSV downloads of storefront reporting: how links are signed, where, for how long. */
export interface ReportDownloads {
  signer: UrlSigner;
  publicUrl: () => string;
  ttlSeconds: number;
}

export interface StorefrontReportingQuery {
  inventorySourceId?: string | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  days: number;
  view: 'summary' | 'timeseries';
  download: boolean;
}

const day = 86_400_000;

/**
 * Storefront reporting (hosted getStorefrontReportingMetrics): the delivery of the storefront's
 * media buys over a period as a summary, a timeseries, or a signed, expiring CSV download of the
 * timeseries.
 */
export function createStorefrontReporting(deps: {
  db: Db;
  storefronts: Pick<StorefrontsService, 'getOwn'>;
  now: () => Date;
  downloads: ReportDownloads;
}) {
  const { db, now, downloads } = deps;

  /**
   * Per buy of the storefront (of one source, or all), its delivery per day of the period: on
   * the days delivered where its sources report by day, else on the days the totals were
   * reported (a source that gives no daily breakdown).
   */
  async function deliveryRows(scope: Omit<DownloadScope, 'customerId'>) {
    const from = new Date(`${scope.start}T00:00:00Z`);
    const to = new Date(Date.parse(`${scope.end}T00:00:00Z`) + day);
    const [baselineRows, reports, dayRows] = await Promise.all([
      store.deliveryBaselines(db, scope.storefrontId, from),
      store.deliveryReports(db, scope.storefrontId, from, to),
      deliveryDaysOf(db, scope.storefrontId, scope.start, scope.end),
    ]);
    const keep = (r: { buy: { forwardResult: { sourceId: string }[] | null } }) =>
      !scope.inventorySourceId ||
      (r.buy.forwardResult ?? []).some((l) => l.sourceId === scope.inventorySourceId);
    const rows = new Map<string, { row: MediaBuyReadRow; days: Map<string, Totals> }>();
    const entry = (r: Omit<MediaBuyReadRow, 'delivered'>) => {
      const found = rows.get(r.buy.mediaBuyId) ?? {
        row: { buy: r.buy, buyerName: r.buyerName, delivered: true },
        days: new Map<string, Totals>(),
      };
      rows.set(r.buy.mediaBuyId, found);
      return found;
    };
    for (const d of dayRows.filter(keep)) {
      const { days } = entry(d);
      days.set(d.day, add(days.get(d.day) ?? zero(), d));
    }
    const kept = reports.filter(keep);
    const byDay = await buysReportedByDay(db, scope.storefrontId, [
      ...new Set(kept.map((r) => r.buy.mediaBuyId)),
    ]);
    for (const r of kept) entry(r);
    const totalsOnly = kept
      .filter((r) => !byDay.has(r.buy.mediaBuyId))
      .map((r) => ({ ...r, delivered: true }));
    const baseline = new Map(
      baselineRows.map((b) => [
        b.mediaBuyId ?? '',
        {
          impressions: Number(b.detail['impressions'] ?? 0) || 0,
          clicks: Number(b.detail['clicks'] ?? 0) || 0,
          spend: Number(b.detail['spend'] ?? 0) || 0,
        },
      ]),
    );
    for (const [mediaBuyId, days] of dailyDeliveries(baseline, totalsOnly)) {
      rows.get(mediaBuyId)!.days = days;
    }
    return rows;
  }

  /** The period asked: startDate/endDate, else `days` ending endDate or today (UTC). */
  function periodOf(query: StorefrontReportingQuery) {
    const end = query.endDate ?? now().toISOString().slice(0, 10);
    const start =
      query.startDate ??
      new Date(Date.parse(`${end}T00:00:00Z`) - (query.days - 1) * day).toISOString().slice(0, 10);
    if (start > end) throw badPeriod();
    return { start, end };
  }

  async function describeDownload(scope: DownloadScope) {
    // rowCount (a hosted field) is the timeseries' length: the report is built to count it.
    const report = timeseriesReport(await deliveryRows(scope), scope);
    const expiresAt = new Date(now().getTime() + downloads.ttlSeconds * 1000);
    const fileName = `storefront-reporting-${scope.start}-${scope.end}.csv`;
    const path = downloads.signer.sign(downloadPath(fileName, scope), expiresAt);
    return {
      downloadUrl: `${downloads.publicUrl()}${path}`,
      expiresAt: expiresAt.toISOString(),
      fileName,
      rowCount: report.timeseries.length,
    };
  }

  return {
    /** The report the query asks for: summary, timeseries, or a download descriptor. */
    async reportingMetrics(principal: CustomerPrincipal, query: StorefrontReportingQuery) {
      const storefront = await deps.storefronts.getOwn(principal);
      const period = periodOf(query);
      const scope = {
        customerId: principal.customerId,
        storefrontId: storefront.id,
        ...period,
        inventorySourceId: query.inventorySourceId,
      };
      if (query.download) return describeDownload(scope);
      const rows = await deliveryRows(scope);
      return query.view === 'timeseries'
        ? timeseriesReport(rows, period)
        : summaryReport(rows, period);
    },

    /**
     * The CSV a signed download URL names (the timeseries of the period it was issued for, read
     * now). Undefined when the signature is bad (tampered) or expired: the route answers 403.
     */
    reportDownload(signedPath: string): AsyncIterable<string> | undefined {
      if (!downloads.signer.verify(signedPath, now()).ok) return undefined;
      const scope = scopeOfDownload(signedPath);
      if (!scope) return undefined;
      return csvOfTimeseries(async () => timeseriesReport(await deliveryRows(scope), scope));
    },
  };
}
