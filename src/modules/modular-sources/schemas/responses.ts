import { z } from 'zod';
import { lifecycleStatuses } from '../lifecycle/projection.js';

/** The projection (hosted getModularInventorySourceReadiness), top levels named; modules loosely. */
export const projectionSchema = z
  .looseObject({
    inventorySource: z.looseObject({
      id: z.string(),
      storefrontId: z.string(),
      sourceId: z.string(),
      name: z.string(),
      executionType: z.literal('MODULAR_SOURCE'),
      status: z.string(),
      healthStatus: z.string(),
      lastError: z.string().nullable(),
      lastCheckedAt: z.string().nullable(),
    }),
    modules: z.array(
      z.looseObject({ moduleInstanceId: z.string(), kind: z.string(), status: z.string() }),
    ),
    lifecycleSummary: z.array(
      z.looseObject({
        stage: z.string(),
        supported: z.boolean(),
        status: z.enum(lifecycleStatuses),
        modes: z.array(z.string()),
        openWorkItemCount: z.number().int(),
      }),
    ),
    openWorkItemCount: z.number().int(),
    openWorkItemCountsByKind: z.record(z.string(), z.number().int()),
    activeAvailCount: z.number().int(),
  })
  .meta({ id: 'ModularProjection' });

export const createdSourceSchema = z.object({
  inventorySourceId: z.string(),
  sourceId: z.string(),
  projection: projectionSchema,
});

const loose = z.looseObject({});

export const previewSchema = z.looseObject({
  feedId: z.string(),
  sourceId: z.string(),
  revision: loose,
  previewBaseline: loose,
  summary: loose,
  rejectedRows: z.array(loose),
  warnings: z.array(loose),
  replayed: z.boolean(),
});

export const commitSchema = z.looseObject({
  feedId: z.string(),
  sourceId: z.string(),
  revision: loose,
  revisionRecord: z.object({
    id: z.string(),
    feedId: z.string(),
    revisionId: z.string(),
    idempotencyKey: z.string(),
    contentDigest: z.string(),
    validationStatus: z.string(),
    commitStatus: z.string(),
    replayed: z.boolean(),
  }),
  summary: loose,
  activeAvailCount: z.number().int(),
});

export const availsFeedSchema = z.looseObject({
  previewOnly: z.boolean(),
  inputSource: z.string(),
  parsedAvailCount: z.number().int(),
  rejectedRowCount: z.number().int(),
  avails: z.array(loose),
  rejectedRows: z.array(loose),
  ingestedAvailCount: z.number().int(),
});

export const productsSchema = z.object({ products: z.array(loose) });
