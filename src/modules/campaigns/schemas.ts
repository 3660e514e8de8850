import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { refusingHostedFields } from '../../platform/hosted-fields.js';
import { cursorParam, pageSchema } from '../../platform/http/pagination.js';
import { campaignStatuses, mediaBuyStatuses, pendingReasons } from './status.js';
import { pacingPeriodsInput } from './pacing.js';
import {
  audienceConfigInput,
  audienceConfigUpdate,
  campaignAudiencesAnswer,
} from './audience-config.js';
import { frequencyCapInput } from './frequency-caps.js';
import { campaignUtmInput } from './utm.js';
import { adcpGoalsInput, performanceConfigInput } from './optimization-goals.js';

const idSchema = z.string().min(1).max(64);
const money = z.number().min(0).max(1e12);
const instant = z.iso.datetime({ offset: true });
/** Seed 004 advertiser ids are numeric strings; the hosted body sends an integer. */
const advertiserRef = z.union([positiveIdSchema, z.string().regex(/^\d{1,10}$/)]).transform(String);
const queryList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item));

const flightDates = z
  .object({ startDate: instant, endDate: instant })
  .refine((f) => Date.parse(f.endDate) > Date.parse(f.startDate), {
    message: 'endDate must be after startDate',
    path: ['endDate'],
  });
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
  .transform((c) => c.toUpperCase());
const pacing = z.enum(['EVEN', 'ASAP', 'FRONTLOADED']);
/** Hosted: above 0. Most a campaign may spend in a UTC day. */
const dailyCap = z.number().gt(0, 'must be above 0').max(1e12);
const constraints = z.record(z.string(), z.unknown());

export const campaignParams = z.object({ campaignId: idSchema });
export const mediaBuyParams = z.object({ mediaBuyId: idSchema });
export const advertiserMediaBuyParams = z.object({
  advertiserId: z.string().min(1).max(255),
  mediaBuyId: idSchema,
});
export const advertiserParams = z.object({ advertiserId: z.string().min(1).max(255) });

/** Whether optimization suggestions apply themselves (AUTO) or wait for the buyer (MANUAL). */
const applyMode = z.enum(['AUTO', 'MANUAL']);

/** Hosted campaign fields not served yet, and why (docs/hosted-compatibility.md). */
const campaignFieldsNotServed = {
  catalogId: 'is not served yet: campaigns do not attach catalogs here',
  dataDelivery: 'is not served: there is no data delivery to configure here',
};

export const createCampaignBody = refusingHostedFields(
  z.object({
    advertiserId: advertiserRef,
    name: z.string().trim().min(1).max(255),
    flightDates,
    budget: z.object({
      total: money,
      currency: currency.optional(),
      dailyCap: dailyCap.optional(),
      pacing: pacing.optional(),
    }),
    brief: z.string().max(10_000).optional(),
    constraints: constraints.optional(),
    storefrontIds: z.array(positiveIdSchema).max(100).optional(),
    discoveryId: idSchema.optional(),
    /** Periods of the flight with their weight or budget: one package per product per period. */
    pacingPeriods: pacingPeriodsInput.optional(),
    /** The campaign's own caps, replacing the advertiser's (which apply when none are set). */
    frequencyCaps: z.array(frequencyCapInput).max(20).optional(),
    /** UTM params added to creatives' click-through URLs, over the advertiser's per key. */
    utmConfig: campaignUtmInput.optional(),
    /** Only discovery campaigns are built; performance and directed ones are not (yet). */
    mode: z.literal('discovery').optional(),
    /** Optimization goals, carried to sellers on the packages whose products take them. */
    performanceConfig: performanceConfigInput.optional(),
    /** Absent: the advertiser's. */
    optimizationApplyMode: applyMode.optional(),
    audienceConfig: audienceConfigInput.optional(),
  }),
  {
    ...campaignFieldsNotServed,
    productIds:
      'is not served: select products with POST /api/v2/buyer/discovery/{discoveryId}/products',
  },
);
export type CreateCampaignInput = z.output<typeof createCampaignBody>;

const packageChange = z.object({
  packageId: z.string().min(1).max(255),
  budget: money.optional(),
  bidPrice: money.optional(),
});

/**
 * One action on a campaign's media buy (hosted updateCampaign `mediaBuys`): `update` (the
 * default) changes its name or packages as PATCH /media-buys/{id} does, `cancel` cancels it or
 * only `packageIds` at the seller, `delete` archives one nothing runs at a seller for.
 */
const mediaBuyAction = z.object({
  action: z.enum(['update', 'cancel', 'delete']).default('update'),
  mediaBuyId: idSchema,
  reason: z.string().max(1000).optional(),
  packageIds: z.array(z.string().min(1).max(255)).max(200).optional(),
  name: z.string().trim().min(1).max(255).optional(),
  packages: z.array(packageChange).max(200).optional(),
  /** AdCP goals for every package of the buy ([] clears them), as updateMediaBuy takes them. */
  optimization_goals: adcpGoalsInput.optional(),
});

