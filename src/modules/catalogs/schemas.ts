import { z } from 'zod';
import { advertiserParams } from '../advertisers/index.js';
import { catalogTypes } from './item-rules.js';

export const feedFormats = [
  'google_merchant_center',
  'facebook_catalog',
  'shopify',
  'linkedin_jobs',
  'tiktok_shop',
  'pinterest_catalog',
  'openai_product_feed',
  'custom',
] as const;
export const updateFrequencies = ['realtime', 'hourly', 'daily', 'weekly'] as const;

const catalogIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, dot, dash, underscore and colon only');
const httpUrl = z
  .string()
  .url()
  .max(2048)
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL');

export const catalogParams = advertiserParams.extend({ catalogId: z.string().min(1).max(255) });
export const offeringParams = catalogParams.extend({ offeringId: z.string().min(1).max(255) });

const statusFilter = z.enum(['ACTIVE', 'ARCHIVED', 'ALL']).default('ACTIVE');
const take = z.coerce.number().int().min(1).max(250).default(50);
const skip = z.coerce.number().int().min(0).max(10_000_000).default(0);

export const listCatalogsQuery = z.object({
  type: z.enum(catalogTypes).optional(),
  status: statusFilter,
  take,
  skip,
});
export const listOfferingsQuery = z.object({ status: statusFilter, take, skip });

