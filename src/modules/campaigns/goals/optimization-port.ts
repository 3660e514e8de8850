import type { CampaignsContext } from '../context.js';
import { packageKeyOf } from '../buys/package-keys.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';
import * as optimizationStore from './optimization-store.js';
import type { PerformanceConfig } from '../tables.js';

/** A package as the optimizer weighs it: the id a buyer names it by and its budget. */
export interface OptimizablePackage {
  packageId: string;
  productId: string;
  productName: string;
  budget: number;
  canceled: boolean;
  pacingPeriod?: { index: number; label?: string };
}

/** A placed buy of a campaign with performance goals, as the optimizer reads it. */
export interface OptimizableBuy {
  customerId: number;
  advertiserId: number;
  campaignId: string;
  mediaBuyId: string;
  status: string;
  currency: string;
  startTime: Date;
  endTime: Date;
  /** A write to the seller whose outcome is still being established (no change takes meanwhile). */
  pendingWrite: string | null;
  packages: OptimizablePackage[];
  goals: PerformanceConfig['optimizationGoals'];
  /** The campaign's own, else its advertiser's (it flows down), else MANUAL. */
  applyMode: 'AUTO' | 'MANUAL';
}

/** A buy placed at a seller whose campaign has goals, as performance feedback reads it. */
export interface PlacedBuy {
  customerId: number;
  advertiserId: number;
  mediaBuyId: string;
  salesAgentId: string;
  sellerMediaBuyId: string;
  currency: string;
  startTime: Date;
  endTime: Date;
  goals: PerformanceConfig['optimizationGoals'];
}

export type CampaignOptimizationPort = ReturnType<typeof createOptimizationPort>;

/**
 * What optimisation suggestions (modules/optimization) and performance feedback
 * (modules/performance-feedback) read of campaigns: the placed buys of campaigns with a
 * performanceConfig, and one buy of a buyer's. Changes go through the
 * media-buy operations (patchMediaBuy), never here.
 */
export function createOptimizationPort(ctx: CampaignsContext) {
  const { db, deps } = ctx;

  async function toOptimizable(
    buy: MediaBuyRow,
    campaign: CampaignRow,
  ): Promise<OptimizableBuy | undefined> {
    if (!campaign.performanceConfig) return undefined;
    const applyMode =
      campaign.optimizationApplyMode ??
      (
        await deps.advertisers
          .requireAdvertiser(campaign.customerId, String(campaign.advertiserId))
          .catch(() => undefined)
      )?.optimizationApplyMode ??
      'MANUAL';
    return {
      customerId: buy.customerId,
      advertiserId: buy.advertiserId,
      campaignId: buy.campaignId,
      mediaBuyId: buy.id,
      status: buy.status,
      currency: buy.currency,
      startTime: buy.startTime,
      endTime: buy.endTime,
      pendingWrite: buy.pendingWrite,
      packages: buy.packages.map((p) => ({
        packageId: packageKeyOf(p),
        productId: p.productId,
        productName: p.productName,
        budget: p.budget,
        canceled: p.canceled === true,
        ...(p.pacingPeriod && { pacingPeriod: p.pacingPeriod }),
      })),
      goals: campaign.performanceConfig.optimizationGoals,
      applyMode: applyMode === 'AUTO' ? 'AUTO' : 'MANUAL',
    };
  }

  return {
    /**
     * ACTIVE buys placed at a seller whose campaign has goals, in id order after `afterId`
     * (a sweep pages through them).
     */
    async activeBuys(afterId: string, limit: number): Promise<OptimizableBuy[]> {
      const rows = await optimizationStore.activeGoalBuys(db, afterId, limit);
      const found = await Promise.all(rows.map((r) => toOptimizable(r.buy, r.campaign)));
      return found.filter((b): b is OptimizableBuy => b !== undefined);
    },

    /**
     * Buys booked at a seller (never DRAFT, FAILED or REJECTED) whose campaign has goals and
     * whose flight overlaps [start, end), in id order after `afterId` (performance feedback's
     * sweep pages through them; buys long over are never read again).
     */
    async placedBuys(
      during: { start: Date; end: Date },
      afterId: string,
      limit: number,
    ): Promise<PlacedBuy[]> {
      const rows = await optimizationStore.placedGoalBuys(db, during, afterId, limit);
      return rows.map(({ buy, goals }) => ({
        customerId: buy.customerId,
        advertiserId: buy.advertiserId,
        mediaBuyId: buy.id,
        salesAgentId: buy.salesAgentId,
        sellerMediaBuyId: buy.sellerMediaBuyId!,
        currency: buy.currency,
        startTime: buy.startTime,
        endTime: buy.endTime,
        goals: goals?.optimizationGoals ?? [],
      }));
    },

    /** The customer's buy as the optimizer reads it; undefined when not theirs or gone. */
    async buyOf(customerId: number, mediaBuyId: string): Promise<OptimizableBuy | undefined> {
      const row = await optimizationStore.goalBuyOf(db, customerId, mediaBuyId);
      return row && toOptimizable(row.buy, row.campaign);
    },

    /** Whether the customer has this campaign (another customer's: false). */
    async hasCampaign(customerId: number, campaignId: string): Promise<boolean> {
      return (
        (await ctx.requireCampaign(customerId, campaignId).catch(() => undefined)) !== undefined
      );
    },

    /** Whether the customer has this media buy (another customer's: false). */
    async hasMediaBuy(customerId: number, mediaBuyId: string): Promise<boolean> {
      return (
        (await ctx.requireMediaBuy(customerId, mediaBuyId).catch(() => undefined)) !== undefined
      );
    },
  };
}
