import { z } from 'zod';
import { lifecycleStatuses } from '../lifecycle/projection.js';
import { catalogMappingReadinessSchema } from './catalog-mapping.js';
import { modularDescriptor } from '../../../source-kinds/descriptors.js';

/**
 * The projection (hosted getModularInventorySourceReadiness): its top level closed to what is
 * served (so `api-compat.mjs` sees hosted fields we lack), modules and setup loosely.
 */
export const projectionSchema = z
  .object({
    inventorySource: z.looseObject({
      id: z.string(),
      storefrontId: z.string(),
      sourceId: z.string(),
      name: z.string(),
      executionType: z.literal(modularDescriptor.executionType),
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
    catalogMappingReadiness: catalogMappingReadinessSchema,
    setup: z.looseObject({}).describe('Interchange addition: the source setup'),
    columnMapping: z
      .record(z.string(), z.string())
      .describe('Interchange addition: the saved column mapping'),
    feed: z
      .object({
        feedId: z.string().nullable(),
        activeRevisionId: z.string().nullable(),
        activeCommittedAt: z.string().nullable(),
      })
      .describe('Interchange addition: the feed head'),
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

export const previewSchema = z.object({
  feedId: z.string(),
  sourceId: z.string(),
  revision: loose,
  previewBaseline: loose,
  summary: loose,
  rejectedRows: z.array(loose),
  warnings: z.array(loose),
  avails: z.array(loose).describe('The avails the preview read (normalized)'),
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

export const commitSchema = z.object({
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

/** POST …/modular/avails-feed, closed to what is served (api-compat.mjs sees the gaps). */
export const availsFeedSchema = z.object({
  previewOnly: z.boolean(),
  inputSource: z.string(),
  parsedAvailCount: z.number().int(),
  rejectedRowCount: z.number().int(),
  avails: z.array(loose),
  rejectedRows: z.array(loose),
  ingestedAvailCount: z.number().int(),
  feedId: z.string().describe('Interchange addition: the revision previewed, to commit by'),
  revisionId: z.string(),
  previewBaseline: loose,
  formatMapping: formatMappingSchema.optional(),
  commitImpact: commitImpactSchema.optional(),
  projection: projectionSchema.optional(),
  products: z
    .array(loose)
    .optional()
    .describe(
      'After a confirmed ingest: the products the ingested avails became (those on sale), as …/modular/products serves them',
    ),
});

/** POST …/modular/avails-feed/upload: the preview with its warnings and a note; never commits. */
export const availsUploadSchema = availsFeedSchema.omit({ products: true }).extend({
  warningCount: z.number().int(),
  warnings: z.array(loose),
  note: z.string(),
});

/** POST …/feed/push: committed (with the refused rows), or with dryRun the preview only. */
export const pushSchema = z.union([
  commitSchema.extend({ rejectedRows: z.array(loose) }),
  previewSchema.extend({ dryRun: z.literal(true) }),
]);

export const productsSchema = z.object({ products: z.array(loose) });

/** GET …/modular/inventory/capabilities, closed to what is served (hosted's `adapter` is not). */
export const capabilitiesSchema = z.object({
  sourceId: z.string(),
  executionType: z.literal(modularDescriptor.executionType),
  activeAvailCount: z.number().int(),
  availableImpressions: z.number(),
  channels: z.array(z.string()),
  currencies: z.array(z.string()),
  formatIds: z.array(z.string()),
  formatsAgentUrl: z.string().nullable(),
  deliveryTypes: z.array(z.string()),
  pricingModels: z.array(z.string()),
  flight: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  booking: z.object({ ledger: z.boolean() }),
  selectorTypes: z.array(
    z.object({ id: z.string(), label: z.string(), supportsParentFilter: z.boolean() }),
  ),
  targetingDimensions: z.array(z.string()),
  optimizationGoals: z.array(z.string()),
});
