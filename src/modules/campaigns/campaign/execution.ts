import { conflict } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { SelectedProduct } from '../../discovery/index.js';
import { customerDomainMissingText } from '../../identity/index.js';
import type { CampaignsContext } from '../context.js';
import type { AgentOrder } from '../buys/request.js';
import { ownAccountId } from '../creatives/creatives-port.js';
import { adcpCapOf, appliedCaps } from '../targeting/frequency-caps.js';
import { adcpGoalsOf } from '../goals/optimization-goals.js';
import { withAudiences, withSignals } from '../targeting/audience-config.js';
import { setPaused } from '../buys/pause-resume.js';
import { placeBuy } from '../buys/seller-calls.js';
import { campaignStatusAfterExecute, retryableStatuses } from '../status/statuses.js';
import { mergedUtm } from '../creatives/utm.js';
import * as store from '../store.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';
import { cents } from '../../../sources/money.js';

/**
 * Running a campaign at its sellers: execute books its selected products (one buy per agent,
 * each placed once), pause and reactivate cascade to its buys.
 */
export function createCampaignExecution(ctx: CampaignsContext) {
  const { db, deps, calls, requireCampaign, selectedOf } = ctx;

  /**
   * The account each agent's buy is placed under: at a remote agent, the account it decides
   * (the BuyingAgents port's accountFor); at a storefront, the advertiser's linked account on a
   * source of that storefront whose products are in the order (storefront product ids are
   * `{sourceId}__…`), else the advertiser's own account on the storefront.
   */
  async function ordersOf(
    campaign: CampaignRow,
    selected: SelectedProduct[],
    /** The buyer's customer domain (execute has read it already for its notice). */
    operatorDomain: string | null,
  ): Promise<{ orders: AgentOrder[]; capsLeftOut: string[] }> {
    const advertiser = await deps.advertisers.requireAdvertiser(
      campaign.customerId,
      String(campaign.advertiserId),
    );
    const { cap: frequencyCap, leftOut: capsLeftOut } = adcpCapOf(
      appliedCaps(campaign, advertiser.frequencyCaps),
      {
        start: campaign.flightStart,
        end: campaign.flightEnd,
      },
    );
    const utmParams = mergedUtm(advertiser.utmConfig, campaign.utmConfig);
    const byAgent = new Map<string, SelectedProduct[]>();
    for (const s of selected) {
      byAgent.set(s.selection.agentId, [...(byAgent.get(s.selection.agentId) ?? []), s]);
    }
    const linkedAccount = async (storefrontId: number | null, products: SelectedProduct[]) => {
      if (storefrontId === null) return undefined;
      const links = await deps.advertisers.accounts.linksOn(
        campaign.customerId,
        campaign.advertiserId,
        storefrontId,
      );
      return links.find((l) =>
        products.some((p) => p.product.productId.startsWith(`${l.sourceId}__`)),
      )?.accountId;
    };
    const orders = await Promise.all(
      [...byAgent.entries()].map(async ([agentId, products]) => {
        const first = products[0] as SelectedProduct;
        const { storefrontId } = first.selection;
        const [own, linked] = await Promise.all([
          deps.agents.accountFor(campaign.customerId, agentId, advertiser.brand),
          linkedAccount(storefrontId, products),
        ]);
        const order = await withAudiences(deps.audiences, campaign.id, {
          agentId,
          agentName: first.agentName,
          storefrontId,
          products,
          account: own ?? { account_id: linked ?? ownAccountId(campaign.advertiserId) },
          brandDomain: advertiser.brand,
          operatorDomain,
          ...(frequencyCap && { frequencyCap }),
          utmParams,
          optimizationGoals: adcpGoalsOf(campaign.performanceConfig),
        });
        return withSignals(order, campaign.signalConfig);
      }),
    );
    return { orders, capsLeftOut };
  }

  async function setCampaignStatus(campaign: CampaignRow, status: CampaignRow['status']) {
    return status === campaign.status
      ? campaign
      : store.updateCampaign(db, campaign.id, { status });
  }

  async function cascade(principal: CustomerPrincipal, campaignId: string, paused: boolean) {
    const campaign = await requireCampaign(principal.customerId, campaignId);
    const from = paused ? 'ACTIVE' : 'PAUSED';
    if (campaign.status !== from) {
      throw conflict(
        paused
          ? `Only an ACTIVE campaign can be paused; this one is ${campaign.status}`
          : `Only a PAUSED campaign can be reactivated; this one is ${campaign.status}`,
        'status',
      );
    }
    const buys = (await store.buysOfCampaigns(db, [campaign.id])).filter((b) =>
      paused ? b.status === 'ACTIVE' : b.status === 'PAUSED',
    );
    const results = await Promise.all(
      buys.map(async (buy) => {
        const outcome = await setPaused(calls, principal, buy, paused);
        return {
          mediaBuyId: buy.id,
          name: buy.name,
          previousStatus: buy.status,
          success: outcome.error === undefined,
          ...(outcome.error !== undefined && { error: outcome.error }),
        };
      }),
    );
    const successCount = results.filter((r) => r.success).length;
    const moved = buys.length === 0 || successCount > 0;
    const updated = moved
      ? await setCampaignStatus(campaign, paused ? 'PAUSED' : 'ACTIVE')
      : campaign;
    return {
      campaignId: campaign.id,
      campaignName: campaign.name,
      previousStatus: campaign.status,
      newStatus: updated.status,
      mediaBuyResults: results,
      totalMediaBuys: results.length,
      successCount,
      failureCount: results.length - successCount,
    };
  }

  /**
   * Establishes now what became of the campaign's writes whose answer was lost (a crash, a
   * timeout) and that no request or recovery run holds: the buyer executing again learns it.
   */
  async function establishPending(buys: MediaBuyRow[]): Promise<boolean> {
    const pending = buys.filter((b) => b.pendingWriteId !== null).map((b) => b.id);
    if (pending.length === 0) return false;
    for (const intent of await deps.writes.openOf(pending)) await deps.writes.resume(intent);
    return true;
  }

  return {
    /**
     * Books the campaign's selected products: one create_media_buy per storefront agent, all at
     * once. A buy that fails is reported while the others proceed; executing again retries only
     * the buys not placed (DRAFT/FAILED). Concurrent executes book each agent once.
     */
    async execute(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      if (['ARCHIVED', 'CANCELED', 'COMPLETED'].includes(campaign.status)) {
        throw conflict(`A ${campaign.status} campaign cannot be executed`, 'status');
      }
      const [selected, operatorDomain] = await Promise.all([
        selectedOf(campaign),
        deps.customerDomainOf(campaign.customerId),
      ]);
      // Without a customer domain most sources take no buy: said on top, with the fix.
      const notices = operatorDomain
        ? []
        : [{ type: 'customer_domain_missing', mediaBuyIds: [], hint: customerDomainMissingText }];
      const previousStatus = campaign.status;
      if (selected.length === 0) {
        return {
          campaignId: campaign.id,
          previousStatus,
          newStatus: previousStatus,
          success: false,
          mediaBuysExecuted: 0,
          reason: 'no_media_buys_to_execute' as const,
          errors: [],
          warnings: notices,
        };
      }
      const before = await store.buysOfCampaigns(db, [campaign.id]);
      const existing = (await establishPending(before))
        ? await store.buysOfCampaigns(db, [campaign.id])
        : before;
      const placed = new Set(
        existing.filter((b) => !retryableStatuses.includes(b.status)).map((b) => b.salesAgentId),
      );
      const ordered = await ordersOf(campaign, selected, operatorDomain);
      const orders = ordered.orders.filter((o) => !placed.has(o.agentId));
      const evenShare = cents(campaign.budgetTotal / selected.length);
      const outcomes = (
        await Promise.all(orders.map((o) => placeBuy(calls, principal, campaign, o, evenShare)))
      ).filter((o) => o !== undefined);
      const buys = await store.buysOfCampaigns(db, [campaign.id]);
      const fresh = await requireCampaign(principal.customerId, id);
      const next = campaignStatusAfterExecute(
        fresh.status,
        buys.map((b) => b.status),
      );
      const updated = await setCampaignStatus(fresh, next);
      const errors = outcomes.flatMap((o) =>
        o.error === undefined
          ? []
          : [{ mediaBuyId: o.row.id, salesAgentId: o.row.salesAgentId, message: o.error }],
      );
      // Buys whose placing may have happened though its answer was lost: never errors.
      const establishing = buys.filter((b) => b.pendingWrite === 'create').map((b) => b.id);
      const warnings =
        establishing.length === 0
          ? []
          : [
              {
                type: 'outcome_being_established',
                mediaBuyIds: establishing,
                hint: "The seller's answer to placing these buys was lost (a restart or a timeout). Interchange is establishing at the seller whether they were placed; their status follows once it knows, and nothing is booked twice.",
              },
            ];
      return {
        campaignId: campaign.id,
        previousStatus,
        newStatus: updated.status,
        success: errors.length === 0,
        mediaBuysExecuted: outcomes.filter((o) => !o.error && !o.pending).length,
        ...(outcomes.length === 0 && { reason: 'no_media_buys_to_execute' as const }),
        errors,
        warnings: [
          ...notices,
          ...warnings,
          ...(orders.length > 0 && ordered.capsLeftOut.length > 0
            ? [
                {
                  type: 'frequency_caps_left_out',
                  mediaBuyIds: outcomes.map((o) => o.row.id),
                  hint: ordered.capsLeftOut.join('; '),
                },
              ]
            : []),
          ...outcomes.flatMap((o) =>
            (o.warnings ?? []).map((w) => ({
              type: w.type,
              mediaBuyIds: [o.row.id],
              hint: w.hint,
            })),
          ),
        ],
      };
    },

    pause: (principal: CustomerPrincipal, id: string) => cascade(principal, id, true),
    reactivate: (principal: CustomerPrincipal, id: string) => cascade(principal, id, false),
  };
}
