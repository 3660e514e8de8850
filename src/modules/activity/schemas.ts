import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';

export const activityResourceTypes = [
  'STOREFRONT',
  'STOREFRONT_INVENTORY_SOURCE',
  'OPERATING_INSTRUCTIONS',
  'BUYER_INSTRUCTIONS',
  'PRODUCT_RULES',
] as const;
export const activityActions = ['CREATE', 'UPDATE', 'DELETE', 'ACTIVATE', 'PROBE'] as const;

export type ActivityResourceType = (typeof activityResourceTypes)[number];
export type ActivityAction = (typeof activityActions)[number];

export const activityEntrySchema = z
  .object({
    id: z.number().int(),
    timestamp: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    action: z.enum(activityActions),
    resourceType: z.enum(activityResourceTypes),
    resourceId: z.string().nullable(),
    resourceName: z.string().nullable(),
    userId: z.number().int().nullable(),
    actorOrigin: z.enum(['human', 'agent', 'autonomous', 'system']),
    outcome: z.enum(['succeeded', 'failed']),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
    description: z.string(),
  })
  .meta({ id: 'ActivityEntry' });

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

// The hosted API's action names; ARCHIVE, EXECUTE and DEACTIVATE are accepted and match what
// we record under them (nothing today), so a hosted client's filter is never refused.
const filterActions = [...activityActions, 'ARCHIVE', 'EXECUTE', 'DEACTIVATE'] as const;

/** The hosted audit-log filters; an unknown parameter is refused (400), not silently ignored. */
export const activityQuery = z
  .object({
    startDate: z.iso.datetime({ offset: true }).optional(),
    endDate: z.iso.datetime({ offset: true }).optional(),
    inventorySourceId: z.string().min(1).max(255).optional(),
    resourceTypes: oneOrMany(z.enum(activityResourceTypes)).optional(),
    actions: oneOrMany(z.enum(filterActions)).optional(),
    actorOrigin: z.enum(['human', 'agent', 'autonomous', 'system']).optional(),
    actorUserId: positiveIdSchema.optional(),
    actorUserEmail: z.string().trim().min(3).max(320).optional(),
    resourceId: z.string().min(1).max(255).optional(),
    // "denied" is the hosted API's blocked attempts; we record none, so it lists nothing.
    outcome: z.enum(['succeeded', 'failed', 'denied']).optional(),
    take: z.coerce.number().int().min(1).max(500).default(50),
    skip: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const activityListSchema = z.object({
  logs: z.array(activityEntrySchema),
  total: z.number().int(),
});

export type ActivityEntry = z.infer<typeof activityEntrySchema>;
export type ActivityQuery = z.infer<typeof activityQuery>;

/** What a module hands in to record one change. */
export interface NewActivity {
  storefrontId: number;
  action: ActivityAction;
  resourceType: ActivityResourceType;
  resourceId?: string | null;
  resourceName?: string | null;
  userId?: number | null;
  actorOrigin?: 'human' | 'agent' | 'autonomous' | 'system';
  outcome?: 'succeeded' | 'failed';
  changes?: Record<string, { from: unknown; to: unknown }> | null;
  description: string;
}
