import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { isRecord } from '../../platform/is-record.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ToolCallResult } from '../../upstream/index.js';
import type { BuyingAgents, SelectedProduct } from '../discovery/index.js';
import { type CampaignCreatives, creativeAccountOf } from './creatives-port.js';
import { followChanged, openTask } from './follow-up.js';
import {
  leaveToRecovery,
  noPendingWrite,
  pendingMessage,
  sendWrite,
  type WriteCallDeps,
} from './pending-writes.js';
import { finalStatuses, statusFromSeller, type SellerReport } from './status.js';
import * as store from './store.js';
import type { CampaignRow, MediaBuyRow } from './store.js';
import { refusesFrequencyCap } from './frequency-caps.js';
import { slicesOf } from './pacing.js';
import { withRefs } from './package-keys.js';
import { goalSupportOf, withGoals } from './optimization-goals.js';
import type { BookedPackage, CampaignUtmParam } from './tables.js';

type Json = Record<string, unknown>;

export interface SellerCallDeps extends WriteCallDeps {
  db: Db;
  agents: BuyingAgents;
  /** Longest one create/update_media_buy call is waited for. */
  timeoutMs: number;
  now: () => Date;
  creatives?: (() => CampaignCreatives | undefined) | undefined;
}

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
  /** The AdCP frequency_cap every package's targeting_overlay carries (frequency-caps.ts). */
  frequencyCap?: Json;
  /** UTM params for creatives' click-through URLs (utm.ts). */
  utmParams: CampaignUtmParam[];
  /** The campaign's AdCP optimization goals (optimization-goals.ts); [] for none. */
  optimizationGoals?: Json[];
  /** audience_include / audience_exclude for every package's overlay (audience-config.ts). */
  audienceOverlay?: Json;
  /** Controls left out for this seller before sending (named in execute's warnings). */
  controlWarnings?: Array<{ type: string; hint: string }>;
}

