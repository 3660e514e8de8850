import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { postures } from '../postures/index.js';
import { leftOutReasons } from './runs/left-out.js';

export const int = z.number().int();
export const count = z.number().int().min(0);

const posture = z.enum(postures);
const nullableRate = z.number().nullable();
const evidence = z.array(z.object({ label: z.string(), value: z.string() }));
const buyerRef = z.object({
  operatorDomain: z.string().nullable(),
  brandDomain: z.string().nullable(),
  country: z.string().nullable(),
});
const delivered = {
  deliveredImpressions: count,
  deliveredSpend: z.number().min(0),
  deliveredCurrency: z.string().nullable(),
};
const eventCounts = {
  submittedCount: count,
  forwardedCount: count,
  forwardFailedCount: count,
  rejectedCount: count,
  deliveryReportedCount: count,
};

export const analyticsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(100)
    .describe('How many of the most recent intelligence runs to aggregate over.'),
});

const runOutcome = z.object({
  eventCount: count,
  latestType: z.string().nullable(),
  latestStatus: z.string().nullable(),
  mediaBuyId: z.string().nullable(),
  ...eventCounts,
  bookedMediaBuyCount: count,
  bookedBudget: z.number().nullable(),
  ...delivered,
});

export const sellerAnalyticsSchema = z.object({
  generatedAt: z.string(),
  storefront: z
    .object({ id: z.string(), name: z.string(), state: z.enum(['neutral', 'paused', 'archived']) })
    .nullable(),
  window: z.object({
    requestedRunLimit: int,
    runCount: count,
    eligibleRunCount: count,
    legacyRunCount: count,
    firstRunAt: z.string().nullable(),
    lastRunAt: z.string().nullable(),
  }),
  summary: z.object({
    totalRuns: count,
    okRuns: count,
    skippedRuns: count,
    errorRuns: count,
    briefRuns: count,
    refineRuns: count,
    wholesaleRuns: count,
    totalShownProducts: count,
    averageShownProducts: z.number(),
    priceObjectionCount: count,
    packagingAskCount: count,
    requestAskCount: count,
    productAskCount: count,
    proposalAskCount: count,
    appliedRefinements: count,
    partialRefinements: count,
    unableRefinements: count,
  }),
  outcomes: z.object({
    attributedRunCount: count,
    eventCount: count,
    ...eventCounts,
    bookedMediaBuyCount: count,
    bookedBudget: z.number().min(0),
    ...delivered,
  }),
  historicalPerformance: z.object({
    runCount: count,
    bookedRunCount: count,
    winRate: z.number(),
    askRunCount: count,
    askToBookConversionRate: nullableRate,
    priceObjectionConversionRate: nullableRate,
    packagingAskConversionRate: nullableRate,
    averageBookedBudget: z.number().nullable(),
    averageProductsPerRun: z.number(),
    averageProductsPerBookedRun: z.number().nullable(),
    averageProductsPerUnbookedRun: z.number().nullable(),
    deliveryRate: nullableRate,
    repeatBuyerCount: count,
    recommendedPosture: posture.nullable(),
  }),
  seasonality: z.array(
    z.object({
      period: z.string(),
      runCount: count,
      bookedRunCount: count,
      winRate: z.number(),
      askRunCount: count,
      askToBookConversionRate: nullableRate,
      priceObjectionCount: count,
      packagingAskCount: count,
      bookedBudget: z.number(),
      averageBookedBudget: z.number().nullable(),
      averageShownProducts: z.number(),
      recommendedPosture: posture.nullable(),
    }),
  ),
  buyers: z.array(
    buyerRef.extend({
      firstRunAt: z.string().nullable(),
      lastRunAt: z.string().nullable(),
      runCount: count,
      bookedRunCount: count,
      winRate: z.number(),
      askRunCount: count,
      askToBookConversionRate: nullableRate,
      attributedRunCount: count,
      eventCount: count,
      totalShownProducts: count,
      averageShownProducts: z.number(),
      priceObjectionCount: count,
      packagingAskCount: count,
      requestAskCount: count,
      productAskCount: count,
      proposalAskCount: count,
      bookedMediaBuyCount: count,
      bookedBudget: z.number(),
      averageBookedBudget: z.number().nullable(),
      ...delivered,
      recommendedPosture: posture.nullable(),
    }),
  ),
  postureConversion: z.object({
    byPosture: z.array(
      z.object({
        posture,
        runCount: count,
        bookedRunCount: count,
        winRate: z.number(),
        bookedBudget: z.number(),
      }),
    ),
    adherence: z.object({
      comparableRunCount: count,
      followedCount: count,
      followedWinRate: nullableRate,
      divergedWinRate: nullableRate,
    }),
  }),
  learnedDefault: z
    .object({ posture, reason: z.string().nullable(), checkedAt: z.string().nullable() })
    .nullable(),
  strategySignals: z.array(
    z.object({
      id: z.string(),
      priority: z.enum(['high', 'medium', 'low']),
      label: z.string(),
      detail: z.string(),
      posture,
      evidence,
      accepted: z
        .boolean()
        .describe(
          'Whether the seller accepted this posture: only an accepted recommendation changes get_products (Interchange addition)',
        ),
    }),
  ),
  acceptedPostures: z
    .array(posture)
    .describe(
      'Postures the seller accepted from history’s recommendations (Interchange addition; POST …/seller-analytics/posture-acceptances)',
    ),
  sellerRecommendations: z.array(
    z.object({
      id: z.string(),
      priority: z.enum(['high', 'medium', 'low']),
      kind: z.enum([
        'protect_expand',
        'prioritize_follow_up',
        'packaging_friction',
        'price_resistance',
        'tighten_selection',
        'learned_auto_approve',
      ]),
      title: z.string(),
      detail: z.string(),
      action: z.string(),
      buyer: buyerRef.nullable(),
      evidence,
    }),
  ),
  runs: z.array(
    z.object({
      id: z.string(),
      purpose: z.enum(['live', 'setup_test', 'simulation', 'probe', 'evaluation']).nullable(),
      createdAt: z.string(),
      buyingMode: z.string(),
      resultKind: z.enum(['ok', 'error', 'skipped']),
      resultCode: z.string().nullable(),
      selectedPosture: posture.nullable(),
      recommendedPosture: posture.nullable(),
      postureRationale: z.string().nullable(),
      postureEvidence: z.array(z.string()),
      attributionState: z.enum(['attributed', 'unattributed', 'unavailable']),
      buyer: buyerRef,
      shownProductCount: count,
      minSellPrice: z.number().nullable(),
      maxSellPrice: z.number().nullable(),
      requestAskCount: count,
      productAskCount: count,
      proposalAskCount: count,
      hadPriceObjection: z.boolean(),
      hadPackagingAsk: z.boolean(),
      refinementStatusCounts: z.object({ applied: count, partial: count, unable: count }),
      outcome: runOutcome,
    }),
  ),
  topProducts: z.array(
    z.object({ productId: z.string(), name: z.string().nullable(), impressions: count }),
  ),
  notes: z.array(z.string()),
});

