import { appliedCaps } from '../targeting/frequency-caps.js';
import { resolvedPeriods } from '../goals/pacing.js';
import type { PerformanceConfigInput } from '../goals/optimization-goals.js';
import type { CampaignFrequencyCap, CampaignUtmParam } from '../tables.js';
import { mergedUtm } from '../creatives/utm.js';
import { packageKeyOf } from './package-keys.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';

/** Who a failure belongs to, as the hosted errorOwner reads: the seller refused, or we failed. */
function errorOwnerOf(code: string | null) {
  if (code === null) return undefined;
  return code === 'tool_error' ? ('seller' as const) : ('platform' as const);
}

export function packageViews(row: MediaBuyRow) {
  return row.packages.map((p) => ({
    packageId: packageKeyOf(p),
    productId: p.productId,
    productName: p.productName,
    status:
      row.status === 'CANCELED' || p.canceled
        ? ('canceled' as const)
        : p.paused
          ? ('paused' as const)
          : ('active' as const),
    startTime: p.startTime ?? row.startTime.toISOString(),
    endTime: p.endTime ?? row.endTime.toISOString(),
    budget: p.budget,
    budgetCurrency: row.currency,
    ...(p.bidPrice !== undefined && { bidPrice: p.bidPrice }),
    pricingOptionId: p.pricingOptionId,
    ...(p.pacingPeriod && { pacingPeriod: p.pacingPeriod }),
    ...(p.pacing && { pacing: p.pacing }),
    optimizationGoals: p.optimizationGoals ?? [],
  }));
}

/**
 * A write whose outcome is being established (modules/seller-writes): a buy being placed is
 * PENDING_APPROVAL at an unknown layer (hosted pendingAt `unknown`); a change of a placed buy is
 * its hosted `pendingChange`, parked at an unknown layer, the buy keeping the status it has.
 */
function pendingWriteOf(row: MediaBuyRow) {
  if (!row.pendingWrite) return {};
  const since = (row.pendingWriteSince ?? row.updatedAt).toISOString();
  return {
    ...(row.pendingWrite !== 'create' && {
      pendingChange: { status: 'PENDING_APPROVAL', pendingAt: 'unknown' as const, differences: {} },
    }),
    outcomePending: { operation: row.pendingWrite, since },
  };
}

export function mediaBuyView(row: MediaBuyRow) {
  const owner = errorOwnerOf(row.errorCode);
  return {
    mediaBuyId: row.id,
    name: row.name,
    status: row.status,
    campaignId: row.campaignId,
    advertiserId: String(row.advertiserId),
    salesAgentId: row.salesAgentId,
    salesAgentName: row.salesAgentName,
    storefrontId: row.storefrontId === null ? null : String(row.storefrontId),
    sellerMediaBuyId: row.sellerMediaBuyId,
    adcpStatus: row.adcpStatus,
    ...(row.status === 'PENDING_APPROVAL' && {
      pendingAt: row.pendingWrite === 'create' ? ('unknown' as const) : ('storefront' as const),
    }),
    ...pendingWriteOf(row),
    ...(row.pendingReason !== null && {
      pendingReason: row.pendingReason as 'awaiting_storefront_approval',
      pendingSince: row.updatedAt.toISOString(),
    }),
    ...(row.errorCode !== null && { errorCode: row.errorCode }),
    ...(owner && { errorOwner: owner }),
    ...(row.errorMessage !== null && { sourceMessage: row.errorMessage }),
    ...(row.forwardedAt !== null && { forwardedAt: row.forwardedAt.toISOString() }),
    ...(row.buyerTaskId !== null && { taskId: row.buyerTaskId }),
    ...(row.syncedAt !== null && { lastSyncedAt: row.syncedAt.toISOString() }),
    buyerReference: row.id,
    startTime: row.startTime.toISOString(),
    endTime: row.endTime.toISOString(),
    budget: row.budget,
    currency: row.currency,
    packages: packageViews(row),
    ...(row.optimizationGoals !== null && { optimizationGoals: row.optimizationGoals }),
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function campaignSummaryView(row: CampaignRow, productCount: number) {
  return {
    campaignId: row.id,
    advertiserId: String(row.advertiserId),
    name: row.name,
    status: row.status,
    mode: 'discovery' as const,
    management: 'managed' as const,
    flightDates: { startDate: row.flightStart.toISOString(), endDate: row.flightEnd.toISOString() },
    ...(row.constraints !== null && { constraints: row.constraints }),
    productCount,
    budget: { total: row.budgetTotal, currency: row.currency },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function campaignView(
  row: CampaignRow,
  selected: { budget: number | null }[],
  buys: MediaBuyRow[],
  advertiserCaps: CampaignFrequencyCap[],
  advertiserUtm: CampaignUtmParam[],
  advertiserApplyMode: 'AUTO' | 'MANUAL' = 'MANUAL',
) {
  const allocatedBudget = selected.reduce((sum, s) => sum + (s.budget ?? 0), 0);
  return {
    campaign: {
      ...campaignSummaryView(row, selected.length),
      ...(row.brief !== null && { brief: row.brief }),
      budget: {
        total: row.budgetTotal,
        currency: row.currency,
        ...(row.dailyCap !== null && { dailyCap: row.dailyCap }),
        ...(row.pacing !== null && { pacing: row.pacing as 'EVEN' }),
      },
      allocatedBudget,
      unallocatedBudget: row.budgetTotal - allocatedBudget,
      ...(row.pacingPeriods && {
        pacingPeriods: resolvedPeriods(row.pacingPeriods, row.budgetTotal),
      }),
      frequencyCaps: appliedCaps(row, advertiserCaps),
      utmConfig: { params: mergedUtm(advertiserUtm, row.utmConfig) },
      storefrontIds: row.storefrontIds,
      optimizationApplyMode: row.optimizationApplyMode ?? advertiserApplyMode,
      ...(row.performanceConfig && {
        performanceConfig: row.performanceConfig as PerformanceConfigInput,
      }),
      ...(row.signalConfig && { signals: row.signalConfig }),
      ...(row.discoveryId !== null && { discoveryId: row.discoveryId }),
      mediaBuyRefs: buys.map((b) => ({ mediaBuyId: b.id, status: b.status })),
      mediaBuys: buys.map(mediaBuyView),
      revision: row.revision,
    },
    warnings: [] as string[],
  };
}
