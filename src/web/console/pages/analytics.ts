import type { SellerAnalytics } from '../../../modules/seller-analytics/index.js';
import { type ChartSpec, formatValue } from '../../analytics-charts/charts.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Frame, page, when } from '../layout.js';

/**
 * Seller analytics: headline figures, coaching, and the four plots. Each plot is a canvas that
 * the static script draws from the JSON data block, followed by the same numbers as a table
 * (its text alternative, and what a reader without script or sight relies on).
 */
export function renderAnalytics(
  frame: Frame,
  analytics: SellerAnalytics,
  charts: ChartSpec[],
  /** The posture recommendations and the seller's choice (seller/postures.ts). */
  postures = '',
): string {
  const h = analytics.historicalPerformance;
  const o = analytics.outcomes;
  const facts = `<dl class="facts">
<dt>Runs in the window</dt><dd>${analytics.window.runCount} (${when(analytics.window.firstRunAt)} to ${when(analytics.window.lastRunAt)})</dd>
<dt>Win rate</dt><dd>${e(formatValue(h.winRate, 'percent'))} (${h.bookedRunCount} of ${h.runCount} eligible runs booked)</dd>
<dt>Ask-to-book conversion</dt><dd>${e(formatValue(h.askToBookConversionRate, 'percent'))}</dd>
<dt>Booked budget</dt><dd>${e(formatValue(o.bookedBudget, 'number'))} over ${o.bookedMediaBuyCount} media buys</dd>
<dt>Delivered</dt><dd>${o.deliveredImpressions} impressions, ${e(formatValue(o.deliveredSpend, 'number'))} ${e(o.deliveredCurrency ?? '(mixed or no currency)')}</dd>
<dt>Recommended posture</dt><dd>${e(h.recommendedPosture?.replace(/_/g, ' ') ?? 'none yet')}</dd>
</dl>`;
  const recommendations = analytics.sellerRecommendations.length
    ? `<ul>${analytics.sellerRecommendations
        .map(
          (r) =>
            `<li><strong>${e(r.title)}</strong> (${e(r.priority)} priority): ${e(r.detail)} <em>${e(r.action)}</em></li>`,
        )
        .join('')}</ul>`
    : '<p class="empty">No recommendations for this window.</p>';
  return page(
    { ...frame, charts: true },
    `<section class="panel" aria-labelledby="sum-h"><h2 id="sum-h">Summary</h2>${facts}</section>
<section class="panel" aria-labelledby="rec-h"><h2 id="rec-h">Recommendations</h2>${recommendations}</section>
${postures}
${charts.map(chartSection).join('\n')}
<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>`,
  );
}

export function chartSection(spec: ChartSpec): string {
  const id = `chart-${spec.id}`;
  const head = `<h2 id="${id}-title">${e(spec.title)}</h2><p class="summary" id="${id}-summary">${e(spec.summary)}</p>`;
  if (spec.labels.length === 0) {
    return `<section class="chart" aria-labelledby="${id}-title">${head}<p class="empty">${e(spec.emptyText)}</p></section>`;
  }
  const rows = spec.labels
    .map(
      (label, i) =>
        `<tr><th scope="row">${e(label)}</th>${spec.series.map((s) => `<td>${e(s.display[i])}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<section class="chart" aria-labelledby="${id}-title">${head}
<div class="chart-box"><canvas role="img" data-chart="${e(spec.id)}" aria-label="${e(`${spec.title}: the table below gives the values`)}"></canvas></div>
<table id="${id}-table"><caption>${e(spec.title)} (data)</caption><thead><tr><th scope="col">${e(spec.labelHeading)}</th>${spec.series
    .map((s) => `<th scope="col">${e(s.label)}</th>`)
    .join('')}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** JSON safe inside a <script> element: nothing in it can close the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
