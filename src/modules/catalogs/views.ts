import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import type { CatalogRow, OfferingRow, PartnerSyncRow } from './store.js';

export function partnerSyncView(row: PartnerSyncRow, catalogId: string) {
  return {
    partnerId: row.partnerId,
    catalogId,
    status: row.status,
    platformId: row.platformId,
    itemCount: row.itemCount,
    error: row.error,
    attemptedAt: isoDate(row.attemptedAt),
    syncedAt: isoDateOrNull(row.syncedAt),
  };
}

/**
 * A catalog in the hosted list shape. Feeds at `url` are stored, not fetched (no feed fetcher
 * here), so such a catalog stays not_synced until items arrive inline or by import; transforms,
 * activation plans and refresh runs do not exist here and answer null or [].
 */
export function catalogView(row: CatalogRow, partners: PartnerSyncRow[]) {
  const synced = row.lastSyncedAt !== null;
  return {
    catalogId: row.catalogId,
    platformId: String(row.id),
    type: row.type,
    sourceType: row.url ? ('url' as const) : ('inline' as const),
    name: row.name,
    url: row.url,
    feedFormat: row.feedFormat,
    updateFrequency: row.updateFrequency,
    itemCount: row.itemCount,
    syncStatus: synced ? ('synced' as const) : ('not_synced' as const),
    healthStatus: synced ? ('healthy' as const) : ('not_synced' as const),
    latestVersionId: row.versionNumber > 0 ? `${row.id}-v${row.versionNumber}` : null,
    latestVersionNumber: row.versionNumber > 0 ? row.versionNumber : null,
    latestContentHash: row.contentHash,
    activeTransformId: null,
    latestActivationPlanId: null,
    lastChangeSummary: row.lastChangeSummary,
    lastSyncAttemptAt: isoDateOrNull(row.lastSyncedAt),
    lastSyncedAt: isoDateOrNull(row.lastSyncedAt),
    nextSyncAt: null,
    staleAfterAt: null,
    versions: row.versions.map((v) => ({
      versionId: `${row.id}-v${v.versionNumber}`,
      versionNumber: v.versionNumber,
      itemCount: v.itemCount,
      contentHash: v.contentHash,
      changeSummary: v.changeSummary,
      syncStatus: 'synced' as const,
      createdAt: v.createdAt,
      completedAt: v.createdAt,
    })),
    recentRefreshRuns: [],
    recentActivationExecutions: [],
    advertiserId: String(row.advertiserId),
    description: row.description,
    status: row.status,
    conversionEvents: row.conversionEvents,
    partners: partners.map((p) => partnerSyncView(p, row.catalogId)),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

export function offeringView(row: OfferingRow, catalogId: string) {
  return {
    offeringId: row.offeringId,
    catalogId,
    title: row.title,
    description: row.description,
    price: row.price,
    currency: row.currency,
    landingUrl: row.landingUrl,
    imageUrl: row.imageUrl,
    attributes: row.data,
    status: row.status,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}