export const createCatalogBody = z
  .object({
    catalogId: catalogIdSchema.optional(),
    name: z.string().min(1).max(255),
    type: z.enum(catalogTypes),
    description: z.string().max(2000).optional(),
    url: httpUrl.optional(),
    feedFormat: z.enum(feedFormats).optional(),
    updateFrequency: z.enum(updateFrequencies).optional(),
    conversionEvents: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .strict();
export type CreateCatalogInput = z.infer<typeof createCatalogBody>;

export const updateCatalogBody = z
  .object({
    name: z.string().min(1).max(255).optional(),
    type: z.enum(catalogTypes).optional(),
    description: z.string().max(2000).nullable().optional(),
    url: httpUrl.nullable().optional(),
    feedFormat: z.enum(feedFormats).nullable().optional(),
    updateFrequency: z.enum(updateFrequencies).nullable().optional(),
    conversionEvents: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .strict();
export type UpdateCatalogInput = z.infer<typeof updateCatalogBody>;

/** One catalog of AdCP sync_catalogs (snake_case, as hosted). */
const syncCatalogItem = z
  .object({
    catalog_id: catalogIdSchema,
    type: z.enum(catalogTypes),
    name: z.string().min(1).max(255).optional(),
    url: httpUrl.optional(),
    feed_format: z.enum(feedFormats).optional(),
    update_frequency: z.enum(updateFrequencies).optional(),
    items: z.array(z.unknown()).max(10_000).optional(),
    conversion_events: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .strict()
  .refine((c) => !(c.url && c.items), { message: 'give url or items, not both', path: ['items'] });
export type SyncCatalogItem = z.infer<typeof syncCatalogItem>;

export const syncCatalogsBody = z
  .object({
    account: z.object({ account_id: z.string().min(1).max(255) }).optional(),
    catalogs: z.array(syncCatalogItem).max(50).optional(),
    catalog_ids: z.array(z.string().min(1).max(255)).max(50).optional(),
    delete_missing: z.boolean().default(false),
    dry_run: z.boolean().default(false),
    validation_mode: z.enum(['strict', 'lenient']).default('strict'),
    /** Seed 004: push the catalogs (those named, else all active ones) to these partners. */
    partnerIds: z.array(z.string().min(1).max(255)).min(1).max(20).optional(),
  })
  .strict()
  .refine((b) => b.catalogs !== undefined || b.partnerIds !== undefined, {
    message: 'send catalogs to upsert, partnerIds to push to, or both',
    path: ['catalogs'],
  });
export type SyncCatalogsInput = z.infer<typeof syncCatalogsBody>;

const changeSummary = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
});
const itemIssue = z.object({
  item_id: z.string().optional(),
  field: z.string().optional(),
  issue: z.string(),
  severity: z.enum(['error', 'warning']).optional(),
});

export const partnerSyncSchema = z.object({
  partnerId: z.string(),
  catalogId: z.string(),
  status: z.enum(['SYNCED', 'FAILED']),
  platformId: z.string().nullable(),
  itemCount: z.number().int().nullable(),
  error: z.string().nullable(),
  attemptedAt: z.string(),
  syncedAt: z.string().nullable(),
});

export const syncCatalogsResponse = z.object({
  catalogs: z.array(
    z.object({
      catalog_id: z.string(),
      action: z.enum(['created', 'updated', 'unchanged', 'failed', 'deleted']),
      platform_id: z.string().optional(),
      catalog_version_number: z.number().int().optional(),
      content_hash: z.string().optional(),
      item_count: z.number().int().optional(),
      items_approved: z.number().int().optional(),
      items_pending: z.number().int().optional(),
      items_rejected: z.number().int().optional(),
      item_changes: changeSummary.optional(),
      health_status: z.enum(['not_synced', 'healthy', 'stale', 'warning', 'failed']).optional(),
      item_issues: z.array(itemIssue).optional(),
      last_synced_at: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
  dry_run: z.boolean(),
  /** Ours: what each named partner answered (partnerIds). */
  partners: z.array(partnerSyncSchema),
});

export const catalogSchema = z.object({
  catalogId: z.string(),
  platformId: z.string(),
  type: z.string(),
  sourceType: z.enum(['inline', 'url', 'selector']),
  name: z.string().nullable(),
  url: z.string().nullable(),
  feedFormat: z.string().nullable(),
  updateFrequency: z.string().nullable(),
  itemCount: z.number().int(),
  syncStatus: z.enum(['pending', 'syncing', 'synced', 'failed', 'not_synced']),
  healthStatus: z.enum(['not_synced', 'healthy', 'stale', 'warning', 'failed']),
  latestVersionId: z.string().nullable(),
  latestVersionNumber: z.number().int().nullable(),
  latestContentHash: z.string().nullable(),
  activeTransformId: z.string().nullable(),
  latestActivationPlanId: z.string().nullable(),
  lastChangeSummary: changeSummary,
  lastSyncAttemptAt: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  nextSyncAt: z.string().nullable(),
  staleAfterAt: z.string().nullable(),
  versions: z.array(
    z.object({
      versionId: z.string(),
      versionNumber: z.number().int(),
      itemCount: z.number().int(),
      contentHash: z.string(),
      changeSummary,
      syncStatus: z.enum(['pending', 'syncing', 'synced', 'failed', 'not_synced']),
      createdAt: z.string(),
      completedAt: z.string().nullable(),
    }),
  ),
  recentRefreshRuns: z.array(z.record(z.string(), z.unknown())),
  recentActivationExecutions: z.array(z.record(z.string(), z.unknown())),
  advertiserId: z.string(),
  description: z.string().nullable(),
  status: z.enum(['ACTIVE', 'ARCHIVED']),
  conversionEvents: z.array(z.string()),
  partners: z.array(partnerSyncSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const catalogListSchema = z.object({
  catalogs: z.array(catalogSchema),
  total: z.number().int(),
});

export const createOfferingBody = z
  .object({
    offeringId: z.string().min(1).max(255),
    title: z.string().min(1).max(500).optional(),
    description: z.string().max(5000).optional(),
    // numeric(18, 4) holds up to 10^14; no price comes near a trillion.
    price: z.number().finite().min(0).max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as USD')
      .optional(),
    landingUrl: httpUrl.optional(),
    imageUrl: httpUrl.optional(),
    /** The type's own fields (snake_case, as AdCP's item schema for the catalog type names them). */
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type CreateOfferingInput = z.infer<typeof createOfferingBody>;
export const updateOfferingBody = createOfferingBody.omit({ offeringId: true }).partial().strict();
export type UpdateOfferingInput = z.infer<typeof updateOfferingBody>;

export const offeringSchema = z.object({
  offeringId: z.string(),
  catalogId: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  landingUrl: z.string().nullable(),
  imageUrl: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(['ACTIVE', 'ARCHIVED']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const offeringListSchema = z.object({
  offerings: z.array(offeringSchema),
  total: z.number().int(),
});

export const importResultSchema = z.object({
  catalogId: z.string(),
  received: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Rows whose id came again in the same batch of 1,000: the later row was kept. */
  repeated: z.number().int(),
  /** The first rejected rows (line number and reason); `rejected` counts them all. */
  issues: z.array(itemIssue.extend({ line: z.number().int() })),
  itemCount: z.number().int(),
  versionNumber: z.number().int(),
});

export { advertiserParams };
