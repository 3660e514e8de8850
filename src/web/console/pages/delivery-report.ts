import { type ChartSpec, series } from '../../analytics-charts/charts.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { panel } from '../layout.js';
import { chartSection, jsonForScript } from './analytics.js';
import { cents } from '../../../sources/money.js';

/** A row of a reporting API's daily series, as both reporting views answer it. */
export interface DeliveryRow {
  date: string;
  mediaBuyId: string;
  mediaBuyName: string;
  metrics: { impressions: number; spend: number | null };
}

/**
 * The plots of a daily delivery series: spend and impressions per day, and per media buy.
 * `reportedBy` names who reported the delivery in the plots' summaries ("the sellers").
 */
export function deliveryCharts(
  rows: readonly DeliveryRow[],
  options: { currency: string; reportedBy: string },
): ChartSpec[] {
  const { currency, reportedBy } = options;
  const byDay = new Map<string, { spend: number; impressions: number }>();
  const byBuy = new Map<string, { name: string; spend: number; impressions: number }>();
  for (const row of rows) {
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
  const spendLabel = `Spend${currency ? ` (${currency})` : ''}`;
  return [
    {
      id: 'spend-by-day',
      title: 'Spend over time',
      summary: `What ${reportedBy} reported spent, per day (UTC).`,
      labelHeading: 'Day',
      labels: days,
      series: [
        series(
          spendLabel,
          days.map((d) => cents(byDay.get(d)!.spend)),
          'number',
        ),
      ],
      horizontal: false,
      emptyText: 'No delivery reported in this period yet.',
    },
    {
      id: 'impressions-by-day',
      title: 'Impressions over time',
      summary: `Impressions ${reportedBy} reported, per day (UTC).`,
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
          buys.map((b) => cents(b.spend)),
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

/**
 * A delivery report page's body, the same for buyers and sellers: the scope form, the totals
 * with the CSV export, the plots (each followed by its table) when there are rows, and the rows.
 */
export function deliveryReportBody(parts: {
  filterForm: string;
  totals: string;
  exportHref: string;
  charts: ChartSpec[];
  rows: string;
  hasRows: boolean;
}): string {
  const { charts, hasRows } = parts;
  return `${panel('filter-h', 'Scope', parts.filterForm)}
${panel('totals-h', 'Totals', `${parts.totals}<p><a class="button" href="${e(parts.exportHref)}" download>Export CSV</a></p>`)}
${hasRows ? charts.map(chartSection).join('\n') : ''}
${panel('rows-h', 'Daily delivery', parts.rows)}
${hasRows ? `<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>` : ''}`;
}
