import { z } from 'zod';

/*
 * The hosted pending-operations groups (storefront.json StorefrontPendingOperationsResponse):
 * field names and enums exactly as hosted has them, each group present only when non-empty.
 */

const buyerRef = z.object({ customerId: z.number().int().nullable(), name: z.string().nullable() });

const creativeReviewItem = z.object({
  creativeId: z.string(),
  mediaBuyId: z.string().nullable(),
  buyer: buyerRef,
  submittedAt: z.string(),
});

const recoveryAction = z
  .enum(['retry', 'force_retry', 'fix_and_resubmit', 'escalate'])
  .describe(
    'retry: a source failed transiently (re-forward it); fix_and_resubmit: a source refused ' +
      'the request as it is; escalate: nothing the operator can re-send',
  );

const failedForwardItem = z.object({
  mediaBuyId: z.string(),
  buyer: buyerRef,
  since: z.string().nullable().describe('When the failure was recorded'),
  terminalized: z.boolean().describe('True when the platform has stopped retrying this buy'),
  action: recoveryAction,
  references: z.object({
    idempotencyKey: z.string().nullable(),
    requestedAt: z.string().nullable(),
  }),
});

const failedForwardGroup = z.object({
  errorCode: z.string().describe('The error code the group shares: a source outage is one row'),
  recovery: z.enum(['transient', 'correctable', 'structural']).nullable(),
  action: recoveryAction,
  count: z.number().int(),
  items: z.array(failedForwardItem),
});

const awaitingSourceItem = z.object({
  mediaBuyId: z.string(),
  sourceId: z.string(),
  sourceName: z.string().nullable(),
  buyer: buyerRef,
  since: z.string().nullable().describe('Waiting on source moderation since this instant'),
  taskId: z.string().nullable().describe("The source's task id for the pending acceptance"),
});

const sourceDegradationItem = z.object({
  sourceId: z.string().nullable(),
  sourceName: z.string(),
  severity: z.enum(['blocking', 'attention', 'advisory']),
  headline: z.string().describe('One sentence: what is wrong and why it matters to the seller'),
});

const gamCleanupItem = z.object({
  operationId: z.string(),
  orderId: z.string(),
  sourceId: z.string(),
  sourceName: z.string().nullable(),
  outcome: z.enum(['failed', 'refused']),
  safeToCleanup: z.boolean(),
  requiredPermission: z.string().nullable(),
  retryDisposition: z.enum([
    'not_applicable',
    'retryable',
    'user_action_required',
    'manual_review_required',
  ]),
  safeNextAction: z.enum([
    'none',
    'retry_cleanup',
    'grant_archive_orders_and_recheck',
    'reauthenticate_and_recheck',
    'clean_up_manually_in_gam',
    'review_order_in_gam',
  ]),
  createdAt: z.string(),
});

const group = <T extends z.ZodType>(item: T) =>
  z.object({ count: z.number().int(), items: z.array(item) });

export const hostedPendingGroups = {
  creativeReviews: group(creativeReviewItem)
    .optional()
    .describe('Creatives waiting on operator review (present when non-empty)'),
  failedForwards: z
    .object({ count: z.number().int(), groups: z.array(failedForwardGroup) })
    .optional()
    .describe('Buys whose forward to their sources failed, grouped by error code'),
  awaitingSource: group(awaitingSourceItem)
    .optional()
    .describe('Buys a source accepted asynchronously and is still moderating'),
  sourceDegradations: group(sourceDegradationItem)
    .optional()
    .describe('The storefront’s sources failing their health probe'),
  gamCleanups: group(gamCleanupItem)
    .optional()
    .describe(
      'Ad-server orders a failed booking left behind that could not be archived (every ' +
        'ad-server kind, not only Google Ad Manager)',
    ),
};

export type CreativeReviewItem = z.infer<typeof creativeReviewItem>;
export type FailedForwardItem = z.infer<typeof failedForwardItem> & {
  errorCode: string;
  recovery: z.infer<typeof failedForwardGroup>['recovery'];
};
export type AwaitingSourceItem = z.infer<typeof awaitingSourceItem>;
export type SourceDegradationItem = z.infer<typeof sourceDegradationItem>;
export type GamCleanupItem = z.infer<typeof gamCleanupItem>;
