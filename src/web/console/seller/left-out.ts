import type { SellerAnalyticsService } from '../../../modules/seller-analytics/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { panel, when } from '../layout.js';

type IntelligenceRun = Awaited<ReturnType<SellerAnalyticsService['getRun']>>;

/** How many recent runs the analytics page shows what they left out of. */
export const leftOutRunsShown = 10;

const reasonLabels: Record<string, string> = {
  channel: 'channel not asked for',
  country: 'country not asked for',
  format: 'format not asked for',
  flight: 'outside the flight',
  answer_size: 'below the answer size (reachable by paging)',
  other: 'other',
};

/**
 * What the recent runs left out of their answers and why (issue 47, item 2), on the analytics
 * page: per run the counts by reason and the first products left out. A run that left nothing
 * out is not listed.
 */
export function leftOutPanel(runs: IntelligenceRun[]): string {
  const rows = runs.flatMap((run) => {
    if (!run.leftOut) return [];
    const reasons = run.leftOut.byReason
      .map((r) => `<li>${r.count} ${e(reasonLabels[r.reason] ?? r.reason)}</li>`)
      .join('');
    const named = run.leftOut.products
      .map((p) => `<li><code>${e(p.productId)}</code>: ${e(p.reason)}</li>`)
      .join('');
    return [
      `<tr><td>${when(run.createdAt)}</td><td>${e(run.brief ?? '(no brief)')}</td>` +
        `<td>${run.composedProductIds.length}</td><td>${run.leftOut.total}</td>` +
        `<td><ul>${reasons}</ul><details><summary>First ${run.leftOut.products.length} left out</summary><ul>${named}</ul></details></td></tr>`,
    ];
  });
  const body =
    rows.length === 0
      ? '<p class="empty">None of the recent runs left a product out.</p>'
      : `<table><caption>Of the last ${leftOutRunsShown} runs, those that left products out</caption><thead><tr><th scope="col">When</th><th scope="col">Brief</th><th scope="col">Shown</th><th scope="col">Left out</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return panel('left-out-h', 'What runs left out', body);
}
