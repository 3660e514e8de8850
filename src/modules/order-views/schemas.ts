import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { sellerMediaBuyStatuses } from './views.js';

const int = z.number().int();
const count = z.number().int().min(0);

/** The storefront's media buys as its seller reads them: the list and one buy's timeline. */
const isoInstant = z.iso.datetime({ offset: false });
export const mediaBuyFilterQuery = z.object({
  status: z
    .enum(sellerMediaBuyStatuses)
    .optional()
    .describe('Filter to one seller lifecycle state.'),
  // customer ids are PostgreSQL integers: a larger one would overflow the query, not miss.
  buyerCustomerId: positiveIdSchema.optional().describe('Filter to one buyer (customer id).'),
  sourceId: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Filter to buys with a leg on this inventory source.'),
  flightStartFrom: isoInstant
    .optional()
    .describe('Only buys whose flight starts at/after this instant.'),
  flightStartTo: isoInstant
    .optional()
    .describe('Only buys whose flight starts at/before this instant.'),
});
export const mediaBuyListQuery = mediaBuyFilterQuery.extend({
  take: z.coerce.number().int().min(1).max(200).default(50).describe('Page size (max 200).'),
  skip: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Rows to skip (after the cursor’s row when a cursor is given).'),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      'An Interchange addition: the nextCursor of the previous page; the page starts after that row, so buys placed meanwhile neither repeat nor vanish.',
    ),
});

/** What the orders list adds to each hosted summary (Interchange additions, all additive). */
const orderFields = {
  brandDomain: z.string().nullable().describe('The brand the buyer named (brand.domain).'),
  poNumber: z.string().nullable().describe('The buyer’s purchase order number.'),
  budget: z
    .number()
    .nullable()
    .describe(
      'The budget as the sources last confirmed it: as booked, moved by each package whose source confirmed another budget after an update; null when none was booked.',
    ),
  bookedBudget: z
    .number()
    .nullable()
    .describe(
      'The budget as booked: total_budget.amount, else the sum of the packages’ budgets; null when neither.',
    ),
  currency: z.string().nullable(),
  productIds: z.array(z.string()).describe('The products the buy’s packages name.'),
  sources: z
    .array(
      z.object({
        sourceId: z.string(),
        name: z.string().nullable(),
        sourceMediaBuyId: z.string().nullable().describe('The source’s own id of its leg.'),
        status: z.string().nullable().describe('The media-buy status the source last reported.'),
      }),
    )
    .describe('The inventory sources the buy went to, one per leg.'),
  pacing: z
    .object({
      deliveredSpend: z.number().describe('Spend to date, as the sources last reported it.'),
      deliveredImpressions: int,
      expectedSpend: z
        .number()
        .nullable()
        .describe('The budget spread evenly over the flight, to now; null without budget or end.'),
      pacingRatio: z
        .number()
        .nullable()
        .describe('deliveredSpend / expectedSpend; null before the flight starts.'),
      lastReportedAt: z.string().nullable(),
    })
    .describe('Delivered against expected to date.'),
  openWorkItems: count.describe('Open, in-progress or blocked work items of the buy’s sources.'),
  buyerRefs: z
    .object({
      agencyEstimateNumber: z.string().nullable(),
      planId: z.string().nullable(),
      proposalId: z.string().nullable(),
    })
    .describe('The buyer’s own references as it sent them (its PO is poNumber).'),
};

export const mediaBuyExportSchema = z.object({
  downloadUrl: z
    .string()
    .describe('A signed link to the CSV; it is the credential, until expiresAt.'),
  expiresAt: z.string(),
  fileName: z.string(),
  rowCount: count.describe('The buys the filters select now; the CSV is read when fetched.'),
});

const partyRef = z.object({ customerId: int.nullable(), name: z.string().nullable() });
export const mediaBuyListSchema = z.object({
  items: z.array(
    z.object({
      mediaBuyId: z.string(),
      kind: z.enum(['routed', 'esa']),
      buyer: partyRef,
      status: z.enum(sellerMediaBuyStatuses),
      sourceStatus: z.string().nullable(),
      settlementMethod: z.enum(['interchange', 'seller']).nullable(),
      pendingReason: z
        .enum([
          'forward_failed_needs_correction',
          'forward_failed_retrying',
          'awaiting_storefront_approval',
          'awaiting_source_moderation',
          'no_creatives_attached',
          'source_rejected_creatives',
          'creative_processing_at_source',
          'awaiting_creative_approval',
          'accepted_awaiting_trafficking',
          'scheduled_not_started',
        ])
        .nullable(),
      pendingSince: z.string().nullable(),
      errorCode: z.string().nullable(),
      forwardOutcome: z.enum([
        'not_forwarded',
        'all_completed',
        'all_submitted',
        'partial',
        'failed',
      ]),
      flightStart: z.string().nullable(),
      flightEnd: z.string().nullable(),
      sourceCount: count,
      esaId: z.string().nullable(),
      createdAt: z.string().nullable(),
      forwardedAt: z.string().nullable(),
      ...orderFields,
    }),
  ),
  total: count,
  nextCursor: z
    .string()
    .nullable()
    .describe('An Interchange addition: pass as cursor for the next page; null on the last page.'),
  warnings: z.array(z.string()),
  statusFreshness: z
    .object({
      lastConfirmedAt: z.string().nullable(),
      hoursSinceConfirmed: int.nullable(),
      message: z.string(),
    })
    .nullable(),
});