export const updateCampaignBody = refusingHostedFields(
  z.object({
    name: z.string().trim().min(1).max(255).optional(),
    flightDates: flightDates.optional(),
    budget: z
      .object({
        total: money.optional(),
        currency: currency.optional(),
        dailyCap: dailyCap.optional(),
        pacing: pacing.optional(),
      })
      .optional(),
    brief: z.string().max(10_000).optional(),
    constraints: constraints.optional(),
    storefrontIds: z.array(positiveIdSchema).max(100).optional(),
    discoveryId: idSchema.optional(),
    /**
     * Only on DRAFT: appended to the campaign's periods (same mode), answering
     * pacingCascadeResult; null removes them.
     */
    pacingPeriods: pacingPeriodsInput.nullable().optional(),
    /** Replaces the campaign's caps ([] clears them: no cap, not the advertiser's); null falls back to the advertiser's. */
    frequencyCaps: z.array(frequencyCapInput).max(20).nullable().optional(),
    /** Adds or updates params; `deleteMissing: true` replaces them. */
    utmConfig: campaignUtmInput.optional(),
    /** Present for symmetry with create: a campaign's mode never changes. */
    mode: z.literal('discovery').optional(),
    /** Hosted's per-buy actions, applied in order after the campaign's own fields. */
    mediaBuys: z.array(mediaBuyAction).max(100).optional(),
    /** Replaces the campaign's goals (null removes them); buys already placed keep theirs. */
    performanceConfig: performanceConfigInput.nullable().optional(),
    /** null: back to the advertiser's. */
    optimizationApplyMode: applyMode.nullable().optional(),
    audienceConfig: audienceConfigUpdate.optional(),
  }),
  {
    ...campaignFieldsNotServed,
    refresh: 'is not served: there are no directed campaigns to refresh here',
  },
);
export type UpdateCampaignInput = z.output<typeof updateCampaignBody>;
export type MediaBuyActionInput = z.output<typeof mediaBuyAction>;

export const listCampaignsQuery = z.object({
  advertiserId: z.string().min(1).max(255).optional(),
  name: z.string().max(255).optional(),
  status: queryList(z.enum([...campaignStatuses, 'ALL'])).optional(),
  /** Who steers the campaign: every campaign here is brief-driven (`discovery`). */
  mode: queryList(z.enum(['discovery', 'performance', 'directed'])).optional(),
  /** Every campaign here is authored through the platform (`managed`); none is mirrored. */
  management: z.enum(['tracked', 'managed', 'all']).default('all'),
  mediaBuyStatus: queryList(z.enum(mediaBuyStatuses)).optional(),
  includeArchived: z.enum(['true', 'false']).default('false'),
  /** Hosted enrichment (`geo_metro_names`); there are no geo labels to add, so accepted only. */
  fields: queryList(z.string().max(64)).optional(),
  take: z.coerce.number().int().min(1).max(250).default(50),
  skip: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  /** Opaque paging from a previous answer's `nextCursor`; wins over `skip`. */
  cursor: cursorParam.optional(),
});
export type ListCampaignsQuery = z.output<typeof listCampaignsQuery>;

/**
 * Hosted getCampaign's query. `mediaBuyId` narrows the embedded media buys (the campaign itself
 * is unchanged). The rest are accepted and change nothing here: every read is from the
 * database (`fresh`), campaigns carry no property lists, embedded buys carry no product
 * format options, and there are no geo labels (`fields`).
 */
export const getCampaignQuery = z.object({
  mediaBuyId: queryList(idSchema).optional(),
  fresh: z.enum(['true', 'false']).optional(),
  includePropertyLists: z.enum(['true', 'false']).optional(),
  includeProductDetails: z.enum(['true', 'false']).optional(),
  fields: queryList(z.string().max(64)).optional(),
});
export type GetCampaignQuery = z.output<typeof getCampaignQuery>;

