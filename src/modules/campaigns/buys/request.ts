import { isRecord } from '../../../platform/is-record.js';
import type { SelectedProduct } from '../../discovery/index.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';
import { slicesOf } from '../goals/pacing.js';
import { withRefs } from './package-keys.js';
import { goalSupportOf } from '../goals/optimization-goals.js';
import type { BookedPackage, CampaignUtmParam } from '../tables.js';

/**
 * What a campaign asks one seller for: the packages of an agent's order (budgets, pacing
 * periods, goals) and the AdCP create_media_buy request that carries them, and how the
 * seller's package ids are matched back to ours.
 */

type Json = Record<string, unknown>;

/** One agent's part of a campaign: the selected products it sells. */
export interface AgentOrder {
  agentId: string;
  agentName: string;
  /** Null for a remote agent. */
  storefrontId: number | null;
  products: SelectedProduct[];
  /** The AdCP account reference to book under (the advertiser's linked account, else its own). */
  account: Json;
  brandDomain: string;
  /** The buyer's customer domain: the operator of the brand's account (creativeAccountOf). */
  operatorDomain: string | null;
  /**
   * The AdCP frequency_cap every package's targeting_overlay carries
   * (targeting/frequency-caps.ts).
   */
  frequencyCap?: Json;
  /** UTM params for creatives' click-through URLs (creatives/utm.ts). */
  utmParams: CampaignUtmParam[];
  /** The campaign's AdCP optimization goals (goals/optimization-goals.ts); [] for none. */
  optimizationGoals?: Json[];
  /**
   * audience_include / audience_exclude for every package's overlay
   * (targeting/audience-config.ts).
   */
  audienceOverlay?: Json;
  /** Controls left out for this seller before sending (named in execute's warnings). */
  controlWarnings?: Array<{ type: string; hint: string }>;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** AdCP's package pacing for the campaign's budget.pacing. */
const adcpPacing = { EVEN: 'even', ASAP: 'asap', FRONTLOADED: 'front_loaded' } as const;

/**
 * The packages of an order: each selection's budget, else an even share of the campaign's;
 * with pacing periods, one package per product per period with spend, carrying the period's
 * flight and its share of the product's budget (the shares sum exactly to it).
 */
export function packagesOf(
  order: AgentOrder,
  evenShare: number,
  campaign: CampaignRow,
  now: Date,
): BookedPackage[] {
  return withRefs(slicedPackagesOf(order, evenShare, campaign, now));
}

function slicedPackagesOf(
  order: AgentOrder,
  evenShare: number,
  campaign: CampaignRow,
  now: Date,
): BookedPackage[] {
  const pacing = campaign.pacing
    ? adcpPacing[campaign.pacing as keyof typeof adcpPacing]
    : undefined;
  return order.products.flatMap(({ selection, product }) => {
    const option = product.pricingOptions.find(
      (o) => o['pricing_option_id'] === selection.pricingOptionId,
    );
    const model = str(option?.['pricing_model']);
    const support = product.optimization && goalSupportOf(product.optimization);
    const base = {
      productId: product.productId,
      productName: product.name,
      pricingOptionId: selection.pricingOptionId,
      ...(model && { pricingModel: model }),
      budget: selection.budget ?? evenShare,
      ...(selection.bidPrice !== null && { bidPrice: selection.bidPrice }),
      ...(product.formatIds.length > 0 && { formatIds: product.formatIds as Json[] }),
      ...(pacing && { pacing }),
      ...(support && { goalSupport: support }),
    };
    if (!campaign.pacingPeriods) return [base];
    const flight = { start: campaign.flightStart, end: campaign.flightEnd };
    return slicesOf(campaign.pacingPeriods, base.budget, flight).map((slice) => ({
      ...base,
      budget: slice.budget,
      pacingPeriod: { index: slice.index, label: slice.label },
      // A period already under way takes the buy's start ('asap'): sellers refuse a past one.
      ...(slice.startTime > now && { startTime: slice.startTime.toISOString() }),
      endTime: slice.endTime.toISOString(),
    }));
  });
}

/** The AdCP create_media_buy request for a claimed buy (its push settings are added at each send). */
export function createRequest(
  row: MediaBuyRow,
  order: AgentOrder,
  now: Date,
  creatives: Map<string, string[]>,
): Json {
  const formats = new Map(order.products.map((p) => [p.product.productId, p.product.formatIds]));
  // The campaign's frequency cap, under what the buyer set on the product itself.
  const cap = (order.frequencyCap || order.audienceOverlay) && {
    ...(order.frequencyCap && { frequency_cap: order.frequencyCap }),
    ...order.audienceOverlay,
  };
  const overlays = new Map(
    order.products.map((p) => [
      p.product.productId,
      cap || p.selection.targetingOverlay
        ? { ...cap, ...(p.selection.targetingOverlay ?? {}) }
        : undefined,
    ]),
  );
  return {
    idempotency_key: row.idempotencyKey,
    account: row.account,
    brand: { domain: order.brandDomain },
    // A flight already under way starts as soon as the seller can.
    start_time: row.startTime <= now ? 'asap' : row.startTime.toISOString(),
    end_time: row.endTime.toISOString(),
    // What identifies the buy at the seller when its answer is lost (write-recovery.ts).
    po_number: row.id,
    packages: row.packages.map((p) => {
      const formatIds = formats.get(p.productId) ?? [];
      const overlay = overlays.get(p.productId);
      const assigned = creatives.get(p.productId) ?? [];
      return {
        product_id: p.productId,
        pricing_option_id: p.pricingOptionId,
        budget: p.budget,
        ...(p.pacing && { pacing: p.pacing }),
        ...(p.startTime && { start_time: p.startTime }),
        ...(p.endTime && { end_time: p.endTime }),
        ...(p.bidPrice !== undefined && { bid_price: p.bidPrice }),
        ...(formatIds.length > 0 && { format_ids: formatIds }),
        ...(overlay && { targeting_overlay: overlay }),
        ...(p.optimizationGoals?.length && { optimization_goals: p.optimizationGoals }),
        ...(assigned.length > 0 && {
          creative_assignments: assigned.map((id) => ({ creative_id: id })),
        }),
      };
    }),
  };
}

/** The seller's package ids, matched to ours by product (in order for repeated products). */
export function withPackageIds(packages: BookedPackage[], answer: Json): BookedPackage[] {
  const returned = (Array.isArray(answer['packages']) ? answer['packages'] : []).filter(isRecord);
  const used = new Set<number>();
  return packages.map((p) => {
    const index = returned.findIndex((r, i) => !used.has(i) && r['product_id'] === p.productId);
    if (index < 0) return p;
    used.add(index);
    const packageId = str(returned[index]?.['package_id']);
    return packageId ? { ...p, packageId } : p;
  });
}

/** A create_media_buy request with no frequency cap on its packages, under its own key. */
export function withoutFrequencyCap(request: Json): Json {
  const packages = (request['packages'] as Json[]).map((p) => {
    const overlay = p['targeting_overlay'] as Json | undefined;
    if (!overlay) return p;
    const { frequency_cap: _cap, ...rest } = overlay;
    const { targeting_overlay: _overlay, ...pkg } = p;
    return Object.keys(rest).length > 0 ? { ...pkg, targeting_overlay: rest } : pkg;
  });
  return { ...request, idempotency_key: `${String(request['idempotency_key'])}.nocap`, packages };
}
