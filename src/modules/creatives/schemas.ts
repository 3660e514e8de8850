import { z } from 'zod';
import { formatKinds } from '../../platform/formats.js';

/** Manifest fields are snake_case on purpose: they pass the AdCP wire format through (seed 004). */
const idSchema = z.string().min(1).max(64);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const assetTypes = [
  'IMAGE',
  'VIDEO',
  'AUDIO',
  'HTML',
  'JAVASCRIPT',
  'CSS',
  'TEXT',
  'URL',
  'VAST',
  'FONT',
  'LOGO',
  'DOCUMENT',
] as const;
const assetType = z.enum(assetTypes);
const urlType = z.enum(['clickthrough', 'tracker_pixel', 'tracker_script', 'vast']);

export const formatIdSchema = z
  .object({
    agent_url: z.string().min(1).max(2048),
    id: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ or -'),
    width: z.number().min(1).optional(),
    height: z.number().min(1).optional(),
    duration_ms: z.number().min(1).optional(),
  })
  .passthrough();
export type FormatIdInput = z.output<typeof formatIdSchema>;

const slotId = z.string().min(1).max(255);
const urlAssets = z
  .array(z.object({ asset_id: slotId, url: httpUrl, url_type: urlType.optional() }))
  .max(50);
const textAssets = z
  .array(z.object({ asset_id: slotId, content: z.string().min(1).max(5000) }))
  .max(50);
/**
 * A file in the manifest. Hosted sends the bytes as a multipart part named by `filename`; here
 * the file is uploaded first (POST /api/v2/buyer/creative-assets) and named by its `asset_id`.
 */
const uploadedAssets = z
  .array(
    z.object({
      filename: z.string().min(1).max(255),
      asset_id: z.string().min(1).max(64),
      asset_type: assetType.optional(),
      label: z.string().max(255).optional(),
      slot_asset_id: slotId.optional(),
    }),
  )
  .max(50);
/** A file hosted elsewhere, referenced by URL (never fetched by us; its declared size is used). */
const linkedAssets = z
  .array(
    z.object({
      url: httpUrl,
      asset_type: assetType,
      label: z.string().max(255).optional(),
      slot_asset_id: slotId.optional(),
      content_type: z.string().max(255).optional(),
      duration_ms: z.number().int().min(1).optional(),
      declared_sizes: z
        .array(z.object({ width: z.number().int().min(1), height: z.number().int().min(1) }))
        .max(20)
        .optional(),
    }),
  )
  .max(50);
const industryIdentifiers = z
  .array(
    z.object({ type: z.enum(['ad_id', 'isci', 'clearcast_clock', 'idcrea']), value: z.string() }),
  )
  .max(20);

export const creativeParams = z.object({ campaignId: idSchema, creativeId: idSchema });
export const campaignCreativesParams = z.object({ campaignId: idSchema });

export const createCreativeBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  message: z.string().min(1).max(5000).optional(),
  format_id: formatIdSchema.optional(),
  format_kind: z.enum(formatKinds).optional(),
  url_asset: z.object({ url: httpUrl, url_type: urlType }).optional(),
  url_assets: urlAssets.optional(),
  text_assets: textAssets.optional(),
  assets: uploadedAssets.optional(),
  linked_assets: linkedAssets.optional(),
  industry_identifiers: industryIdentifiers.optional(),
});
export type CreateCreativeInput = z.output<typeof createCreativeBody>;

export const updateCreativeBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  message: z.string().max(5000).optional(),
  format_id: formatIdSchema.optional(),
  format_kind: z.enum(formatKinds).optional(),
  click_url: httpUrl.optional(),
  url_asset: z.object({ url: httpUrl, url_type: urlType }).optional(),
  url_assets: urlAssets.optional(),
  text_assets: textAssets.optional(),
  /** Additive: uploaded files to add; each replaces whatever filled its slot. */
  assets: uploadedAssets.optional(),
  linked_assets: linkedAssets.optional(),
  delete_asset_ids: z.array(z.string().min(1).max(64)).max(100).optional(),
  industry_identifiers: industryIdentifiers.optional(),
});
export type UpdateCreativeInput = z.output<typeof updateCreativeBody>;

