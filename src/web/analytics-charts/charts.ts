import type { SellerAnalytics } from '../../modules/seller-analytics/index.js';

/**
 * The seller-analytics plots as plain data, built once from the payload of
 * GET /api/v2/storefront/seller-analytics and used twice: drawn by chart.js in the browser and
 * rendered as the table that is each plot's text alternative (console page and MCP App alike),
 * so the picture and the table cannot disagree.
 */
export type ValueFormat = 'percent' | 'number' | 'count';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  format: ValueFormat;
  /** Each value as the table and the tooltip print it. */
  display: string[];
  /** How the series is drawn; a chart mixing both gets a second y axis for the line. */
  draw: 'bar' | 'line';
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence saying what the plot shows, read before the table. */
  summary: string;
  /** The heading of the table's first column (what each label is). */
  labelHeading: string;
  labels: string[];
  series: ChartSeries[];
  /** Horizontal bars read better for long labels (buyer domains, product ids). */
  horizontal: boolean;
  /** Shown instead of the plot when there is nothing to draw. */
  emptyText: string;
}

const topBuyerCount = 10;

export function analyticsCharts(analytics: SellerAnalytics): ChartSpec[] {
  const history = analytics.historicalPerformance;
  const askRuns = history.askRunCount;
  // askToBookConversionRate is booked ask runs / ask runs (docs/seller-analytics.md).
  const bookedAskRuns =
    history.askToBookConversionRate === null
      ? 0
      : Math.round(askRuns * history.askToBookConversionRate);
  const buyers = [...analytics.buyers]
    .sort((a, b) => b.bookedBudget - a.bookedBudget || b.runCount - a.runCount)
    .slice(0, topBuyerCount);
  return [
    {
      id: 'by-month',
      title: 'Win rate and booked budget by month',
      summary:
        'Per UTC month of the window: the share of discovery runs that led to a booking, and ' +
        'the budget booked from them.',
      labelHeading: 'Month',
      labels: analytics.seasonality.map((m) => m.period),
      series: [
        series(
          'Booked budget',
          analytics.seasonality.map((m) => m.bookedBudget),
          'number',
        ),
        series(
          'Win rate',
          analytics.seasonality.map((m) => m.winRate),
          'percent',
          'line',
        ),
      ],
      horizontal: false,
      emptyText: 'No discovery runs in the window yet.',
    },
    {
      id: 'funnel',
      title: 'Ask-to-book funnel',
      summary:
        'Discovery runs, the runs in which the buyer asked for something (refinements, price ' +
        'or packaging), and the ask runs that were booked.',
      labelHeading: 'Stage',
      labels: history.runCount === 0 ? [] : ['Discovery runs', 'Runs with asks', 'Booked ask runs'],
      series: [
        series(
          'Runs',
          history.runCount === 0 ? [] : [history.runCount, askRuns, bookedAskRuns],
          'count',
        ),
      ],
      horizontal: true,
      emptyText: 'No discovery runs in the window yet.',
    },
    {
      id: 'top-buyers',
      title: 'Top buyers',
      summary: `Up to ${topBuyerCount} buyers by booked budget: their discovery runs and booked runs.`,
      labelHeading: 'Buyer',
      labels: buyers.map((b) => b.brandDomain ?? b.operatorDomain ?? 'unidentified buyer'),
      series: [
        series(
          'Runs',
          buyers.map((b) => b.runCount),
          'count',
        ),
        series(
          'Booked runs',
          buyers.map((b) => b.bookedRunCount),
          'count',
        ),
      ],
      horizontal: true,
      emptyText: 'No identified buyers in the window yet.',
    },
    {
      id: 'top-products',
      title: 'Top surfaced products',
      summary: 'The products shown in the most discovery runs of the window.',
      labelHeading: 'Product',
      labels: analytics.topProducts.map((p) => p.name ?? p.productId),
      series: [
        series(
          'Runs that showed it',
          analytics.topProducts.map((p) => p.impressions),
          'count',
        ),
      ],
      horizontal: true,
      emptyText: 'No products surfaced in the window yet.',
    },
  ];
}

export function series(
  label: string,
  values: (number | null)[],
  format: ValueFormat,
  draw: ChartSeries['draw'] = 'bar',
): ChartSeries {
  return { label, values, format, display: values.map((v) => formatValue(v, format)), draw };
}

/** How a value reads in a table cell and a tooltip. */
export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null) return '—';
  if (format === 'percent') return `${(value * 100).toFixed(1)}%`;
  if (format === 'count') return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
