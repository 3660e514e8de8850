import { z } from 'zod';
import { suggestionStatuses } from './tables.js';

/** Optimisation suggestions on the wire: the hosted documents' shapes, ours added. */

const id = z.string().min(1).max(64);

export const suggestionParams = z.object({ suggestionId: z.uuid() });

export const listSuggestionsQuery = z.object({
  /** Hosted sends integers; our campaign and media buy ids are strings. */
  campaignId: id.optional(),
  mediaBuyId: id.optional(),
  status: z.enum(suggestionStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const rejectSuggestionBody = z.object({ reason: z.string().max(1000).optional() });

const adjustment = z.object({
  packageId: z.string(),
  productId: z.string(),
  productName: z.string(),
  currentBudget: z.number(),
  proposedBudget: z.number(),
  /** What the package spent so far, as its seller reported it. */
  spend: z.number(),
  /** The package's figure on optimizationMetric (null: none yet, e.g. no conversions). */
  metricValue: z.number().nullable(),
});

export const suggestionListItemSchema = z.object({
  suggestionId: z.string(),
  campaignId: z.string(),
  mediaBuyId: z.string(),
  optimizationMetric: z.string().nullable(),
  status: z.string(),
  productAdjustmentCount: z.number(),
  bidAdjustmentCount: z.number(),
  createdAt: z.string(),
  statusUpdatedAt: z.string(),
});

export const suggestionListSchema = z.object({
  suggestions: z.array(suggestionListItemSchema),
  totalCount: z.number(),
  hasMore: z.boolean(),
});

export const suggestionDetailSchema = z.object({
  suggestionId: z.string(),
  optimizerRunId: z.string().nullable(),
  campaignId: z.string(),
  mediaBuyId: z.string(),
  suggestionTimestamp: z.string().nullable(),
  modelVersion: z.string().nullable(),
  /** Ours: cpa, roas, cpc, cpv or cpcv (the campaign's primary goal). */
  optimizationMetric: z.string().nullable(),
  mediaBuyScalingFactor: z.number().nullable(),
  mediaBuyScalingRationale: z.string().nullable(),
  pacingRecommendation: z
    .object({
      status: z.enum(['on_pace', 'under_spending', 'over_spending']),
      errorRatio: z.number(),
      currentDailyRate: z.number(),
      recommendedDailySpend: z.number(),
      message: z.string(),
    })
    .nullable(),
  status: z.string(),
  statusReason: z.string().nullable(),
  statusError: z.string().nullable(),
  createdAt: z.string(),
  statusUpdatedAt: z.string(),
  /** Ours: how the suggestion is applied (the campaign's optimizationApplyMode when made). */
  applyMode: z.enum(['AUTO', 'MANUAL']),
  currency: z.string(),
  /** Ours: the package budgets the suggestion changes (the buy's total stays the same). */
  budgetAdjustments: z.array(adjustment),
});

export const suggestionStatusSchema = z.object({ suggestionId: z.string(), status: z.string() });
