import { idempotencyDigest } from '../../../platform/crypto/idempotency-digest.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { archiveNotConfirmed } from '../../../upstream/index.js';
import type { CampaignForCreatives, LiveBuy } from '../../campaigns/index.js';
import { assignable, productTakes } from './assignment.js';
import type { DeliveryDeps } from './deps.js';
import { adcpCreativeOf } from '../manifest.js';
import * as store from '../store.js';
import type { CreativeRow, PlacementRow } from '../store.js';

/** A seller that still carries the creative after a withdrawal, and why. */
export interface WithdrawalFailure {
  agentId: string;
  agentName: string;
  /** Our media buy whose packages could not be cleared; absent when the archive failed. */
  mediaBuyId?: string;
  message: string;
}

const digest = (text: string) => idempotencyDigest(text, 24);

/** Placements the seller may still serve: taken, and neither rejected nor already withdrawn. */
const stillCarried = (p: PlacementRow) =>
  p.syncState === 'synced' && p.approvalStatus !== 'rejected' && p.approvalStatus !== 'archived';

/**
 * Takes a creative off every storefront agent that holds it, the way AdCP 3.0 defines it:
 *
 * 1. each live buy at such an agent gets `update_media_buy` with, for every package whose
 *    product takes the creative's format, `creative_assignments` replaced by the campaign's
 *    other assignable creatives (media-buy/package-update.json: "Replace creative assignments
 *    for this package … Uses replacement semantics"; an empty list leaves the package none);
 * 2. the agent is sent the creative again by `sync_creatives` with `status: "archived"`
 *    (core/creative-asset.json `status`, enums/creative-status.json: "archived: Creative has
 *    been archived by the buyer and is excluded from default queries"), scoped by
 *    `creative_ids` so nothing else in the library moves. `delete_missing` is not used: it
 *    archives everything a sync leaves out, the buyer's whole library at that account.
 *
 * An agent that archived it (its answer names the creative, archived or without a status:
 * upstream archiveNotConfirmed), after every package there was cleared, is recorded (placement
 * `archived`), so a retry skips it; one with a package still carrying it is asked again. Answers
 * what failed; never throws. The account is the live buy's: an agent with no live buy left
 * (its buys ended) is not asked, as nothing of this campaign serves there any more.
 */
export async function withdrawCreative(
  deps: DeliveryDeps,
  principal: CustomerPrincipal,
  campaign: CampaignForCreatives,
  row: CreativeRow,
): Promise<WithdrawalFailure[]> {
  const { db } = deps;
  const placements = (await store.placementsOf(db, campaign.customerId, [row.id])).filter(
    stillCarried,
  );
  if (placements.length === 0) return [];
  // What stays on the packages: the campaign's other creatives, less any also being withdrawn.
  const others = (await store.creativesOfCampaign(db, campaign.customerId, campaign.id)).filter(
    (r) => r.id !== row.id && !r.withdrawingSince,
  );
  const held = await store.placementsOf(
    db,
    campaign.customerId,
    others.map((r) => r.id),
  );
  // Agents side by side: a slow seller delays only its own part of the answer.
  const perAgent = await Promise.all(
    placements.map(async (placement): Promise<WithdrawalFailure[]> => {
      const buys = campaign.liveBuys.filter((b) => b.salesAgentId === placement.agentId);
      if (buys.length === 0) return [];
      const atAgent = new Map(
        held.filter((p) => p.agentId === placement.agentId).map((p) => [p.creativeId, p]),
      );
      const unassigned = await Promise.all(
        buys.map((buy) => unassign(deps, principal, buy, row, others, atAgent)),
      );
      const failures = unassigned.flatMap((f) => (f ? [f] : []));
      // Archived only once every package at the agent is cleared: what serves goes first, and
      // a placement recorded archived is skipped by a retry, so it must not be recorded while
      // a package still carries the creative.
      if (failures.length > 0) return failures;
      const archived = await archive(deps, principal, placement, buys[0]!, row);
      if (archived) return [archived];
      await store.saveReview(db, placement, { approvalStatus: 'archived', reason: null });
      return [];
    }),
  );
  return perAgent.flat();
}

/** Replaces the assignments of the buy's packages that take the creative, without it. */
async function unassign(
  deps: DeliveryDeps,
  principal: CustomerPrincipal,
  buy: LiveBuy,
  row: CreativeRow,
  others: CreativeRow[],
  atAgent: Map<string, PlacementRow>,
): Promise<WithdrawalFailure | undefined> {
  const packages = buy.packages
    .filter((p) => productTakes(p.formatIds, row))
    .map((p) => ({
      package_id: p.packageId,
      creative_assignments: others
        .filter((r) => assignable(atAgent.get(r.id)) && productTakes(p.formatIds, r))
        .map((r) => ({ creative_id: r.id })),
    }));
  if (packages.length === 0) return undefined;
  const result = await deps.agents.call(
    principal,
    buy.salesAgentId,
    'update_media_buy',
    {
      // One key per (buy, withdrawn creative, what stays): a retry replays the same change.
      idempotency_key: `withdraw.${buy.mediaBuyId}.${digest(`${row.id}\n${JSON.stringify(packages)}`)}`,
      account: buy.account,
      media_buy_id: buy.sellerMediaBuyId,
      packages,
    },
    { timeoutMs: deps.timeoutMs },
  );
  if (result.ok) return undefined;
  return {
    agentId: buy.salesAgentId,
    agentName: buy.salesAgentName,
    mediaBuyId: buy.mediaBuyId,
    message: `${buy.salesAgentName} did not take the creative off media buy ${buy.mediaBuyId}: ${result.error.message}`,
  };
}

/** Archives the creative in the agent's library (sync_creatives, status archived). */
async function archive(
  deps: DeliveryDeps,
  principal: CustomerPrincipal,
  placement: PlacementRow,
  buy: LiveBuy,
  row: CreativeRow,
): Promise<WithdrawalFailure | undefined> {
  const creative = { ...adcpCreativeOf(row, deps.linkOf), status: 'archived' };
  const result = await deps.agents.call(
    principal,
    placement.agentId,
    'sync_creatives',
    {
      // Keyed by what is sent: asset links are signed and expire, so a later retry carries
      // other links and must not reuse the key of a different payload.
      idempotency_key: `withdraw.${digest(`${placement.agentId}\n${JSON.stringify(creative)}`)}`,
      account: buy.creativeAccount,
      creative_ids: [row.id],
      creatives: [creative],
    },
    { timeoutMs: deps.timeoutMs },
  );
  const reason = result.ok ? archiveNotConfirmed(result.data, row.id) : result.error.message;
  if (reason === undefined) return undefined;
  return {
    agentId: placement.agentId,
    agentName: placement.agentName,
    message: `${placement.agentName} did not archive the creative: ${reason}`,
  };
}
