import type { SuggestionRow } from './tables.js';

/** Names the optimizer that made a suggestion (hosted modelVersion). */
export const modelVersion = 'interchange-budget-shift-1';

/** Hosted OptimizationSuggestionListItem. */
export function suggestionListItem(row: SuggestionRow) {
  return {
    suggestionId: row.id,
    campaignId: row.campaignId,
    mediaBuyId: row.mediaBuyId,
    optimizationMetric: row.metric,
    status: row.status,
    productAdjustmentCount: row.adjustments.length,
    bidAdjustmentCount: 0,
    createdAt: row.createdAt.toISOString(),
    statusUpdatedAt: row.statusUpdatedAt.toISOString(),
  };
}

/** Hosted OptimizationSuggestionDetail, with ours: the budget adjustments and the apply mode. */
export function suggestionDetail(row: SuggestionRow) {
  return {
    suggestionId: row.id,
    optimizerRunId: row.runId,
    campaignId: row.campaignId,
    mediaBuyId: row.mediaBuyId,
    suggestionTimestamp: row.createdAt.toISOString(),
    modelVersion,
    optimizationMetric: row.metric,
    // The buy's total stays the same: budget moves between its packages.
    mediaBuyScalingFactor: 1,
    mediaBuyScalingRationale: row.rationale,
    pacingRecommendation: row.pacing,
    status: row.status,
    statusReason: row.statusReason,
    statusError: row.statusError,
    createdAt: row.createdAt.toISOString(),
    statusUpdatedAt: row.statusUpdatedAt.toISOString(),
    applyMode: row.applyMode,
    currency: row.currency,
    budgetAdjustments: row.adjustments,
  };
}

/** Hosted OptimizationSuggestionStatus. */
export const suggestionStatus = (row: SuggestionRow) => ({
  suggestionId: row.id,
  status: row.status,
});