export const listCreativesQuery = z.object({
  search: z.string().max(200).optional(),
  format_kind: z.string().min(1).max(255).optional(),
  /** Library roles: every creative here is flight-specific, so promoted=true or a role finds none. */
  promoted: z.enum(['true', 'false']).optional(),
  role: z.enum(['evergreen', 'reference']).optional(),
  /** Provenance: every creative here is uploaded. */
  source: z.enum(['uploaded', 'generated', 'connected']).optional(),
  asset_type: assetType.optional(),
  dimensions: z
    .string()
    .regex(/^\d{1,5}[x×]\d{1,5}$/, 'must be WIDTHxHEIGHT, e.g. 300x250')
    .optional(),
  take: z.coerce.number().int().min(1).max(250).default(50),
  skip: z.coerce.number().int().min(0).default(0),
});
export type ListCreativesQuery = z.output<typeof listCreativesQuery>;

const outFormatId = z.object({ id: z.string(), agent_url: z.string() }).passthrough();

const assetOut = z.object({
  asset_id: z.string(),
  name: z.string(),
  original_filename: z.string(),
  asset_type: assetType,
  content_type: z.string(),
  file_size: z.number().int(),
  public_url: z.string(),
  asset_source: z.enum(['CREATIVE_SOURCE', 'USER_UPLOADED', 'SYSTEM_PROCESSED']),
  slot_asset_id: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  duration_ms: z.number().int().optional(),
  created_at: z.string(),
});
export const uploadedAssetSchema = assetOut;

const platformLink = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  status: z.enum(['synced', 'failed']),
  approval_status: z.string().optional(),
  /** Additive: why the seller rejected the creative, or why the sync failed. */
  reason: z.string().optional(),
  synced_at: z.string().optional(),
});

export const creativeSchema = z.object({
  creative_id: z.string(),
  campaign_id: z.string(),
  advertiser_id: z.string(),
  name: z.string(),
  message: z.string().optional(),
  brand_domain: z.string().optional(),
  format_id: outFormatId.optional(),
  format_kind: z.string().optional(),
  requires_upgrade: z.boolean(),
  industry_identifiers: industryIdentifiers.optional(),
  target_format_ids: z.array(outFormatId),
  /** Our addition: since when a delete has been withdrawing it from a seller that did not confirm. */
  withdrawing_since: z.string().optional(),
  reuse_count: z.number().int(),
  creative_source: z.literal('uploaded'),
  preview_url: z.string().optional(),
  assets: z.array(assetOut),
  creative_manifest: z.record(z.string(), z.unknown()),
  sync_status: z.object({
    synced: z.boolean(),
    agent_count: z.number().int(),
    last_synced_at: z.string().optional(),
  }),
  platform_links: z.array(platformLink),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const creativeListSchema = z.object({
  manifests: z.array(
    z.object({
      creative_id: z.string(),
      campaign_id: z.string(),
      name: z.string(),
      brand_domain: z.string().optional(),
      format_id: outFormatId.optional(),
      format_kind: z.string().optional(),
      requires_upgrade: z.boolean(),
      target_format_ids: z.array(outFormatId),
      withdrawing_since: z.string().optional(),
      reuse_count: z.number().int(),
      creative_source: z.literal('uploaded'),
      preview_url: z.string().optional(),
      asset_count: z.number().int(),
      primary_asset_type: assetType.optional(),
      sync_status: z.object({ synced: z.boolean(), agent_count: z.number().int() }),
      platform_links: z.array(platformLink),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
  total: z.number().int(),
});

export const uploadQuery = z.object({
  filename: z.string().min(1).max(255).default('upload'),
  /** Declared for video (not read from the file); an image's come from the file itself. */
  width: z.coerce.number().int().min(1).max(100_000).optional(),
  height: z.coerce.number().int().min(1).max(100_000).optional(),
  duration_ms: z.coerce.number().int().min(1).optional(),
});
export const assetParams = z.object({ assetId: idSchema });