export const runListQuery = z.object({
  skip: z.coerce.number().int().min(0).default(0),
  take: z.coerce.number().int().min(1).max(100).default(25),
  disposition: z.enum(['responded', 'declined_fit', 'declined_policy', 'not_live']).optional(),
  q: z.string().min(1).max(200).optional(),
  buyingMode: z.enum(['brief', 'wholesale', 'refine']).optional(),
  commercialResult: z.enum(['booked', 'pending', 'rejected']).optional(),
  view: z.enum(['summary', 'full']).default('full'),
});

export const runParams = z.object({ id: positiveIdSchema });

const unknownJson = z.unknown();
export const intelligenceRunSchema = z.object({
  id: z.string(),
  purpose: z.enum(['live', 'setup_test', 'simulation', 'probe', 'evaluation']).nullable(),
  storefrontId: z.string(),
  buyerCustomerId: int.nullable(),
  operatingInstructionsVersion: int,
  buyerScope: buyerRef,
  buyerInstructions: z.object({
    matchedRowIds: z.array(z.string()),
    effectiveDiscountPercent: z.number().nullable(),
    notes: z.array(z.string()),
  }),
  brief: z.string().nullable(),
  buyingMode: z.string(),
  inventorySnapshot: unknownJson,
  prompt: z.string(),
  rawLlmOutput: unknownJson,
  parsedOutput: unknownJson,
  runRationale: z.string().nullable(),
  explanation: z.object({
    summary: z.string(),
    selectedProducts: z.array(
      z.object({
        productId: z.string().nullable(),
        name: z.string().nullable(),
        description: z.string().nullable(),
        reasoning: z.string().nullable(),
        pricing: z
          .object({
            baseCpm: z.number().nullable(),
            currency: z.string().nullable(),
            operatorDiscount: z.number().nullable(),
            finalCpm: z.number().nullable(),
          })
          .nullable(),
        bundleIds: z.array(z.string()),
        signalIds: z.array(z.string()),
        formatIds: z.array(
          z.object({ agentUrl: z.string().nullable(), id: z.string().nullable() }),
        ),
      }),
    ),
    unpricedProducts: z.array(
      z.object({
        name: z.string().nullable(),
        reasoning: z.string().nullable(),
        reason: z.string(),
        bundleIds: z.array(z.string()),
        signalIds: z.array(z.string()),
      }),
    ),
    buyerInstructionNotes: z.array(z.string()),
    pricingNotes: z.array(z.string()),
    failure: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
  }),
  composedProductIds: z.array(z.string()),
  result: z.object({
    kind: z.enum(['ok', 'error', 'skipped']),
    code: z.string().nullable(),
    message: z.string().nullable(),
  }),
  modelProvider: z.string().nullable(),
  modelName: z.string(),
  durationMs: int.nullable(),
  refineSnapshot: unknownJson,
  refinementAppliedSnapshot: unknownJson,
  requestAsks: z.array(z.string()),
  shownProductsSnapshot: unknownJson,
  pricingSummary: unknownJson,
  negotiationSummary: unknownJson,
  commercialOutcome: runOutcome.nullable(),
  leftOut: z
    .object({
      total: count.describe('Products the run left out of the answer'),
      byReason: z
        .array(
          z.object({
            reason: z
              .enum(leftOutReasons)
              .describe(
                'channel, country, format, flight: the brief matcher found the product cannot serve what the request requires; answer_size: ranked below the page shown (reachable through the cursor)',
              ),
            count,
          }),
        )
        .describe('How many were left out for each reason, most first'),
      products: z
        .array(z.object({ productId: z.string(), reason: z.string() }))
        .describe('The first 20 products left out, in ranking order, with the reason in words'),
    })
    .nullable()
    .describe(
      'What the run left out and why (Interchange addition); null when not recorded (older runs)',
    ),
  evalLabel: unknownJson,
  createdAt: z.string(),
});

