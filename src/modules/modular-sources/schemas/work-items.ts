import { z } from 'zod';

const statuses = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'COMPLETED', 'CANCELLED'] as const;
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(item).max(20));

export const workItemParams = z.object({
  sourceId: z.string().min(1).max(255),
  workItemId: z.string().min(1).max(255),
});

/** A work item of the storefront by its id (whatever its source). */
export const storefrontWorkItemParams = workItemParams.pick({ workItemId: true });

export const workItemQuery = z.object({
  status: list(z.enum(statuses)).optional(),
  kind: list(
    z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Z][A-Z0-9_]*$/),
  ).optional(),
  resourceType: z.string().max(80).optional(),
  resourceId: z.string().max(255).optional(),
  mediaBuyId: z.string().max(255).optional(),
  buyerCustomerId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .describe('An Interchange addition: items to skip (newest first), to page the queue.'),
});

export const updateWorkItemBody = z
  .object({
    status: z.enum(['OPEN', 'IN_PROGRESS', 'BLOCKED']).optional(),
    assignedTo: z.union([z.string().min(1).max(255), z.number().int()]).optional(),
    blockedReason: z.string().max(2000).nullable().optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    notes: z.string().max(4000).optional(),
  })
  .strict();

export const completeWorkItemBody = z
  .object({
    result: z.record(z.string(), z.unknown()).optional(),
    notes: z.string().max(4000).optional(),
  })
  .strict();

/** The buy a work item is about, as it is now (Interchange's addition to the hosted item). */
export const workItemBuySchema = z
  .object({
    mediaBuyId: z.string().describe("The source's media buy id"),
    status: z.string().describe('Its AdCP status as the buyer reads it (pending_start, canceled…)'),
    buyer: z.object({
      customerId: z.number().int(),
      name: z.string().nullable().describe('The buyer customer’s name'),
    }),
    brandDomain: z.string().nullable().describe('The brand the buyer named (brand.domain)'),
    poNumber: z.string().nullable().describe('The buyer’s purchase order number'),
    budget: z.object({ amount: z.number(), currency: z.string() }),
    flight: z.object({ startTime: z.string(), endTime: z.string() }),
    products: z.array(
      z.object({
        packageId: z.string(),
        availId: z.string(),
        name: z.string().nullable().describe('The avail’s name, while the feed has it'),
        impressions: z.number().int(),
        budget: z.number(),
        cpm: z.number(),
        currency: z.string(),
      }),
    ),
    holdExpiresAt: z
      .string()
      .nullable()
      .describe(
        'When the buy’s capacity hold lapses unless its booking is confirmed (null once booked, or without a ledger): the item’s deadline',
      ),
  })
  .meta({ id: 'ModularWorkItemMediaBuy' });

export const workItemSchema = z
  .looseObject({
    id: z.string(),
    storefrontId: z.string(),
    inventorySourceId: z.string(),
    moduleId: z.string().nullable(),
    kind: z.string(),
    stage: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(statuses),
    priority: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    mediaBuyId: z.string().nullable(),
    buyerCustomerId: z.number().int().nullable(),
    assignedTo: z.string().nullable(),
    dueAt: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    blockedReason: z.string().nullable(),
    createdByType: z.string(),
    createdById: z.string().nullable(),
    completedBy: z.string().nullable(),
    completedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    requiredResultFields: z.array(z.string()).optional(),
    mediaBuy: workItemBuySchema
      .nullable()
      .optional()
      .describe(
        'The media buy the item is about, as it is now: buyer, brand, PO, budget, flight, products, hold deadline',
      ),
  })
  .meta({ id: 'ModularWorkItem' });

export const storefrontWorkItemQuery = z.object({
  status: workItemQuery.shape.status,
  kind: workItemQuery.shape.kind,
  limit: workItemQuery.shape.limit,
});

export const storefrontWorkItemsSchema = z.object({
  items: z.array(
    workItemSchema.extend({
      source: z.object({
        sourceId: z.string(),
        name: z.string().nullable(),
        executionType: z.string().nullable(),
      }),
    }),
  ),
  total: z.number().int().describe('Items matching the statuses and kinds asked'),
  countsByKind: z
    .record(z.string(), z.number().int())
    .describe('Items matching the statuses asked, by kind (whatever the kind filter)'),
  countsBySource: z
    .array(
      z.object({
        sourceId: z.string(),
        name: z.string().nullable(),
        executionType: z.string().nullable(),
        count: z.number().int(),
      }),
    )
    .describe('Items matching the statuses asked, by source, most first'),
});
