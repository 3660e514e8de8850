import { randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import type { BuyingAgents } from '../../discovery/index.js';
import {
  type AgentOrder,
  createRequest,
  packagesOf,
  withoutFrequencyCap,
  withPackageIds,
} from './request.js';
import { type CampaignCreatives, creativeAccountOf } from '../creatives/creatives-port.js';
import { followChanged, openTask } from '../status/follow-up.js';
import {
  leaveToRecovery,
  noPendingWrite,
  pendingMessage,
  sendWrite,
  type WriteCallDeps,
} from './pending-writes.js';
import { statusFromSeller, type SellerReport } from '../status/statuses.js';
import * as store from '../store.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';
import { refusesFrequencyCap } from '../targeting/frequency-caps.js';
import { withGoals } from '../goals/optimization-goals.js';

/**
 * Placing a campaign's buy at one seller (create_media_buy, claimed once in the database) and
 * recording the seller's answer or refusal; what every seller call needs (SellerCallDeps).
 */

type Json = Record<string, unknown>;

export interface SellerCallDeps extends WriteCallDeps {
  db: Db;
  agents: BuyingAgents;
  /** Longest one create/update_media_buy call is waited for. */
  timeoutMs: number;
  now: () => Date;
  creatives?: (() => CampaignCreatives | undefined) | undefined;
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
    await leaveToRecovery(deps, row, intent, verdict);
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
