import type { MediaBuyStatus } from '@adcp/sdk/types';
/** A package of a media buy placed on a modular source, as the source keeps it. */
export interface BuyPackage {
  packageId: string;
  /** The avail bought (the product id the source sells it under). */
  availId: string;
  pricingOptionId: string;
  impressions: number;
  budget: number;
  cpm: number;
  currency: string;
  /** The ledger's booking for it (none without a ledger). */
  bookingId: string | null;
  /** Paused by its buyer (update_media_buy packages[].paused). */
  paused?: boolean;
  /** Creatives sent inline with the package: their ids and names. */
  creatives: Array<{ creativeId: string; name: string | null }>;
}

/** How far the human handoff of a buy has gone (work items completed). */
export interface BuyHandoff {
  bookedAt?: string;
  upstreamOrderId?: string;
  traffickedAt?: string;
  upstreamCampaignId?: string;
  /** Creative id → the reference it has in the upstream system. */
  creativeRefs?: Record<string, string>;
  pausedAt?: string;
  reportUploadedAt?: string;
  /** A sandbox buy's status as the test controller forced it (sandbox/simulated.ts). */
  forcedStatus?: MediaBuyStatus;
}