export const listMediaBuysQuery = z.object({
  status: queryList(z.enum(mediaBuyStatuses)).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const executeBody = z.object({ debug: z.boolean().optional() }).optional();

export const patchMediaBuyBody = refusingHostedFields(
  z.object({
    name: z.string().trim().min(1).max(255).optional(),
    start_time: instant.optional(),
    end_time: instant.optional(),
    packages: z.array(packageChange).max(200).optional(),
    /** Replaces the buy's goals on every package ([] clears them): those each product takes. */
    optimization_goals: adcpGoalsInput.optional(),
    updated_reason: z.string().max(1000).optional(),
  }),
  {
    products: "is not served: a media buy gains products through its campaign's execute",
    creative_ids:
      'is not served here: assign creatives through /api/v2/buyer/campaigns/{campaignId}/creatives',
  },
);
export type PatchMediaBuyInput = z.output<typeof patchMediaBuyBody>;

const packageSchema = z.object({
  packageId: z.string(),
  productId: z.string(),
  productName: z.string(),
  status: z.enum(['active', 'paused', 'canceled']),
  startTime: z.string(),
  endTime: z.string(),
  budget: z.number(),
  budgetCurrency: z.string(),
  bidPrice: z.number().optional(),
  pricingOptionId: z.string(),
  /** Hosted PackagePacingPeriod: the period the package was cut for (absent when not paced). */
  pacingPeriod: z.object({ index: z.number().int(), label: z.string().optional() }).optional(),
  /** Ours: the AdCP pacing sent with the package. */
  pacing: z.enum(['even', 'asap', 'front_loaded']).optional(),
  /** Hosted: the AdCP optimization goals the package carries (those its product takes). */
  optimizationGoals: z.array(z.record(z.string(), z.unknown())),
});

export const mediaBuySchema = z.object({
  mediaBuyId: z.string(),
  name: z.string(),
  status: z.enum(mediaBuyStatuses),
  campaignId: z.string(),
  advertiserId: z.string(),
  salesAgentId: z.string(),
  salesAgentName: z.string(),
  /** Null for a buy with a remote agent the buyer registered (no storefront). */
  storefrontId: z.string().nullable(),
  sellerMediaBuyId: z.string().nullable(),
  adcpStatus: z.string().nullable(),
  pendingAt: z.enum(['storefront', 'salesagent', 'unknown']).optional(),
  pendingReason: z.enum(pendingReasons).optional(),
  pendingSince: z.string().optional(),
  errorCode: z.string().optional(),
  errorOwner: z.enum(['buyer_input', 'platform', 'seller']).optional(),
  sourceMessage: z.string().optional(),
  forwardedAt: z.string().optional(),
  /** Ours: the task (GET /api/v2/buyer/tasks/{taskId}) of the last seller operation that did not settle at once. */
  taskId: z.string().optional(),
  /** Ours: when the seller last told us about the buy (status sync or a push notification). */
  lastSyncedAt: z.string().optional(),
  /**
   * A change sent to the seller whose outcome is not known yet (its answer was lost): the buy
   * keeps the status of what is live. Hosted shape; `differences` is empty here.
   */
  pendingChange: z
    .object({
      status: z.string(),
      pendingAt: z.enum(['storefront', 'salesagent', 'unknown']),
      differences: z.object({}),
    })
    .optional(),
  /**
   * Ours: a write to the seller whose outcome Interchange is establishing (its answer was lost
   * to a restart or a timeout, or it is in flight): which one and since when. The buy is never
   * FAILED meanwhile; it converges once the seller is asked (docs/buying.md).
   */
  outcomePending: z
    .object({
      operation: z.enum(['create', 'update', 'pause', 'resume', 'cancel']),
      since: z.string(),
    })
    .optional(),
  buyerReference: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  budget: z.number(),
  currency: z.string(),
  packages: z.array(packageSchema),
  /** Ours: the AdCP goals set on the buy itself (updateMediaBuy); absent: the campaign's. */
  optimizationGoals: z.array(z.record(z.string(), z.unknown())).optional(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const mediaBuyAnswer = z.object({ mediaBuy: mediaBuySchema });
export const mediaBuyPatchAnswer = mediaBuyAnswer.extend({ warnings: z.array(z.string()) });
export const mediaBuyPageSchema = pageSchema(mediaBuySchema);

export const packagesAnswer = z.object({
  mediaBuyId: z.string(),
  isPaced: z.boolean(),
  packageCount: z.number().int(),
  packages: z.array(packageSchema),
});

export const mediaBuyActionAnswer = z.object({
  mediaBuyId: z.string(),
  name: z.string(),
  previousStatus: z.string(),
  newStatus: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
  /** Ours: the seller took the change as a task; follow it at GET /api/v2/buyer/tasks/{taskId}. */
  taskId: z.string().optional(),
});

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

// Hosted getTask: task ids are UUIDs.
export const taskParams = z.object({ taskId: z.uuid() });

export const taskAnswer = z.object({
  task: z.object({
    taskId: z.string(),
    /** Hosted: audience_sync, media_buy_create, creative_sync; media_buy_update is ours. */
    taskType: z.enum(['media_buy_create', 'media_buy_update', 'audience_sync']),
    status: z.enum(['submitted', 'working', 'input-required', 'completed', 'failed']),
    resourceType: z.string().nullable(),
    resourceId: z.string().nullable(),
    error: z.record(z.string(), z.unknown()).nullable(),
    response: z.record(z.string(), z.unknown()).nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    retryAfterSeconds: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
});

export const pushNotificationParams = z.object({ mediaBuyId: idSchema });
export const pushNotificationAnswer = z.object({ received: z.literal(true) });
