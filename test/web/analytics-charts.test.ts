import { describe, expect, it } from 'vitest';
import type { SellerAnalytics } from '../../src/modules/seller-analytics/index.js';
import { analyticsCharts, formatValue } from '../../src/web/analytics-charts/charts.js';
import { jsonForScript } from '../../src/web/console/pages/analytics.js';

/** The plot series built from a seller-analytics payload (hand-computed), and their formatting. */
function payload(overrides: Partial<SellerAnalytics>): SellerAnalytics {
  return {
    historicalPerformance: { runCount: 0, askRunCount: 0, askToBookConversionRate: null },
    seasonality: [],
    buyers: [],
    topProducts: [],
    ...overrides,
  } as unknown as SellerAnalytics;
}

describe('analyticsCharts', () => {
  it('builds the funnel from runs, ask runs and booked ask runs (rate × ask runs)', () => {
    const charts = analyticsCharts(
      payload({
        historicalPerformance: {
          runCount: 10,
          askRunCount: 4,
          askToBookConversionRate: 0.75,
        } as SellerAnalytics['historicalPerformance'],
      }),
    );
    const funnel = charts.find((c) => c.id === 'funnel')!;
    expect(funnel.labels).toEqual(['Discovery runs', 'Runs with asks', 'Booked ask runs']);
    expect(funnel.series[0]!.values).toEqual([10, 4, 3]);
    expect(funnel.series[0]!.display).toEqual(['10', '4', '3']);
  });

  it('has no points, only the empty text, when the window has no runs', () => {
    const charts = analyticsCharts(payload({}));
    // Every chart is still drawn (each says why it is empty), so the loop below checks them all.
    expect(charts.map((chart) => chart.id)).toEqual([
      'by-month',
      'funnel',
      'top-buyers',
      'top-products',
    ]);
    for (const chart of charts) {
      expect(chart.labels).toEqual([]);
      expect(chart.emptyText).toMatch(/yet\.$/);
    }
  });

  it('ranks buyers by booked budget then runs, keeps ten, and names them by brand', () => {
    const buyers = Array.from({ length: 12 }, (_, i) => ({
      brandDomain: i === 0 ? null : `b${i}.example`,
      operatorDomain: i === 0 ? 'agency.example' : null,
      runCount: i,
      bookedRunCount: i % 2,
      bookedBudget: i === 3 ? 1000 : 0,
    }));
    const top = analyticsCharts(payload({ buyers } as unknown as Partial<SellerAnalytics>)).find(
      (c) => c.id === 'top-buyers',
    )!;
    expect(top.labels).toHaveLength(10);
    expect(top.labels.slice(0, 3)).toEqual(['b3.example', 'b11.example', 'b10.example']);
    expect(top.labels).not.toContain('agency.example');
  });

  it('plots win rate as a percentage line beside the booked budget bars', () => {
    const monthly = analyticsCharts(
      payload({
        seasonality: [
          { period: '2026-01', winRate: 0.5, bookedBudget: 1200.5 },
          { period: '2026-02', winRate: 0, bookedBudget: 0 },
        ],
      } as unknown as Partial<SellerAnalytics>),
    ).find((c) => c.id === 'by-month')!;
    expect(monthly.series.map((s) => [s.label, s.draw])).toEqual([
      ['Booked budget', 'bar'],
      ['Win rate', 'line'],
    ]);
    expect(monthly.series[0]!.display).toEqual(['1,200.5', '0']);
    expect(monthly.series[1]!.display).toEqual(['50.0%', '0.0%']);
  });

  it('formats nulls as a dash', () => {
    expect(formatValue(null, 'percent')).toBe('—');
  });

  it('embeds JSON that cannot close its script element', () => {
    const text = jsonForScript({ label: '</script><script>alert(1)</script>&' });
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual({ label: '</script><script>alert(1)</script>&' });
  });
});
