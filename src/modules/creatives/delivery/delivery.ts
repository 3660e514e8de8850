import { idempotencyDigest } from '../../../platform/crypto/idempotency-digest.js';
import { isRecord } from '../../../platform/is-record.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type {
  CampaignCreatives,
  CampaignForCreatives,
  CreativeUtm,
} from '../../campaigns/index.js';
import { assignable, productTakes } from './assignment.js';
import type { DeliveryDeps } from './deps.js';
import { adcpCreativeOf } from '../manifest.js';
import * as store from '../store.js';
import type { CreativeRow, PlacementRow } from '../store.js';
import { withdrawCreative } from './withdrawal.js';

type Json = Record<string, unknown>;

export type { DeliveryDeps };

/** Statuses a seller may still move: asked again when the buyer reads the creative. */
const undecided = new Set(['processing', 'pending_review']);

/**
 * Seed 003 transport from the buyer's side: creatives go to each storefront agent with
 * sync_creatives (the agent keeps them, forwards them to sources with a creative library and
 * puts them inline on packages for the others), and packages carry creative_assignments. What
 * each agent answers (approved, rejected with a reason, pending_review) is kept per agent.
 */
export function createCreativeDelivery(deps: DeliveryDeps) {
  const { db } = deps;

  /** Sends `rows` to one agent and records its answer for each; never throws. */
  async function syncTo(
    principal: CustomerPrincipal,
    agent: { agentId: string; agentName: string },
    account: Json,
    rows: CreativeRow[],
    utm: CreativeUtm,
  ): Promise<Map<string, PlacementRow>> {
    const sendable = rows.filter((r) => r.formatId !== null);
    const out = new Map<string, PlacementRow>();
    if (sendable.length === 0) return out;
    const request = {
      account,
      creatives: sendable.map((r) => adcpCreativeOf(r, deps.linkOf, utm)),
    };
    // The key names exactly what is sent, not only the creatives' revisions: the asset links
    // in it are signed afresh (a new expiry) on every send, and a seller that checks keys
    // refuses a key reused with another body (IDEMPOTENCY_CONFLICT). A retry within the same
    // second sends the same links and replays; syncing again is harmless (an upsert by id).
    const key = idempotencyDigest(`${agent.agentId}\n${JSON.stringify(request)}`, 32);
    const result = await deps.agents.call(
      principal,
      agent.agentId,
      'sync_creatives',
      { idempotency_key: `creatives.${key}`, ...request },
      { timeoutMs: deps.timeoutMs },
    );
    const answered = new Map(
      (result.ok && Array.isArray(result.data['creatives']) ? result.data['creatives'] : [])
        .filter(isRecord)
        .map((c) => [String(c['creative_id']), c]),
    );
    for (const row of sendable) {
      const answer = answered.get(row.id);
      const errors = Array.isArray(answer?.['errors']) ? answer['errors'].filter(isRecord) : [];
      const status = typeof answer?.['status'] === 'string' ? answer['status'] : undefined;
      const failed =
        !result.ok || !answer || (answer['action'] === 'failed' && status !== 'rejected');
      const reason = !result.ok
        ? result.error.message
        : !answer
          ? 'The agent did not answer for this creative'
          : typeof errors[0]?.['message'] === 'string'
            ? errors[0]['message']
            : null;
      const placement: PlacementRow = {
        creativeId: row.id,
        customerId: row.customerId,
        agentId: agent.agentId,
        agentName: agent.agentName,
        syncState: failed ? 'failed' : 'synced',
        revision: row.revision,
        approvalStatus: failed ? null : (status ?? 'approved'),
        reason,
        syncedAt: deps.now(),
      };
      await store.savePlacement(db, placement);
      out.set(row.id, placement);
    }
    return out;
  }

  const port: CampaignCreatives = {
    async beforeBuy(principal, campaign, order) {
      const all = await store.creativesOfCampaign(db, campaign.customerId, campaign.id);
      const wanted = all.filter(
        (r) => !r.withdrawingSince && order.products.some((p) => productTakes(p.formatIds, r)),
      );
      const placed = await syncTo(principal, order, order.account, wanted, order.utm);
      return new Map(
        order.products.map((p) => [
          p.productId,
          wanted
            .filter((r) => productTakes(p.formatIds, r) && assignable(placed.get(r.id)))
            .map((r) => r.id),
        ]),
      );
    },
  };

  return {
    port,

    /** Takes a creative off the sellers before it is deleted (withdrawal.ts). */
    withdraw: (principal: CustomerPrincipal, campaign: CampaignForCreatives, row: CreativeRow) =>
      withdrawCreative(deps, principal, campaign, row),

    /**
     * A creative added to (or changed on) a live campaign reaches every buy already placed
     * with a package whose product takes its format: synced to the buy's agent, then each such
     * package assigned the campaign's creatives the agent holds and its product takes
     * (update_media_buy replaces a package's assignments). Answers problems as warnings; the
     * creative is kept either way.
     */
    async toLiveBuys(
      principal: CustomerPrincipal,
      campaign: CampaignForCreatives,
      changed: CreativeRow[],
    ): Promise<string[]> {
      const warnings: string[] = [];
      // A creative a delete is withdrawing is neither sent nor assigned again.
      const all = (await store.creativesOfCampaign(db, campaign.customerId, campaign.id)).filter(
        (r) => !r.withdrawingSince,
      );
      for (const buy of campaign.liveBuys) {
        const wanted = changed.filter(
          (r) => !r.withdrawingSince && buy.packages.some((p) => productTakes(p.formatIds, r)),
        );
        if (wanted.length === 0) continue;
        const agent = { agentId: buy.salesAgentId, agentName: buy.salesAgentName };
        const placed = await syncTo(principal, agent, buy.creativeAccount, wanted, campaign.utm);
        for (const p of placed.values()) {
          if (p.syncState === 'failed')
            warnings.push(`${buy.salesAgentName}: ${p.reason ?? 'sync failed'}`);
        }
        const held = new Map(
          (
            await store.placementsOf(
              db,
              campaign.customerId,
              all.map((r) => r.id),
            )
          )
            .filter((p) => p.agentId === buy.salesAgentId)
            .map((p) => [p.creativeId, p]),
        );
        const packages = buy.packages.flatMap((p) => {
          const ids = all
            .filter((r) => assignable(held.get(r.id)) && productTakes(p.formatIds, r))
            .map((r) => r.id);
          return ids.length > 0 ? [{ packageId: p.packageId, ids }] : [];
        });
        if (packages.length === 0) continue;
        const assignments = packages.map((p) => `${p.packageId}:${p.ids.join(',')}`).join(';');
        const result = await deps.agents.call(
          principal,
          buy.salesAgentId,
          'update_media_buy',
          {
            idempotency_key: `creatives.${buy.mediaBuyId}.${idempotencyDigest(assignments, 24)}`,
            account: buy.account,
            media_buy_id: buy.sellerMediaBuyId,
            packages: packages.map((p) => ({
              package_id: p.packageId,
              creative_assignments: p.ids.map((id) => ({ creative_id: id })),
            })),
          },
          { timeoutMs: deps.timeoutMs },
        );
        if (!result.ok) {
          warnings.push(
            `${buy.salesAgentName} did not take the assignments: ${result.error.message}`,
          );
        }
      }
      return warnings;
    },

    /**
     * Asks the agents still reviewing a creative how it stands (list_creatives) and records
     * what changed. Bounded by refreshTimeoutMs; an agent that does not answer keeps its last
     * known status.
     */
    async refreshReviews(principal: CustomerPrincipal, placements: PlacementRow[]) {
      const open = placements.filter(
        (p) => p.syncState === 'synced' && undecided.has(p.approvalStatus ?? ''),
      );
      const byAgent = new Map<string, PlacementRow[]>();
      for (const p of open) byAgent.set(p.agentId, [...(byAgent.get(p.agentId) ?? []), p]);
      await Promise.all(
        [...byAgent.entries()].map(async ([agentId, rows]) => {
          const result = await deps.agents.call(
            principal,
            agentId,
            'list_creatives',
            { filters: { creative_ids: rows.map((r) => r.creativeId) } },
            { timeoutMs: deps.refreshTimeoutMs },
          );
          if (!result.ok) return;
          for (const c of (Array.isArray(result.data['creatives'])
            ? result.data['creatives']
            : []
          ).filter(isRecord)) {
            const row = rows.find((r) => r.creativeId === c['creative_id']);
            const status = typeof c['status'] === 'string' ? c['status'] : undefined;
            if (!row || !status || status === row.approvalStatus) continue;
            const ext = isRecord(c['ext']) ? c['ext'] : {};
            const reason = typeof ext['reviewer_notes'] === 'string' ? ext['reviewer_notes'] : null;
            await store.saveReview(db, row, { approvalStatus: status, reason });
          }
        }),
      );
    },
  };
}

export type CreativeDelivery = ReturnType<typeof createCreativeDelivery>;
