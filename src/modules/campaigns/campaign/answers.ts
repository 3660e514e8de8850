import { z } from 'zod';
import { campaignStatuses, mediaBuyStatuses } from '../status/statuses.js';
import { frequencyCapInput } from '../targeting/frequency-caps.js';
import { performanceConfigInput } from '../goals/optimization-goals.js';
import { mediaBuySchema } from '../buys/schemas.js';
import { campaignAudiencesAnswer } from '../targeting/audience-config.js';
import { applyMode, constraints, pacing } from '../schema-fields.js';

/** What the campaign routes answer: a campaign, a page of them, and the outcome of acting on one. */

const campaignSummary = z.object({
  campaignId: z.string(),
  advertiserId: z.string(),
  name: z.string(),
  status: z.enum(campaignStatuses),
  mode: z.literal('discovery'),
  management: z.literal('managed'),
  flightDates: z.object({ startDate: z.string(), endDate: z.string() }),
  constraints: constraints.optional(),
  productCount: z.number().int().min(0),
  budget: z.object({ total: z.number(), currency: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const campaignListSchema = z.object({
  campaigns: z.array(campaignSummary),
  total: z.number().int().min(0),
  hasMore: z.boolean(),
  /** Absent on the last page. */
  nextCursor: z.string().optional(),
  /** The hosted V3 list cards (`items`, `activeCount`) are not served. */
  v3Enabled: z.literal(false),
});

const resolvedPacing = z.object({
  mode: z.enum(['weight', 'budget']),
  periods: z.array(
    z.object({
      label: z.string(),
      start: z.string(),
      end: z.string(),
      weight: z.number().optional(),
      /** Resolved: the period's share of the budget (weight mode), or its own. */
      budget: z.number(),
    }),
  ),
});

/** Hosted updateCampaign's answer to appended periods: what moved. */
const pacingCascade = z.object({
  appendedPeriods: z.number().int(),
  totalPeriods: z.number().int(),
  periods: z.array(
    z.object({
      label: z.string(),
      start: z.string(),
      end: z.string(),
      budget: z.number(),
      previousBudget: z.number().nullable(),
      change: z.enum(['added', 'moved', 'unchanged']),
    }),
  ),
  unallocatedBudget: z.number(),
});

export const campaignSchema = z.object({
  campaign: campaignSummary.extend({
    brief: z.string().optional(),
    budget: z.object({
      total: z.number(),
      currency: z.string(),
      dailyCap: z.number().optional(),
      pacing: pacing.optional(),
    }),
    allocatedBudget: z.number(),
    unallocatedBudget: z.number(),
    pacingPeriods: resolvedPacing.optional(),
    /** The caps that apply: the campaign's own, else its advertiser's (targetLevel says which). */
    frequencyCaps: z.array(
      frequencyCapInput.extend({
        id: z.string(),
        targetLevel: z.enum(['ADVERTISER', 'CAMPAIGN']),
        targetId: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
    /** Ours: the UTM params click-through URLs get, merged (source: where each was set). */
    utmConfig: z.object({
      params: z.array(
        z.object({
          paramKey: z.string(),
          paramValue: z.string(),
          source: z.enum(['advertiser', 'campaign']),
        }),
      ),
    }),
    storefrontIds: z.array(z.number().int()),
    /** The campaign's own mode, else its advertiser's. */
    optimizationApplyMode: applyMode,
    performanceConfig: performanceConfigInput.optional(),
    audiences: campaignAudiencesAnswer.optional(),
    /** Ours: the signal ids audienceConfig targets and suppresses. */
    signals: z
      .object({
        targetSignalIds: z.array(z.string()).optional(),
        suppressSignalIds: z.array(z.string()).optional(),
      })
      .optional(),
    discoveryId: z.string().optional(),
    mediaBuyRefs: z.array(z.object({ mediaBuyId: z.string(), status: z.enum(mediaBuyStatuses) })),
    mediaBuys: z.array(mediaBuySchema),
    revision: z.number().int(),
  }),
  warnings: z.array(z.string()),
  pacingCascadeResult: pacingCascade.optional(),
});

export const executeAnswer = z.object({
  campaignId: z.string(),
  previousStatus: z.enum(campaignStatuses),
  newStatus: z.enum(campaignStatuses),
  success: z.boolean(),
  mediaBuysExecuted: z.number().int().min(0),
  reason: z.literal('no_media_buys_to_execute').optional(),
  errors: z.array(
    z.object({ mediaBuyId: z.string(), salesAgentId: z.string(), message: z.string() }),
  ),
  warnings: z.array(
    z.object({ type: z.string(), mediaBuyIds: z.array(z.string()), hint: z.string() }),
  ),
});

export const cascadeAnswer = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  previousStatus: z.enum(campaignStatuses),
  newStatus: z.enum(campaignStatuses),
  mediaBuyResults: z.array(
    z.object({
      mediaBuyId: z.string(),
      name: z.string(),
      previousStatus: z.string(),
      success: z.boolean(),
      error: z.string().optional(),
    }),
  ),
  totalMediaBuys: z.number().int(),
  successCount: z.number().int(),
  failureCount: z.number().int(),
});

export const campaignProductsAnswer = z.object({
  campaignId: z.string(),
  discoveryId: z.string().nullable(),
  products: z.array(
    z.object({
      productId: z.string(),
      productName: z.string(),
      salesAgentId: z.string(),
      salesAgentName: z.string(),
      bidPrice: z.number().optional(),
      budget: z.number().optional(),
      pricingOptionId: z.string(),
      pricingModel: z.string().optional(),
      selectedAt: z.string(),
      mediaBuys: z.array(
        z.object({
          mediaBuyId: z.string(),
          status: z.string(),
          name: z.string(),
          packageIds: z.array(z.string()),
        }),
      ),
    }),
  ),
  searchContexts: z.array(
    z.object({
      id: z.string(),
      brief: z.string(),
      channels: z.array(z.string()),
      countries: z.array(z.string()),
      createdAt: z.string(),
      productCount: z.number().int(),
    }),
  ),
  summary: z.object({
    totalProducts: z.number().int(),
    productsOnMediaBuys: z.number().int(),
    productsPending: z.number().int(),
  }),
});

export const mediaBuyStatusAnswer = z.object({
  campaign_id: z.string(),
  campaign_status: z.string(),
  operational_status: z.enum([
    'no_media_buys',
    'draft',
    'pending_creatives',
    'pending_start',
    'active',
    'paused',
    'completed',
    'attention_required',
  ]),
  media_buys: z.array(
    z.object({
      media_buy_id: z.string(),
      adcp_media_buy_id: z.string(),
      internal_status: z.string(),
      adcp_status: z.string(),
      previous_internal_status: z.string(),
      previous_adcp_status: z.string(),
      updated: z.boolean(),
      status_refresh_source: z.enum([
        'direct_agent',
        'not_submitted',
        'persisted_terminal',
        'refresh_failed',
      ]),
      blockers: z.array(z.string()),
    }),
  ),
  agents_queried: z.number().int(),
  errors: z.array(z.object({ media_buy_id: z.string(), error: z.string() })),
  blockers: z.array(z.object({ code: z.string(), message: z.string() })),
  pending_creative_reviews: z.number().int(),
  has_upstream_media_buy: z.boolean(),
  has_delivery: z.boolean(),
});
