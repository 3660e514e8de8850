import { z } from 'zod';

/*
 * Interchange additions (the hosted API has no route for these): an ad-server source's products
 * and its orders in the ad server, for the operator (docs/ad-servers.md, "In the console").
 */

export const productListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(100)
    .describe('At most this many products on the page (the Merchandising Agent is served all)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Products skipped'),
});

export const productListSchema = z.object({
  sourceId: z.string(),
  products: z
    .array(z.looseObject({ product_id: z.string() }))
    .describe(
      'AdCP products the synced inventory makes, as the storefront’s Merchandising Agent is served them (ids not yet namespaced by the source)',
    ),
  total: z.number().int().describe('How many products the synced inventory makes in all'),
});

export const orderStatuses = [
  'creating',
  'approving',
  'active',
  'paused',
  'canceled',
  'rejected',
  'failed',
  'cleanup_pending',
] as const;

export const orderListQuery = z.object({
  status: z
    .enum(orderStatuses)
    .optional()
    .describe('Only orders in this status (approving: waiting for the ad server’s approval)'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
});
export type OrderListQuery = z.infer<typeof orderListQuery>;

const orderSchema = z.object({
  mediaBuyId: z.string().describe('The storefront media buy the order was placed for'),
  buyerCustomerId: z.number().int(),
  status: z
    .string()
    .describe(
      'creating, approving (written; waiting for the ad server’s approval), active, paused, canceled, rejected (the ad server disapproved it), failed, cleanup_pending',
    ),
  adServerOrderId: z.string().nullable().describe('The order’s id in the ad server'),
  adServerStatus: z
    .string()
    .nullable()
    .describe('The order’s status in the ad server when last checked (DRAFT, PENDING_APPROVAL, …)'),
  adServerCheckedAt: z.string().nullable(),
  currency: z.string(),
  budget: z.number().describe('The sum of its lines’ budgets'),
  lines: z.array(
    z.object({
      packageId: z.string(),
      productId: z.string(),
      budget: z.number(),
      cpm: z.number(),
      lineItemId: z.string().nullable().describe('The line item in the ad server, once created'),
    }),
  ),
  startTime: z.string(),
  endTime: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
});

export const orderListSchema = z.object({
  orders: z.array(orderSchema),
  count: z.number().int(),
  nextCursor: z.string().nullable(),
});
