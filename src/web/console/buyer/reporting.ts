import { formatValue } from '../../analytics-charts/charts.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import { page, table } from '../layout.js';
import { deliveryCharts, deliveryReportBody } from '../pages/delivery-report.js';
import { registerReportExport } from '../report-export.js';
import type { AdvertiserSummary, CampaignSummary, Page, Timeseries } from './wire.js';

const metricsPath = '/api/v2/buyer/reporting/metrics';
/** The report's scope, as the reporting API names its filters. */
const filters = ['advertiserId', 'campaignId', 'mediaBuyId', 'days'] as const;

function scopeOf(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of filters) if (query[name]) out[name] = query[name]!;
  if (!out.days) out.days = '30';
  return out;
}

/**
 * Reporting: spend and impressions over time and by media buy, drawn by chart.js from the
 * reporting API's daily series, each plot followed by its table; and the same rows as CSV
 * (the API's signed download).
 */
export function registerReportingPage(ctx: ConsoleContext): void {
  ctx.page('/console/reporting', 'BUYER', renderReport);
  registerReportExport(ctx, {
    page: '/console/reporting',
    persona: 'BUYER',
    apiPath: metricsPath,
    scopeOf,
  });
}

async function renderReport(args: PageArgs): Promise<string> {
  const scope = scopeOf(args.query);
  const [report, advertisers, campaigns] = await Promise.all([
    args.api.get<Timeseries>(metricsPath, { ...scope, view: 'timeseries' }),
    args.api.get<Page<AdvertiserSummary>>('/api/v2/buyer/advertisers', { limit: 100 }),
    args.api.get<{ campaigns: CampaignSummary[] }>('/api/v2/buyer/campaigns', {
      status: 'ALL',
      take: 100,
    }),
  ]);
  const frame = {
    ...(await args.frame('Reporting', '/console/reporting')),
    flash: args.flash,
    charts: report.timeseries.length > 0,
  };
  const select = (name: string, label: string, options: Array<[string, string]>) =>
    `<div class="field"><label for="r-${name}">${e(label)}</label><select id="r-${name}" name="${name}"><option value="">All</option>${options
      .map(
        ([value, text]) =>
          `<option value="${e(value)}"${scope[name] === value ? ' selected' : ''}>${e(text)}</option>`,
      )
      .join('')}</select></div>`;
  const filterForm = `<form method="get" action="/console/reporting" class="filters">
${select(
  'advertiserId',
  'Advertiser',
  advertisers.items.map((a) => [a.id, a.name]),
)}
${select(
  'campaignId',
  'Campaign',
  campaigns.campaigns.map((c) => [c.campaignId, c.name]),
)}
<div class="field"><label for="r-days">Days</label><input type="number" id="r-days" name="days" min="0" max="90" value="${e(scope.days ?? '30')}"></div>
${scope.mediaBuyId ? `<input type="hidden" name="mediaBuyId" value="${e(scope.mediaBuyId)}">` : ''}
<div class="actions"><button type="submit">Show</button></div></form>`;
  const t = report.totals;
  const currency = report.totalsCurrency ?? '';
  const totals = `<dl class="facts"><dt>Period</dt><dd>${e(report.periodStart)} to ${e(report.periodEnd)}</dd>
<dt>Impressions</dt><dd>${t.impressions}</dd>
<dt>Spend</dt><dd>${t.spend === null ? 'in several currencies (see the table)' : `${e(formatValue(t.spend, 'number'))} ${e(currency)}`}</dd>
<dt>Clicks</dt><dd>${t.clicks}</dd>
<dt>eCPM</dt><dd>${t.ecpm === null ? '—' : e(formatValue(t.ecpm, 'number'))}</dd></dl>`;
  const exportQuery = new URLSearchParams(scope).toString();
  const charts = deliveryCharts(report.timeseries, {
    currency: report.totalsCurrency ?? '',
    reportedBy: 'the sellers',
  });
  const rows = table(
    'Daily delivery',
    ['Day', 'Campaign', 'Media buy', 'Impressions', 'Clicks', 'Spend'],
    report.timeseries.map((r) => [
      e(r.date),
      e(r.campaignName),
      e(r.mediaBuyName),
      String(r.metrics.impressions),
      String(r.metrics.clicks),
      r.metrics.spend === null
        ? '—'
        : `${e(formatValue(r.metrics.spend, 'number'))} ${e(r.currency)}`,
    ]),
    'No delivery reported for this scope yet: sellers report once a flight is under way.',
  );
  return page(
    frame,
    deliveryReportBody({
      filterForm,
      totals,
      exportHref: `/console/reporting/export?${exportQuery}`,
      charts,
      rows,
      hasRows: report.timeseries.length > 0,
    }),
  );
}
