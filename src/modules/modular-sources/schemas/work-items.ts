import { z } from 'zod';

const statuses = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'COMPLETED', 'CANCELLED'] as const;
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(item).max(20));

export const workItemParams = z.object({
  sourceId: z.string().min(1).max(255),
  workItemId: z.string().min(1).max(255),
});

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
  })
  .meta({ id: 'ModularWorkItem' });
