import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import { displayStatusOf, lifecycleOf } from './lifecycle.js';
import type { StorefrontView } from './schemas.js';
import type { StorefrontRow } from './store.js';

/** The one mapping from a storefront row (plus its active-source count) to the wire shape. */
export function storefrontView(row: StorefrontRow, activeSourceCount: number): StorefrontView {
  const status = lifecycleOf({ ...row, activeSourceCount });
  const listed = row.marketplaceStatus === 'LISTED';
  return {
    id: row.id,
    storefrontId: String(row.id),
    platformId: row.platformId,
    agentId: agentIdOf(row.platformId),
    name: row.name,
    description: row.description,
    publisherDomain: row.publisherDomain,
    operatorDomain: row.operatorDomain,
    brandName: row.brandName,
    logoUrl: row.logoUrl,
    brandColors: row.brandColors ?? null,
    website: row.website,
    channels: row.channels,
    regions: row.regions,
    defaultCurrency: row.defaultCurrency,
    supportedLanguages: row.supportedLanguages,
    storefrontType: row.storefrontType,
    creativeApproval: row.creativeApproval,
    mediaBuyApproval: row.mediaBuyApproval,
    businessProfile: row.businessProfile ?? null,
    status,
    displayStatus: displayStatusOf(status, row.archivedAt),
    transacting: status === 'TRANSACTING' && !row.archivedAt,
    marketplace: {
      reviewStatus: listed ? 'listed' : 'pending_review',
      hidden: row.hidden,
      publiclyVisible: listed && !row.hidden && !row.archivedAt,
      listedAt: isoDateOrNull(row.listedAt),
      hiddenAt: isoDateOrNull(row.hiddenAt),
    },
    customerId: row.customerId,
    activatedAt: isoDateOrNull(row.activatedAt),
    archivedAt: isoDateOrNull(row.archivedAt),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

/** Seed 003: a storefront's Merchandising Agent is `storefront-{platformId}`. */
export function agentIdOf(platformId: string): string {
  return `storefront-${platformId}`;
}
