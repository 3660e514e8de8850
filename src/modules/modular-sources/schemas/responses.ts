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

/** How each distinct formats cell of the accepted rows was read (Interchange addition). */
const formatMappingSchema = z
  .array(
    z.object({
      written: z.string().describe('The cell as the file wrote it'),
      formatIds: z.array(z.string()).describe('The AdCP format ids it became'),
      formatKinds: z.array(z.string()),
      rowCount: z.number().int(),
    }),
  )
  .describe('Interchange addition: each distinct formats cell of the accepted rows → format ids');

/** What committing the preview would do to what is on sale (Interchange addition). */
const commitImpactSchema = z
  .object({
    deliverySemantics: z.enum(['FULL_REPLACEMENT', 'PATCH_UPSERT']),
    newAvailCount: z.number().int(),
    updatedAvailCount: z.number().int(),
    offSaleCount: z
      .number()
      .int()
      .describe('Avails on sale now that the commit takes off sale (FULL_REPLACEMENT: not listed)'),
    offSale: z
      .array(
        z.object({
          availId: z.string(),
          name: z.string(),
          endTime: z.string(),
          heldImpressions: z.number().int(),
          bookedImpressions: z.number().int(),
        }),
      )
      .describe('The first 200 of them; held and booked impressions stay with their buyers'),
  })
  .describe('Interchange addition: what a commit of this preview adds, updates and takes off sale');

export const previewSchema = z.looseObject({
  feedId: z.string(),
  sourceId: z.string(),
  revision: loose,
  previewBaseline: loose,
  summary: loose,
  rejectedRows: z.array(loose),
  warnings: z.array(loose),
  formatMapping: formatMappingSchema.optional(),
  commitImpact: commitImpactSchema.optional(),
  replayed: z.boolean(),
});

export const feedRulesSchema = z.object({
  columns: z.array(
    z.object({
      field: z.string(),
      required: z.boolean(),
      aliases: z.array(z.string()).describe('Headers read as this field (the first is canonical)'),
      holds: z.string().optional(),
    }),
  ),
  savedMapping: z.record(z.string(), z.string()),
  formats: z.array(
    z.object({ formatId: z.string(), formatKind: z.string(), writtenAs: z.array(z.string()) }),
  ),
  spotLengths: z.array(z.number().int()),
  ownFormatsAgent: z
    .boolean()
    .describe('The source names its own formats agent: ids written as they are are its ids'),
  channels: z.array(z.string()),
  pricingModels: z.array(z.string()),
  soldPricingModel: z.string(),
  maxCpm: z.number().describe("This source's CPM ceiling (the avails-feed module's maxCpm)"),
  defaultMaxCpm: z.number().describe('The ceiling of a source that sets none'),
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
  formatMapping: formatMappingSchema.optional(),
  commitImpact: commitImpactSchema.optional(),
});

export const productsSchema = z.object({ products: z.array(loose) });
