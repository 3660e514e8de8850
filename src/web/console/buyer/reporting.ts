import { type ChartSpec, formatValue, series } from '../../analytics-charts/charts.js';
import { escapeHtml as e } from '../../html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import { page, panel, table } from '../layout.js';
import { chartSection, jsonForScript } from '../pages/analytics.js';
import { seeOther } from '../responses.js';
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
  ctx.scope.get('/console/reporting/export', { schema: { hide: true } }, async (request, reply) => {
    const signed = await ctx.signedIn(request, reply, 'BUYER');
    if (!signed) return reply;
    const query = scopeOf(request.query as Record<string, string>);
    const answer = await ctx.apiFor(signed, request).call<{ downloadUrl: string }>({
      method: 'GET',
      path: metricsPath,
      query: { ...query, view: 'timeseries', download: 'true' },
    });
    if (answer.error) {
      return ctx.render('/console/reporting', signed, request, reply, answer.status, {
        flash: { kind: 'error', text: answer.error.message },
      });
    }
    // The signed download is served by this server: go there by path, whatever the public URL.
    const url = new URL(answer.data.downloadUrl, 'http://own.invalid');
    return seeOther(reply, `${url.pathname}${url.search}`);
  });
}

/** The plots of a daily series: spend and impressions per day, and per media buy. */
export function reportCharts(report: Timeseries): ChartSpec[] {
  const currency = report.totalsCurrency ?? '';
  const byDay = new Map<string, { spend: number; impressions: number }>();
  const byBuy = new Map<string, { name: string; spend: number; impressions: number }>();
  for (const row of report.timeseries) {
    const day = byDay.get(row.date) ?? { spend: 0, impressions: 0 };
    day.spend += row.metrics.spend ?? 0;
    day.impressions += row.metrics.impressions;
    byDay.set(row.date, day);
    const buy = byBuy.get(row.mediaBuyId) ?? { name: row.mediaBuyName, spend: 0, impressions: 0 };
    buy.spend += row.metrics.spend ?? 0;
    buy.impressions += row.metrics.impressions;
    byBuy.set(row.mediaBuyId, buy);
  }
  const days = [...byDay.keys()].sort();
  const buys = [...byBuy.values()];
  const money = (v: number) => Math.round(v * 100) / 100;
  const spendLabel = `Spend${currency ? ` (${currency})` : ''}`;
  return [
    {
      id: 'spend-by-day',
      title: 'Spend over time',
      summary: 'What the sellers reported spent, per day (UTC).',
      labelHeading: 'Day',
      labels: days,
      series: [
        series(
          spendLabel,
          days.map((d) => money(byDay.get(d)!.spend)),
          'number',
        ),
      ],
      horizontal: false,
      emptyText: 'No delivery reported in this period yet.',
    },
    {
      id: 'impressions-by-day',
      title: 'Impressions over time',
      summary: 'Impressions the sellers reported, per day (UTC).',
      labelHeading: 'Day',
      labels: days,
      series: [
        series(
          'Impressions',
          days.map((d) => byDay.get(d)!.impressions),
          'count',
          'line',
        ),
      ],
      horizontal: false,
      emptyText: 'No delivery reported in this period yet.',
    },
    {
      id: 'spend-by-buy',
      title: 'Spend by media buy',
      summary: 'Each media buy’s spend over the period.',
      labelHeading: 'Media buy',
      labels: buys.map((b) => b.name),
      series: [
        series(
          spendLabel,
          buys.map((b) => money(b.spend)),
          'number',
        ),
      ],
      horizontal: true,
      emptyText: 'No media buy delivered in this period yet.',
    },
    {
      id: 'impressions-by-buy',
      title: 'Impressions by media buy',
      summary: 'Each media buy’s impressions over the period.',
      labelHeading: 'Media buy',
      labels: buys.map((b) => b.name),
      series: [
        series(
          'Impressions',
          buys.map((b) => b.impressions),
          'count',
        ),
      ],
      horizontal: true,
      emptyText: 'No media buy delivered in this period yet.',
    },
  ];
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
  const charts = reportCharts(report);
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
    `${panel('filter-h', 'Scope', filterForm)}
${panel('totals-h', 'Totals', `${totals}<p><a class="button" href="/console/reporting/export?${e(exportQuery)}" download>Export CSV</a></p>`)}
${report.timeseries.length ? charts.map(chartSection).join('\n') : ''}
${panel('rows-h', 'Daily delivery', rows)}
${report.timeseries.length ? `<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>` : ''}`,
  );
}