export interface PlaceOutcome {
  row: MediaBuyRow;
  /** Set when this attempt failed. */
  error?: string;
  /** Set when its outcome is unknown (the answer was lost): it is being established. */
  pending?: string;
  /** A control the seller did not take (the buy went on without it), naming the seller. */
  warnings?: Array<{ type: string; hint: string }>;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export const newMediaBuyId = () => `mb_${randomBytes(10).toString('hex')}`;

/** What a tool answer says about a buy, for the mapping table. */
export function reportOf(result: ToolCallResult<Json> & { ok: true }): SellerReport {
  return { taskState: result.status, adcpStatus: str(result.data['status']) };
}

/** AdCP's package pacing for the campaign's budget.pacing. */
const adcpPacing = { EVEN: 'even', ASAP: 'asap', FRONTLOADED: 'front_loaded' } as const;

/**
 * The packages of an order: each selection's budget, else an even share of the campaign's;
 * with pacing periods, one package per product per period with spend, carrying the period's
 * flight and its share of the product's budget (the shares sum exactly to it).
 */
function packagesOf(
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
function createRequest(
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

/**
 * Places one agent's buy for a campaign, at most once however many executes run: the
 * (campaign, agent) row is claimed in the database first (insert, or take a DRAFT/FAILED one
 * nobody holds), and only the claimant calls create_media_buy, with the buy's one idempotency
 * key, so a retried call the seller already booked replays rather than books again. Answers
 * undefined when there was nothing to claim (placed already, or being placed by another request).
 */
export async function placeBuy(
  deps: SellerCallDeps,
  principal: CustomerPrincipal,
  campaign: CampaignRow,
  order: AgentOrder,
  evenShare: number,
): Promise<PlaceOutcome | undefined> {
  const now = deps.now();
  const packages = packagesOf(order, evenShare, campaign, now);
  const claimToken = randomBytes(12).toString('hex');
  const claimed = await store.claimMediaBuy(
    deps.db,
    {
      id: newMediaBuyId(),
      customerId: campaign.customerId,
      campaignId: campaign.id,
      advertiserId: campaign.advertiserId,
      salesAgentId: order.agentId,
      salesAgentName: order.agentName,
      storefrontId: order.storefrontId,
      name: `${campaign.name} – ${order.agentName}`,
      idempotencyKey: `${campaign.id}.${order.agentId}`,
      account: order.account,
      packages,
      budget: packages.reduce((sum, p) => sum + p.budget, 0),
      currency: campaign.currency,
      startTime: campaign.flightStart,
      endTime: campaign.flightEnd,
      claimToken,
    },
    now,
  );
  if (!claimed) return undefined;
  // The buy's own goals (set while it was not placed) win over the campaign's.
  const goals = withGoals(
    claimed.packages,
    claimed.optimizationGoals ?? order.optimizationGoals ?? [],
  );
  const row = { ...claimed, packages: goals.packages };
  // Seed 003: creatives reach the agent (sync_creatives) before the buy that assigns them.
  const creatives =
    (await deps.creatives?.()?.beforeBuy(principal, campaign, {
      agentId: order.agentId,
      agentName: order.agentName,
      account: creativeAccountOf(
        row.account,
        campaign.advertiserId,
        order.brandDomain,
        order.operatorDomain,
      ),
      products: order.products.map((p) => ({
        productId: p.product.productId,
        formatIds: p.product.formatIds as Json[],
      })),
      utm: {
        params: order.utmParams,
        campaignId: campaign.id,
        advertiserId: campaign.advertiserId,
      },
    })) ?? new Map<string, string[]>();
  // The seller pushes the task's outcome (an approval, say) to us; status sync polls anyway.
  const request = createRequest(row, order, now, creatives);
  let write = await sendWrite(deps, principal, row, {
    operation: 'create',
    tool: 'create_media_buy',
    key: row.idempotencyKey,
    request,
  });
  const warnings: NonNullable<PlaceOutcome['warnings']> = [
    ...goals.leftOut.map((hint) => ({
      type: 'optimization_goals_not_supported',
      hint: `${order.agentName} (${order.agentId}) was not sent ${hint}`,
    })),
    ...(order.controlWarnings ?? []),
  ];
  // A seller that refuses the frequency cap is named, and the buy goes on without it (under
  // another idempotency key: the request differs, and the refused one booked nothing).
  if (
    write.sent &&
    write.verdict.kind !== 'unknown' &&
    !write.result.ok &&
    order.frequencyCap &&
    refusesFrequencyCap(write.result.error)
  ) {
    await deps.writes.settle(write.intent, 'refused');
    const uncapped = withoutFrequencyCap(request);
    write = await sendWrite(deps, principal, row, {
      operation: 'create',
      tool: 'create_media_buy',
      key: String(uncapped['idempotency_key']),
      request: uncapped,
    });
    if (write.sent && write.verdict.kind !== 'unknown' && write.result.ok) {
      warnings.push({
        type: 'frequency_cap_not_supported',
        hint: `${order.agentName} (${order.agentId}) does not take frequency caps: the buy was placed without them`,
      });
    }
  }
  if (!write.sent) {
    const released = await store.settleClaim(deps.db, row.id, claimToken, {});
    return { row: released ?? row, pending: write.reason };
  }
  const { result, verdict, intent } = write;
  if (verdict.kind === 'unknown') {
    const released = await store.settleClaim(deps.db, row.id, claimToken, {});
    await leaveToRecovery(deps, row, intent, verdict.reason);
    return { row: released ?? row, pending: pendingMessage };
  }
  if (!result.ok) {
    const settled = await recordCreateRefused(deps, row, result.error, claimToken);
    await deps.writes.settle(intent, 'refused');
    return { row: settled, error: result.error.message };
  }
  const placed = await recordCreateAnswer(deps, row, result, claimToken);
  await deps.writes.settle(intent, 'answered');
  return { row: placed, ...(warnings.length > 0 && { warnings }) };
}

/** Records a seller's refusal to place the buy: FAILED, retried by the next execute. */
export async function recordCreateRefused(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  error: { code: string; message: string },
  claimToken: string | null,
): Promise<MediaBuyRow> {
  const patch = {
    status: 'FAILED' as const,
    pendingReason: null,
    errorCode: error.code,
    errorMessage: error.message,
    ...noPendingWrite,
  };
  const settled = claimToken
    ? await store.settleClaim(deps.db, row.id, claimToken, patch)
    : await store.updateMediaBuy(deps.db, row.id, { ...patch, claimToken: null, claimedAt: null });
  return settled ?? row;
}

/**
 * Records the seller's answer to create_media_buy on the buy (its seller id, packages, status
 * through the mapping table) and follows it: the caller's answer, or one recovery obtained.
 */
export async function recordCreateAnswer(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  result: ToolCallResult<Json> & { ok: true },
  claimToken: string | null,
): Promise<MediaBuyRow> {
  const { status, pendingReason } = statusFromSeller(reportOf(result));
  const patch = {
    status,
    pendingReason,
    adcpStatus: str(result.data['status']) ?? null,
    taskState: result.status,
    taskId: result.taskId ?? str(result.data['task_id']) ?? null,
    sellerMediaBuyId: str(result.data['media_buy_id']) ?? null,
    packages: withPackageIds(row.packages, result.data),
    errorCode: null,
    errorMessage: null,
    forwardedAt: deps.now(),
    ...noPendingWrite,
  };
  const settled = claimToken
    ? await store.settleClaim(deps.db, row.id, claimToken, patch)
    : await store.updateMediaBuy(deps.db, row.id, { ...patch, claimToken: null, claimedAt: null });
  if (!settled) return row;
  const followed =
    result.status === 'completed'
      ? settled
      : await openTask(deps, settled, 'media_buy_create', {
          state: result.status,
          taskId: result.taskId ?? str(result.data['task_id']),
        });
  await followChanged(deps, followed);
  return followed;
}

/** A create_media_buy request with no frequency cap on its packages, under its own key. */
function withoutFrequencyCap(request: Json): Json {
  const packages = (request['packages'] as Json[]).map((p) => {
    const overlay = p['targeting_overlay'] as Json | undefined;
    if (!overlay) return p;
    const { frequency_cap: _cap, ...rest } = overlay;
    const { targeting_overlay: _overlay, ...pkg } = p;
    return Object.keys(rest).length > 0 ? { ...pkg, targeting_overlay: rest } : pkg;
  });
  return { ...request, idempotency_key: `${String(request['idempotency_key'])}.nocap`, packages };
}

/**
 * Pauses or resumes a placed buy at its seller (update_media_buy `paused`). An accepted pause
 * is PAUSED (unless the seller reports the buy ended); an accepted resume takes the status the
 * seller reports, through the mapping table. A seller still deciding leaves the status as it was.
 */
export async function setPaused(
  deps: SellerCallDeps,
  principal: CustomerPrincipal,
  row: MediaBuyRow,
  paused: boolean,
): Promise<{ row: MediaBuyRow; error?: string }> {
  if (!row.sellerMediaBuyId) {
    return { row, error: 'The seller has not confirmed this media buy yet' };
  }
  const write = await sendWrite(deps, principal, row, {
    operation: paused ? 'pause' : 'resume',
    tool: 'update_media_buy',
    key: `${row.id}.${paused ? 'pause' : 'resume'}.${row.revision}`,
    request: { account: row.account, media_buy_id: row.sellerMediaBuyId, paused },
    expect: { operation: paused ? 'pause' : 'resume', paused },
  });
  if (!write.sent) return { row, error: write.reason };
  const { result, verdict, intent } = write;
  if (verdict.kind === 'unknown') {
    await leaveToRecovery(deps, row, intent, verdict.reason);
    return { row, error: pendingMessage };
  }
  if (!result.ok) {
    const cleared = await store.updateMediaBuy(deps.db, row.id, noPendingWrite);
    await deps.writes.settle(intent, 'refused');
    return { row: cleared, error: result.error.message };
  }
  const updated = await recordPauseAnswer(deps, row, paused, result);
  await deps.writes.settle(intent, 'answered');
  return { row: updated };
}

/**
 * Records an accepted pause or resume: PAUSED (unless the seller reports the buy ended), or the
 * status a resumed buy reports; a seller taking it as a task leaves the status as it was.
 */
export async function recordPauseAnswer(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  paused: boolean,
  result: ToolCallResult<Json> & { ok: true },
): Promise<MediaBuyRow> {
  if (result.status !== 'completed') {
    const cleared = await store.updateMediaBuy(deps.db, row.id, noPendingWrite);
    return awaitSellerUpdate(deps, cleared, result);
  }
  const reported = str(result.data['status']);
  const mapped = reported ? statusFromSeller(reportOf(result)).status : undefined;
  // A seller that accepted a pause may still name the buy by what it waits for (AdCP keeps
  // pending_creatives over paused): accepted is paused, unless the buy has ended there.
  const status =
    mapped && (finalStatuses.has(mapped) || !paused) ? mapped : paused ? 'PAUSED' : 'ACTIVE';
  const updated = await store.updateMediaBuy(deps.db, row.id, {
    status,
    adcpStatus: reported ?? (paused ? 'paused' : 'active'),
    taskState: result.status,
    packages: row.packages.map((p) => ({ ...p, paused })),
    ...noPendingWrite,
  });
  await followChanged(deps, updated);
  return updated;
}

/**
 * An update_media_buy the seller took as a task: the buyer gets a task of ours, and status sync
 * (or the seller's push notification) tells when the change applies.
 */
export async function awaitSellerUpdate(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  result: ToolCallResult<Json> & { ok: true },
): Promise<MediaBuyRow> {
  const pending = await openTask(deps, row, 'media_buy_update', {
    state: result.status,
    taskId: result.taskId ?? str(result.data['task_id']),
  });
  await followChanged(deps, pending);
  return pending;
}
