import { z } from 'zod';
import { refusingHostedFields } from '../../../platform/hosted-fields.js';
import { pageSchema } from '../../../platform/http/pagination.js';
import { mediaBuyStatuses, pendingReasons } from '../status/statuses.js';
import { adcpGoalsInput } from '../goals/optimization-goals.js';
import { idSchema, instant, packageChange, queryList } from '../schema-fields.js';

/** Media buys on the wire: what a buyer sends to list and change them, and what they look like. */

export const listMediaBuysQuery = z.object({
  status: queryList(z.enum(mediaBuyStatuses)).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

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