export const mediaBuyTimelineParams = z.object({ mediaBuyId: z.string().min(1).max(255) });

const stageName = z.enum([
  'received',
  'screened',
  'decided',
  'forwarded',
  'forward_failed',
  'submitted',
  'source_moderation',
  'accepted',
  'rejected',
  'delivering',
]);
const stage = z.object({
  stage: stageName,
  at: z.string().nullable(),
  detail: z.string().nullable(),
  evidence: z.array(
    z.object({
      at: z.string(),
      kind: z.enum(['exchange_event', 'webhook', 'collapsed_run']),
      eventType: z.string().nullable(),
      outcome: z.string().nullable(),
      errorCode: z.string().nullable(),
      recovery: z.enum(['transient', 'correctable', 'structural']).nullable(),
      attemptNumber: int.nullable(),
      hiddenCount: int.nullable(),
      detail: z.string().nullable(),
    }),
  ),
});
const payloadObject = z.record(z.string(), z.unknown()).nullable();
export const mediaBuyTimelineSchema = z.object({
  mediaBuyId: z.string(),
  buyer: partyRef,
  approval: z
    .object({
      status: z.string(),
      submittedAt: z.string(),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      reviewerNotes: z.string().nullable(),
      forwardedAt: z.string().nullable(),
      submittedPayload: payloadObject,
    })
    .nullable(),
  stages: z.array(stage),
  legs: z.array(
    z.object({
      sourceId: z.string(),
      sourceName: z.string().nullable(),
      sourceKind: z.string(),
      currentStatus: z.string().nullable(),
      forwardedAt: z.string().nullable(),
      responseReceivedAt: z.string().nullable(),
      theirReference: z.object({
        mediaBuyId: z.string().nullable(),
        taskId: z.string().nullable(),
      }),
      platformReference: z.object({
        idempotencyKey: z.string().nullable(),
        requestedAt: z.string().nullable(),
      }),
      stages: z.array(stage),
      forwardedPayload: payloadObject,
      responsePayload: payloadObject,
      payloadHighlights: z
        .object({
          flightStart: z.string().nullable(),
          flightEnd: z.string().nullable(),
          budget: z
            .number()
            .nullable()
            .describe('The buy’s budget as its sources last confirmed it (as booked until then).'),
          bookedBudget: z
            .number()
            .nullable()
            .describe('An Interchange addition: the buy’s budget as booked.'),
          currency: z.string().nullable(),
          packageCount: int.nullable(),
          productIds: z.array(z.string()),
          targetingKeys: z.array(z.string()),
        })
        .nullable(),
      replayed: z.boolean().nullable(),
      note: z.string().nullable(),
    }),
  ),
  eventsTruncated: z.boolean(),
});

/** A buyer's own media buys, whatever surface made them (GET /api/v2/buyer/media-buys). */
export const buyerMediaBuyListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // The list is merged from two records, newest first: deep pages read their whole prefix.
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  mediaBuyId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('That one buy alone, by the id its row and the AdCP agent give it'),
});

export const buyerMediaBuyListSchema = z.object({
  items: z.array(
    z.object({
      mediaBuyId: z.string(),
      origin: z
        .enum(['campaign', 'storefront_agent'])
        .describe(
          'campaign: placed by one of your campaigns; storefront_agent: placed straight on a storefront’s AdCP agent (MCP or A2A) with your key',
        ),
      name: z.string(),
      status: z
        .string()
        .describe(
          'DRAFT, PENDING_APPROVAL, ACTIVE, PAUSED, COMPLETED, FAILED, REJECTED, CANCELED…',
        ),
      adcpStatus: z.string().nullable(),
      campaignId: z.string().nullable(),
      advertiserId: z.string().nullable(),
      storefront: z.object({ id: z.string(), name: z.string() }).nullable(),
      salesAgentName: z.string(),
      brandDomain: z.string().nullable(),
      poNumber: z.string().nullable(),
      budget: z.number().nullable(),
      currency: z.string().nullable(),
      startTime: z.string().nullable(),
      endTime: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  total: count,
  hasMore: z.boolean(),
  nextOffset: count.nullable(),
});
