import { formatValue } from '../../analytics-charts/charts.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import { page, table } from '../layout.js';
import { deliveryCharts, deliveryReportBody, type DeliveryRow } from '../pages/delivery-report.js';
import { registerReportExport } from '../report-export.js';

const metricsPath = '/api/v2/storefront/reporting/metrics';
const pagePath = '/console/storefront-reporting';

/** The storefront reporting API's daily series (view=timeseries). */
interface StorefrontTimeseries {
  timeseries: Array<
    DeliveryRow & {
      advertiserName: string;
      mediaBuyStatus: string;
      inventorySourceIds: string[];
      metrics: { impressions: number; clicks: number; spend: number; ecpm: number | null };
    }
  >;
  totals: {
    impressions: number;
    clicks: number;
    spend: number;
    ecpm: number | null;
    ctr: number | null;
  };
  periodStart: string;
  periodEnd: string;
}

/** The report's scope, as the API names it: the last `days` (1-90, default 30), one source or all. */
function scopeOf(query: Record<string, string>): Record<string, string> {
  const days = Number(query['days']);
  const out: Record<string, string> = {
    days: String(Number.isInteger(days) && days >= 1 && days <= 90 ? days : 30),
  };
  if (query['inventorySourceId']) out['inventorySourceId'] = query['inventorySourceId'];
  return out;
}

/**
 * Storefront reporting: what the storefront's media buys delivered, as its sources reported it
 * through the storefront agent (impressions, clicks and spend, per day delivered and per buy,
 * drawn by chart.js and tabled, each buy with its status), for the last days of one source or
 * all; and the same rows as CSV (the API's signed download).
 */
export function registerStorefrontReportingPage(ctx: ConsoleContext): void {
  ctx.page(pagePath, 'SELLER', renderReport);
  registerReportExport(ctx, { page: pagePath, persona: 'SELLER', apiPath: metricsPath, scopeOf });
}

async function renderReport(args: PageArgs): Promise<string> {
  const scope = scopeOf(args.query);
  const [report, sources] = await Promise.all([
    args.api.get<StorefrontTimeseries>(metricsPath, { ...scope, view: 'timeseries' }),
    args.api.get<Array<{ sourceId: string; name: string }>>('/api/v2/storefront/inventory-sources'),
  ]);
  const frame = {
    ...(await args.frame('Reporting', pagePath)),
    flash: args.flash,
    charts: report.timeseries.length > 0,
  };
  // The storefront's sources, and any a reported buy names that is no longer among them.
  const named = new Map(sources.map((s) => [s.sourceId, s.name]));
  for (const id of report.timeseries.flatMap((r) => r.inventorySourceIds)) {
    if (!named.has(id)) named.set(id, id);
  }
  const sourceOptions = [...named]
    .map(
      ([sourceId, name]) =>
        `<option value="${e(sourceId)}"${scope['inventorySourceId'] === sourceId ? ' selected' : ''}>${e(name)}</option>`,
    )
    .join('');
  const filterForm = `<form method="get" action="${pagePath}" class="filters">
<div class="field"><label for="r-source">Inventory source</label><select id="r-source" name="inventorySourceId"><option value="">All</option>${sourceOptions}</select></div>
<div class="field"><label for="r-days">Days</label><input type="number" id="r-days" name="days" min="1" max="90" value="${e(scope['days']!)}"></div>
<div class="actions"><button type="submit">Show</button></div></form>`;
  const t = report.totals;
  const totals = `<dl class="facts"><dt>Period</dt><dd>${e(report.periodStart)} to ${e(report.periodEnd)}</dd>
<dt>Impressions</dt><dd>${t.impressions}</dd>
<dt>Clicks</dt><dd>${t.clicks}${t.ctr === null ? '' : ` (CTR ${e(formatValue(t.ctr, 'percent'))})`}</dd>
<dt>Spend</dt><dd>${e(formatValue(t.spend, 'number'))}</dd>
<dt>eCPM</dt><dd>${t.ecpm === null ? '—' : e(formatValue(t.ecpm, 'number'))}</dd></dl>
<p class="note">As the storefront's sources reported it through its agent, on the day it was delivered (a source that gives only totals: the day it reported them), per media buy.</p>`;
  const exportQuery = new URLSearchParams(scope).toString();
  const charts = deliveryCharts(report.timeseries, {
    currency: '',
    reportedBy: 'your sources',
  });
  const rows = table(
    'Daily delivery',
    ['Day', 'Buyer', 'Media buy', 'Status', 'Sources', 'Impressions', 'Clicks', 'Spend'],
    report.timeseries.map((r) => [
      e(r.date),
      e(r.advertiserName),
      `<code>${e(r.mediaBuyId)}</code>`,
      e(r.mediaBuyStatus),
      e(r.inventorySourceIds.join(', ')),
      String(r.metrics.impressions),
      String(r.metrics.clicks),
      e(formatValue(r.metrics.spend, 'number')),
    ]),
    'No delivery reported for this period yet: sources report once a flight is under way.',
  );
  return page(
    frame,
    deliveryReportBody({
      filterForm,
      totals,
      exportHref: `${pagePath}/export?${exportQuery}`,
      charts,
      rows,
      hasRows: report.timeseries.length > 0,
    }),
  );
}
