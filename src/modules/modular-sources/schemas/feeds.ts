import { z } from 'zod';
import { positiveIdSchema } from '../../../platform/formats.js';
import { formatOptionSchema } from '../feeds/rows/formats-cell.js';
import { mappingOf, targetsHint } from '../feeds/rows/columns.js';

const row = z.record(z.string().min(1).max(255), z.unknown());
const text = z.string().max(2_000_000);

/**
 * A column mapping as a person writes it: a header of the file → the avail field it holds, the
 * field named as itself or by any header it is known by ("Imps" → impressionsCapacity).
 */
export const columnMappingSchema = z
  .record(z.string().min(1).max(255), z.string().min(1).max(255))
  .transform((written, ctx) => {
    const read = mappingOf(written);
    if ('mapping' in read) return read.mapping;
    ctx.addIssue({
      code: 'custom',
      message: `"${read.unknown.target}" is not an avail column. ${targetsHint}`,
      path: [read.unknown.column],
    });
    return z.NEVER;
  })
  .describe(
    'Interchange addition: feed column → avail field (its name or a header it is known by, e.g. {"Placement":"name","Imps":"impressions"}), saved on the source for later feeds; GET …/feed/rules lists the fields and their aliases',
  );
const mapping = columnMappingSchema;

export const feedPayloadBody = z
  .object({
    contractId: z.enum(['static-avails-feed:v1', 'wholesale-avails-pricing:v1']),
    rawRows: z.array(row).max(50_000).optional(),
    csvText: text.optional(),
    jsonText: text.optional(),
    idempotencyKey: z.string().min(1).max(255).optional(),
    revisionId: z.string().min(1).max(255).optional(),
    observedAt: z.iso.datetime().optional(),
    columnMapping: mapping.optional(),
    deliverySemantics: z
      .enum(['FULL_REPLACEMENT', 'PATCH_UPSERT'])
      .optional()
      .describe(
        'Interchange addition: FULL_REPLACEMENT (default) retires avails the feed leaves out',
      ),
  })
  .strict();

export const pushBody = feedPayloadBody.extend({ dryRun: z.boolean().optional() }).strict();

export const previewBaselineSchema = z.object({
  previewToken: z.string().min(1).max(200),
  revisionId: z.string().min(1).max(255),
  customerId: positiveIdSchema,
  sourceId: z.string().min(1).max(255),
  profileId: z.string().min(1).max(255),
  profileVersion: z.string().min(1).max(50),
  payloadDigest: z.string().min(1).max(200),
  activeRevisionId: z.string().max(255).nullable(),
  activeCursor: z.string().max(255).nullable(),
  activeSnapshot: z.string().max(255).nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  staleErrorCode: z.literal('STALE_PREVIEW_BASELINE'),
});

export const commitBody = z.object({
  feedId: z.string().min(1).max(255),
  previewBaseline: previewBaselineSchema,
  revision: z
    .looseObject({
      revisionId: z.string().min(1).max(255),
      contentDigest: z.string().min(1).max(200),
    })
    .optional()
    .describe(
      'The revision as the preview answered it; only its revisionId and contentDigest are compared',
    ),
});

const publisherProperty = z.union([
  z.object({ publisher_domain: z.string().max(253), selection_type: z.literal('all') }),
  z.object({
    publisher_domain: z.string().max(253),
    selection_type: z.literal('by_id'),
    property_ids: z.array(z.string().max(255)).min(1),
  }),
  z.object({
    publisher_domain: z.string().max(253),
    selection_type: z.literal('by_tag'),
    property_tags: z.array(z.string().max(255)).min(1),
  }),
]);

export const availsFeedBody = z
  .object({
    confirmed: z.boolean().optional(),
    avails: z.array(row).max(50_000).optional(),
    rawRows: z.array(row).max(50_000).optional(),
    csvText: text.optional(),
    jsonText: text.optional(),
    defaultCollectionId: z.string().max(255).optional(),
    defaultCollectionName: z.string().max(255).optional(),
    defaultCollectionDescription: z.string().max(2000).optional(),
    defaultChannel: z.string().max(80).optional(),
    defaultFormatOptions: z.array(formatOptionSchema).optional(),
    defaultPublisherProperties: z.array(publisherProperty).optional(),
    defaultStartTime: z.string().max(80).optional(),
    defaultEndTime: z.string().max(80).optional(),
  })
  .strict();

export const uploadFieldsSchema = z.object({
  contractId: z.enum(['static-avails-feed:v1', 'wholesale-avails-pricing:v1']).optional(),
  idempotencyKey: z.string().min(1).max(255).optional(),
  revisionId: z.string().min(1).max(255).optional(),
  observedAt: z.iso.datetime().optional(),
  columnMapping: z
    .string()
    .max(20_000)
    .optional()
    .describe('JSON object: feed column → avail field'),
  deliverySemantics: z.enum(['FULL_REPLACEMENT', 'PATCH_UPSERT']).optional(),
});

/** The multipart body as documented (the file is streamed, never validated whole). */
export const uploadBodyDoc = uploadFieldsSchema.extend({
  file: z
    .string()
    .describe('The CSV, XLSX, JSON or JSON-lines file (binary); send the other fields first'),
});

export const revisionParams = z.object({
  sourceId: z.string().min(1).max(255),
  revisionId: z.string().min(1).max(255),
});
export const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
