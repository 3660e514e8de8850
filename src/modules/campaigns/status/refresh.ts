import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import { finalStatuses, type SellerReport, statusFromSeller } from './statuses.js';
import * as store from '../store.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import * as syncStore from './sync-store.js';

/**
 * Where what sellers report about buys is applied, through the one mapping table (statuses.ts):
 * on demand (GET …/media-buy-status) and, for status sync, `applySellerStatus`.
 */
export function createStatusRefresh(ctx: CampaignsContext) {
  const { db, deps, requireCampaign } = ctx;

  /**
   * Applies what a seller reported about a buy through the one mapping table (statuses.ts), with
   * `extra` facts learned with it (the seller's media buy id once its task completed). Applied
   * only if the buy did not change since it was read (any instance's look or notification got
   * there first: the fresh row is answered), so one report is applied once.
   */
  async function applySellerStatus(
    row: MediaBuyRow,
    report: SellerReport,
    extra: Partial<NewMediaBuy> = {},
  ): Promise<MediaBuyRow> {
    if (finalStatuses.has(row.status)) return row;
    let { status, pendingReason } = statusFromSeller(report);
    // A buy the buyer paused stays PAUSED while its seller names it by what it waits for (AdCP
    // keeps pending_creatives/pending_start over paused), as setPaused reads an accepted pause.
    if (row.status === 'PAUSED' && status === 'ACTIVE' && pendingReason !== null) {
      status = 'PAUSED';
      pendingReason = null;
    }
    const adcpStatus = report.adcpStatus ?? row.adcpStatus;
    if (
      status === row.status &&
      pendingReason === row.pendingReason &&
      adcpStatus === row.adcpStatus &&
      Object.keys(extra).length === 0
    ) {
      return row;
    }
    const updated = await syncStore.updateMediaBuyAt(db, row.id, row.revision, {
      status,
      pendingReason,
      adcpStatus,
      taskState: report.taskState ?? row.taskState,
      ...extra,
    });
    return updated ?? (await syncStore.findMediaBuyById(db, row.id)) ?? row;
  }

  return {
    applySellerStatus,

    /**
     * Asks each seller (get_media_buys) for the live status of the campaign's placed buys and
     * applies it through the mapping table; final buys are not asked again.
     */
    async mediaBuyStatus(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      const buys = await store.buysOfCampaigns(db, [campaign.id]);
      const errors: { media_buy_id: string; error: string }[] = [];
      const live = buys.filter((b) => b.sellerMediaBuyId && !finalStatuses.has(b.status));
      const agents = [...new Set(live.map((b) => b.salesAgentId))];
      const reported = new Map<string, MediaBuyRow>();
      await Promise.all(
        agents.map(async (agentId) => {
          const mine = live.filter((b) => b.salesAgentId === agentId);
          const result = await deps.agents.call(
            principal,
            agentId,
            'get_media_buys',
            {
              account: (mine[0] as MediaBuyRow).account,
              media_buy_ids: mine.map((b) => b.sellerMediaBuyId),
            },
            { timeoutMs: deps.executeBudgetMs },
          );
          if (!result.ok) {
            for (const b of mine) errors.push({ media_buy_id: b.id, error: result.error.message });
            return;
          }
          const answers = Array.isArray(result.data['media_buys']) ? result.data['media_buys'] : [];
          for (const b of mine) {
            const answer = answers.find(
              (a: unknown) =>
                typeof a === 'object' &&
                a !== null &&
                (a as Record<string, unknown>)['media_buy_id'] === b.sellerMediaBuyId,
            ) as Record<string, unknown> | undefined;
            const adcpStatus =
              typeof answer?.['status'] === 'string' ? answer['status'] : undefined;
            if (!adcpStatus) {
              errors.push({
                media_buy_id: b.id,
                error: 'The seller did not report this media buy',
              });
              continue;
            }
            reported.set(b.id, await applySellerStatus(b, { taskState: 'completed', adcpStatus }));
          }
        }),
      );
      const rows = buys.map((b) => ({ before: b, after: reported.get(b.id) ?? b }));
      const operational =
        rows.length === 0 ? ('no_media_buys' as const) : operationalOf(rows.map((r) => r.after));
      return {
        campaign_id: campaign.id,
        campaign_status: campaign.status,
        operational_status: operational,
        media_buys: rows.map(({ before, after }) => ({
          media_buy_id: after.id,
          adcp_media_buy_id: after.sellerMediaBuyId ?? '',
          internal_status: after.status,
          adcp_status: after.adcpStatus ?? '',
          previous_internal_status: before.status,
          previous_adcp_status: before.adcpStatus ?? '',
          updated: after.status !== before.status || after.adcpStatus !== before.adcpStatus,
          status_refresh_source: !before.sellerMediaBuyId
            ? ('not_submitted' as const)
            : finalStatuses.has(before.status)
              ? ('persisted_terminal' as const)
              : errors.some((e) => e.media_buy_id === before.id)
                ? ('refresh_failed' as const)
                : ('direct_agent' as const),
          blockers: after.status === 'FAILED' && after.errorMessage ? [after.errorMessage] : [],
        })),
        agents_queried: agents.length,
        errors,
        blockers: [],
        pending_creative_reviews: 0,
        has_upstream_media_buy: buys.some((b) => b.sellerMediaBuyId !== null),
        has_delivery: false,
      };
    },
  };
}

/** The hosted operational_status of a campaign from its buys' statuses. */
function operationalOf(buys: MediaBuyRow[]) {
  const statuses = buys.map((b) => b.status);
  if (statuses.some((s) => ['FAILED', 'REJECTED', 'INPUT_REQUIRED'].includes(s))) {
    return 'attention_required' as const;
  }
  if (statuses.some((s) => s === 'ACTIVE')) {
    if (buys.some((b) => b.status === 'ACTIVE' && b.pendingReason === 'no_creatives_attached')) {
      return 'pending_creatives' as const;
    }
    return 'active' as const;
  }
  if (statuses.every((s) => s === 'PAUSED')) return 'paused' as const;
  if (statuses.every((s) => s === 'COMPLETED')) return 'completed' as const;
  if (statuses.some((s) => s === 'PENDING_APPROVAL')) return 'pending_start' as const;
  return 'draft' as const;
}