export const runListSchema = z.object({ items: z.array(intelligenceRunSchema), total: count });

/** Accepting a history-derived posture recommendation. */
export const postureAcceptanceBody = z.object({
  posture: posture.describe('The recommended posture the seller accepts for get_products'),
});
export const postureAcceptanceParams = z.object({
  posture: posture.describe('The accepted posture to withdraw'),
});
export const postureAcceptanceSchema = z.object({
  posture: posture.describe('An accepted posture'),
  acceptedAt: z.string().describe('When the seller accepted it (ISO 8601)'),
});
export const postureAcceptancesSchema = z.object({
  items: z.array(postureAcceptanceSchema).describe('Accepted postures, oldest first'),
});
export const withdrawnPostureSchema = z.object({
  posture: posture.describe('The posture no longer accepted'),
  withdrawn: z.literal(true),
});

export const learnedDefaultPostureBody = z
  .object({
    posture: posture
      .nullable()
      .describe(
        'The posture the seller accepts as the storefront learned default (the only accepted one), or null to accept none',
      ),
  })
  .meta({ id: 'SetLearnedDefaultPostureBody' });
export const learnedDefaultPostureSchema = z
  .object({
    learnedDefault: z
      .object({
        posture,
        reason: z.string().nullable().describe('Why it applies'),
        checkedAt: z.string().nullable().describe('When the seller accepted it (ISO 8601)'),
      })
      .nullable()
      .describe('The accepted posture, or null when none is (after a clear)'),
  })
  .meta({ id: 'LearnedDefaultPostureResponse' });
