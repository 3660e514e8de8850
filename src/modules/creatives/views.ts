import { isoDate } from '../../platform/formats.js';
import { assetView } from './assets/service.js';
import { manifestAssets } from './manifest.js';
import type { AssetRow, CreativeRow, PlacementRow } from './store.js';
import type { Warning } from './validation.js';

const fileName = (url: string) => {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() || 'asset');
  } catch {
    return 'asset';
  }
};

function syncStatusOf(placements: PlacementRow[]) {
  const synced = placements.filter((p) => p.syncState === 'synced');
  const last = synced.map((p) => p.syncedAt.getTime()).sort((a, b) => b - a)[0];
  return {
    synced: synced.length > 0,
    agent_count: synced.length,
    ...(last !== undefined && { last_synced_at: new Date(last).toISOString() }),
  };
}

function platformLinkOf(p: PlacementRow) {
  return {
    agent_id: p.agentId,
    agent_name: p.agentName,
    status: p.syncState,
    ...(p.approvalStatus && { approval_status: p.approvalStatus }),
    ...(p.reason && { reason: p.reason }),
    synced_at: p.syncedAt.toISOString(),
  };
}

/** The files of a manifest in the hosted asset shape: uploads (signed links) and linked files. */
function filesOf(row: CreativeRow, uploads: Map<string, AssetRow>, linkOf: (id: string) => string) {
  return row.slots.flatMap((s) => {
    if (s.assetId) {
      const asset = uploads.get(s.assetId);
      return asset ? [assetView(asset, linkOf(asset.id), s.slot)] : [];
    }
    if (!s.url || s.assetType === 'URL' || s.assetType === 'TEXT') return [];
    return [
      {
        asset_id: `${row.id}.${s.slot}`,
        name: s.label ?? fileName(s.url),
        original_filename: fileName(s.url),
        asset_type: s.assetType,
        content_type: s.contentType ?? 'application/octet-stream',
        file_size: 0,
        public_url: s.url,
        asset_source: 'USER_UPLOADED' as const,
        slot_asset_id: s.slot,
        ...(s.width !== undefined && { width: s.width }),
        ...(s.height !== undefined && { height: s.height }),
        ...(s.durationMs !== undefined && { duration_ms: s.durationMs }),
        created_at: isoDate(row.createdAt),
      },
    ];
  });
}

/** Hosted getCreativeManifest: the manifest, its files, the AdCP manifest and where it is synced. */
/**
 * What list and get share: the brand (the campaign advertiser's), the format, and a preview (a
 * signed link to the first uploaded file). A creative belongs to one campaign and covers one
 * format: reuse_count 0, no target_format_ids; format_id is current, never an upgrade.
 */
function headOf(row: CreativeRow, brandDomain: string, linkOf: (assetId: string) => string) {
  const preview = row.slots.find((s) => s.assetId);
  return {
    creative_id: row.id,
    campaign_id: row.campaignId,
    name: row.name,
    brand_domain: brandDomain,
    ...(row.formatId && { format_id: row.formatId as { id: string; agent_url: string } }),
    ...(row.formatKind && { format_kind: row.formatKind }),
    requires_upgrade: false,
    target_format_ids: [],
    // Our addition: a delete is still withdrawing it from a seller (docs/creatives.md).
    ...(row.withdrawingSince && { withdrawing_since: isoDate(row.withdrawingSince) }),
    reuse_count: 0,
    creative_source: 'uploaded' as const,
    ...(preview?.assetId && { preview_url: linkOf(preview.assetId) }),
  };
}

export function creativeView(
  row: CreativeRow,
  brandDomain: string,
  placements: PlacementRow[],
  uploads: Map<string, AssetRow>,
  linkOf: (assetId: string) => string,
  warnings: Warning[] = [],
) {
  return {
    ...headOf(row, brandDomain, linkOf),
    advertiser_id: String(row.advertiserId),
    ...(row.message !== null && { message: row.message }),
    ...(row.industryIdentifiers && {
      industry_identifiers: row.industryIdentifiers as Array<{ type: 'ad_id'; value: string }>,
    }),
    assets: filesOf(row, uploads, linkOf),
    creative_manifest: {
      ...(row.formatId && { format_id: row.formatId }),
      assets: manifestAssets(row.slots, linkOf),
    },
    sync_status: syncStatusOf(placements),
    platform_links: placements.map(platformLinkOf),
    ...(warnings.length > 0 && { warnings }),
    created_at: isoDate(row.createdAt),
    updated_at: isoDate(row.updatedAt),
  };
}

/** Hosted list summary (listCreativeManifests / listCreatives). */
export function creativeSummaryView(
  row: CreativeRow,
  brandDomain: string,
  placements: PlacementRow[],
  linkOf: (assetId: string) => string,
) {
  const files = row.slots.filter((s) => s.assetType !== 'URL' && s.assetType !== 'TEXT');
  const status = syncStatusOf(placements);
  return {
    ...headOf(row, brandDomain, linkOf),
    asset_count: row.slots.length,
    ...(files[0] && { primary_asset_type: files[0].assetType }),
    sync_status: { synced: status.synced, agent_count: status.agent_count },
    platform_links: placements.map(platformLinkOf),
    created_at: isoDate(row.createdAt),
    updated_at: isoDate(row.updatedAt),
  };
}
