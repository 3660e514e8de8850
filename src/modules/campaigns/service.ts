import { randomBytes } from 'node:crypto';
import { AppError, conflict, invalid, isAppError, notFound } from '../../platform/errors.js';
import { skipCursor } from '../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { SelectedProduct } from '../discovery/index.js';
import { customerDomainMissingText } from '../identity/index.js';
import { campaignProducts } from './campaign-products.js';
import { adcpCapOf, appliedCaps, storedCaps } from './frequency-caps.js';
import { appendPeriods, checkedPeriods, dailyCapProblem } from './pacing.js';
import { mergedUtm, updatedUtm } from './utm.js';
import { adcpGoalsOf } from './optimization-goals.js';
import { checkAudienceConfig, withAudiences, withAudienceViews } from './audience-config.js';
import type { PacingPeriods } from './tables.js';
import type { CampaignsContext, CampaignsDeps } from './context.js';
import { campaignForCreatives, ownAccountId } from './creatives-port.js';
import { createMediaBuyOperations } from './media-buy-operations.js';
import type {
  CreateCampaignInput,
  GetCampaignQuery,
  ListCampaignsQuery,
  MediaBuyActionInput,
  UpdateCampaignInput,
} from './schemas.js';
import { type AgentOrder, placeBuy, type SellerCallDeps, setPaused } from './seller-calls.js';
import { campaignStatusAfterExecute, listedStatuses, retryableStatuses } from './status.js';
import { createStatusRefresh } from './status-refresh.js';
import { createPushReceiver } from './push-notifications.js';
import { createStatusSync } from './status-sync.js';
import { createTasks } from './tasks.js';
import { campaignWriteResolvers } from './write-recovery.js';
import * as store from './store.js';
import type { CampaignRow, MediaBuyRow } from './store.js';
import { campaignSummaryView, campaignView } from './views.js';

export type { CampaignsDeps } from './context.js';

export type CampaignsService = ReturnType<typeof createCampaignsService>;

const newCampaignId = () => `cmp_${randomBytes(10).toString('hex')}`;
const campaignNotFound = () => notFound('Campaign');
const mediaBuyNotFound = () => notFound('Media buy');

/**
 * Campaigns and their media buys (seed 004, issue 14): a campaign books the products selected in
 * its discovery session as one media buy per storefront agent. Everything is the caller's own:
 * another customer's campaign or buy is NOT_FOUND.
 */
export function createCampaignsService(deps: CampaignsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const calls: SellerCallDeps = {
    db,
    agents: deps.agents,
    timeoutMs: deps.executeBudgetMs,
    now,
    creatives: deps.creatives,
    sync: deps.sync,
    writes: deps.writes,
  };

  async function requireCampaign(customerId: number, id: string): Promise<CampaignRow> {
    const row = await store.findCampaign(db, customerId, id);
    if (!row) throw campaignNotFound();
    return row;
  }

  async function requireMediaBuy(customerId: number, id: string): Promise<MediaBuyRow> {
    const row = await store.findMediaBuy(db, customerId, id);
    if (!row) throw mediaBuyNotFound();
    return row;
  }

  const selectedOf = (campaign: CampaignRow): Promise<SelectedProduct[]> =>
    campaign.discoveryId
      ? deps.discovery.selectedProducts(campaign.customerId, campaign.discoveryId)
      : Promise.resolve([]);

  async function detail(campaign: CampaignRow) {
    const [selected, buys, advertiser, audiences] = await Promise.all([
      selectedOf(campaign),
      store.buysOfCampaigns(db, [campaign.id]),
      deps.advertisers.requireAdvertiser(campaign.customerId, String(campaign.advertiserId)),
      deps.audiences?.viewOf(campaign.id),
    ]);
    return withAudienceViews(
      audiences,
      campaignView(
        campaign,
        selected.map((s) => s.selection),
        buys,
        advertiser.frequencyCaps,
        advertiser.utmConfig,
        advertiser.optimizationApplyMode,
      ),
    );
  }

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
        return withAudiences(deps.audiences, campaign.id, {
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
   * The periods a campaign update leaves (undefined: unchanged), checked against the flight and
   * budget it leaves: periods change only on DRAFT; null removes them; new ones are appended
   * to the current ones (hosted cascade), answering what moved. The daily cap is re-checked.
   */
  function pacingAfterUpdate(campaign: CampaignRow, input: UpdateCampaignInput) {
    const flight = {
      start: input.flightDates ? new Date(input.flightDates.startDate) : campaign.flightStart,
      end: input.flightDates ? new Date(input.flightDates.endDate) : campaign.flightEnd,
    };
    const total = input.budget?.total ?? campaign.budgetTotal;
    if (input.pacingPeriods !== undefined && campaign.status !== 'DRAFT') {
      throw conflict(
        `Pacing periods change only while the campaign is DRAFT; this one is ${campaign.status}`,
        'pacingPeriods',
      );
    }
    let pacingPeriods: PacingPeriods | null | undefined;
    let cascade: ReturnType<typeof appendPeriods>['cascade'] | undefined;
    if (input.pacingPeriods === null) pacingPeriods = null;
    else if (input.pacingPeriods && campaign.pacingPeriods) {
      ({ schedule: pacingPeriods, cascade } = appendPeriods(
        campaign.pacingPeriods,
        input.pacingPeriods,
        flight,
        total,
      ));
    } else if (input.pacingPeriods) {
      pacingPeriods = checkedPeriods(input.pacingPeriods, flight, total);
    } else if (campaign.pacingPeriods && (input.flightDates || input.budget?.total !== undefined)) {
      // The flight or budget moved under the periods: they must still fit.
      checkedPeriods(campaign.pacingPeriods, flight, total);
    }
    const schedule = pacingPeriods === undefined ? campaign.pacingPeriods : pacingPeriods;
    const capProblem = dailyCapProblem(
      input.budget?.dailyCap ?? campaign.dailyCap,
      total,
      flight,
      schedule,
    );
    if (capProblem) throw invalid(capProblem, 'budget.dailyCap');
    return { pacingPeriods, cascade };
  }

  const ctx: CampaignsContext = { db, deps, calls, requireCampaign, requireMediaBuy, selectedOf };
  const refresh = createStatusRefresh(ctx);
  const statusSync = createStatusSync(ctx, refresh.applySellerStatus);
  const mediaBuyOperations = createMediaBuyOperations(ctx);
  for (const resolver of campaignWriteResolvers(ctx)) deps.writes.register(resolver);

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

  /**
   * Runs a campaign update's per-buy actions in order. One that fails (a seller's refusal, a
   * buy in no state for it) is reported as a warning naming the buy, and the rest go on, as
   * execute reports a failed buy while the others proceed.
   */
  async function applyMediaBuyActions(
    principal: CustomerPrincipal,
    actions: MediaBuyActionInput[],
  ): Promise<string[]> {
    const warnings: string[] = [];
    for (const action of actions) {
      try {
        if (action.action === 'cancel') {
          const { pending } = await mediaBuyOperations.cancelMediaBuy(
            principal,
            action.mediaBuyId,
            {
              reason: action.reason,
              packageIds: action.packageIds,
            },
          );
          if (pending) {
            warnings.push(
              `${action.mediaBuyId}: the seller is reviewing the cancellation; it applies once approved`,
            );
          }
        } else if (action.action === 'delete') {
          await mediaBuyOperations.archiveMediaBuy(principal, action.mediaBuyId);
        } else if (
          action.name !== undefined ||
          action.packages?.length ||
          action.optimization_goals !== undefined
        ) {
          const patched = await mediaBuyOperations.patchMediaBuy(principal, action.mediaBuyId, {
            ...(action.name !== undefined && { name: action.name }),
            ...(action.packages && { packages: action.packages }),
            ...(action.optimization_goals && { optimization_goals: action.optimization_goals }),
          });
          warnings.push(...patched.warnings.map((w) => `${action.mediaBuyId}: ${w}`));
        }
      } catch (error) {
        if (!isAppError(error)) throw error;
        warnings.push(`${action.mediaBuyId}: ${error.message}`);
      }
    }
    return warnings;
  }

  return {
    applySellerStatus: refresh.applySellerStatus,
    mediaBuyStatus: refresh.mediaBuyStatus,
    syncAgent: statusSync.syncAgent,
    followedAgents: statusSync.followedAgents,
    receivePushNotification: createPushReceiver(ctx, statusSync),
    ...createTasks(ctx),
    products: (principal: CustomerPrincipal, id: string) => campaignProducts(ctx, principal, id),
    /** For discovery: the caller's campaign a body names (undefined: not theirs, or none). */
    campaignOf: (customerId: number, id: string) => store.findCampaign(db, customerId, id),
    /** The caller's campaign as creatives need it (NOT_FOUND for another customer's). */
    async forCreatives(customerId: number, id: string) {
      const campaign = await requireCampaign(customerId, id);
      const [buys, advertiser, operatorDomain] = await Promise.all([
        store.buysOfCampaigns(db, [campaign.id]),
        deps.advertisers.requireAdvertiser(customerId, String(campaign.advertiserId)),
        deps.customerDomainOf(customerId),
      ]);
      return campaignForCreatives(
        campaign,
        buys,
        advertiser.brand,
        operatorDomain,
        mergedUtm(advertiser.utmConfig, campaign.utmConfig),
      );
    },
    ...mediaBuyOperations,

    async list(principal: CustomerPrincipal, query: ListCampaignsQuery) {
      const advertiserId = query.advertiserId
        ? (await deps.advertisers.requireAdvertiser(principal.customerId, query.advertiserId)).id
        : undefined;
      const skip = query.cursor ?? query.skip;
      const statuses = listedStatuses(query);
      // Every campaign here is a managed, brief-driven one: asking only for other kinds finds none.
      const noneMatch =
        query.management === 'tracked' ||
        (query.mode !== undefined && !query.mode.includes('discovery'));
      const { rows, total } = noneMatch
        ? { rows: [], total: 0 }
        : await store.pageCampaigns(
            db,
            principal.customerId,
            {
              ...(advertiserId !== undefined && { advertiserId }),
              ...(statuses && { statuses }),
              ...(query.name && { name: query.name }),
              ...(query.mediaBuyStatus?.length && { mediaBuyStatuses: query.mediaBuyStatus }),
            },
            { take: query.take, skip },
          );
      const counts = await deps.discovery.selectionCounts(principal.customerId, [
        ...new Set(rows.flatMap((r) => (r.discoveryId ? [r.discoveryId] : []))),
      ]);
      const hasMore = skip + rows.length < total;
      return {
        campaigns: rows.map((r) =>
          campaignSummaryView(r, r.discoveryId ? (counts.get(r.discoveryId) ?? 0) : 0),
        ),
        total,
        hasMore,
        ...(hasMore && { nextCursor: skipCursor.encode(skip + rows.length) }),
        v3Enabled: false as const,
      };
    },

    async create(principal: CustomerPrincipal, input: CreateCampaignInput) {
      const advertiser = await deps.advertisers.requireActive(
        principal.customerId,
        input.advertiserId,
      );
      if (input.discoveryId) {
        const discovery = await deps.discovery.requireDiscovery(
          principal.customerId,
          input.discoveryId,
        );
        if (discovery.advertiserId !== advertiser.id) {
          throw invalid('The discovery was run for another advertiser', 'discoveryId');
        }
      }
      const flight = {
        start: new Date(input.flightDates.startDate),
        end: new Date(input.flightDates.endDate),
      };
      const pacingPeriods = input.pacingPeriods
        ? checkedPeriods(input.pacingPeriods, flight, input.budget.total)
        : null;
      const capProblem = dailyCapProblem(
        input.budget.dailyCap ?? null,
        input.budget.total,
        flight,
        pacingPeriods,
      );
      if (capProblem) throw invalid(capProblem, 'budget.dailyCap');
      const audiences = await checkAudienceConfig(
        deps.audiences,
        principal.customerId,
        advertiser.id,
        input,
      );
      const row = await store.insertCampaign(db, {
        id: newCampaignId(),
        pacingPeriods,
        frequencyCaps: input.frequencyCaps ? storedCaps(input.frequencyCaps, now()) : null,
        utmConfig: input.utmConfig?.params ?? [],
        performanceConfig: input.performanceConfig ?? null,
        optimizationApplyMode: input.optimizationApplyMode ?? null,
        customerId: principal.customerId,
        advertiserId: advertiser.id,
        name: input.name,
        status: 'DRAFT',
        brief: input.brief ?? null,
        flightStart: new Date(input.flightDates.startDate),
        flightEnd: new Date(input.flightDates.endDate),
        budgetTotal: input.budget.total,
        currency: input.budget.currency ?? advertiser.primaryCurrency ?? 'USD',
        dailyCap: input.budget.dailyCap ?? null,
        pacing: input.budget.pacing ?? null,
        constraints: input.constraints ?? null,
        storefrontIds: input.storefrontIds ?? [],
        discoveryId: input.discoveryId ?? null,
      });
      if (input.discoveryId) {
        await deps.discovery.bindCampaign(principal.customerId, input.discoveryId, row.id);
      }
      if (audiences) await deps.audiences?.attach(row.id, audiences, true);
      return detail(row);
    },

    async get(principal: CustomerPrincipal, id: string, query: GetCampaignQuery = {}) {
      const answer = await detail(await requireCampaign(principal.customerId, id));
      const only = query.mediaBuyId?.length ? new Set(query.mediaBuyId) : undefined;
      if (only) {
        answer.campaign.mediaBuys = answer.campaign.mediaBuys.filter((b) => only.has(b.mediaBuyId));
      }
      return answer;
    },

    async update(principal: CustomerPrincipal, id: string, input: UpdateCampaignInput) {
      const campaign = await requireCampaign(principal.customerId, id);
      if (campaign.status === 'ARCHIVED' || campaign.status === 'CANCELED') {
        throw conflict(`A ${campaign.status} campaign cannot change`, 'status');
      }
      // Checked before anything changes, as the buys the actions name below.
      const { pacingPeriods, cascade } = pacingAfterUpdate(campaign, input);
      // Every action names a buy of this campaign, checked before anything changes.
      if (input.mediaBuys?.length) {
        const own = new Set((await store.buysOfCampaigns(db, [campaign.id])).map((b) => b.id));
        for (const [i, action] of input.mediaBuys.entries()) {
          if (!own.has(action.mediaBuyId)) {
            throw new AppError('not_found', 'Media buy not found on this campaign', {
              field: `mediaBuys.${i}.mediaBuyId`,
            });
          }
        }
      }
      const audiences = await checkAudienceConfig(
        deps.audiences,
        principal.customerId,
        campaign.advertiserId,
        input,
      );
      if (input.discoveryId) {
        const discovery = await deps.discovery.requireDiscovery(
          principal.customerId,
          input.discoveryId,
        );
        if (discovery.advertiserId !== campaign.advertiserId) {
          throw invalid('The discovery was run for another advertiser', 'discoveryId');
        }
        await deps.discovery.bindCampaign(principal.customerId, input.discoveryId, campaign.id);
      }
      const updated = await store.updateCampaign(db, campaign.id, {
        ...(pacingPeriods !== undefined && { pacingPeriods }),
        ...(input.utmConfig && { utmConfig: updatedUtm(campaign.utmConfig, input.utmConfig) }),
        ...(input.frequencyCaps !== undefined && {
          frequencyCaps: input.frequencyCaps && storedCaps(input.frequencyCaps, now()),
        }),
        ...(input.performanceConfig !== undefined && {
          performanceConfig: input.performanceConfig,
        }),
        ...(input.optimizationApplyMode !== undefined && {
          optimizationApplyMode: input.optimizationApplyMode,
        }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.brief !== undefined && { brief: input.brief }),
        ...(input.flightDates && {
          flightStart: new Date(input.flightDates.startDate),
          flightEnd: new Date(input.flightDates.endDate),
        }),
        ...(input.budget?.total !== undefined && { budgetTotal: input.budget.total }),
        ...(input.budget?.currency !== undefined && { currency: input.budget.currency }),
        ...(input.budget?.dailyCap !== undefined && { dailyCap: input.budget.dailyCap }),
        ...(input.budget?.pacing !== undefined && { pacing: input.budget.pacing }),
        ...(input.constraints !== undefined && { constraints: input.constraints }),
        ...(input.storefrontIds !== undefined && { storefrontIds: input.storefrontIds }),
        ...(input.discoveryId !== undefined && { discoveryId: input.discoveryId }),
      });
      if (audiences)
        await deps.audiences?.attach(
          campaign.id,
          audiences,
          input.audienceConfig?.deleteMissing === true,
        );
      const warnings = await applyMediaBuyActions(principal, input.mediaBuys ?? []);
      const answer = await detail(updated);
      return {
        ...answer,
        warnings: [...answer.warnings, ...warnings],
        ...(cascade && { pacingCascadeResult: cascade }),
      };
    },

    /** Deletes a campaign nothing was booked for; one with media buys answers 409 (pause it). */
    async remove(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      // Decided in the delete's transaction: a buy placed (or being placed) meanwhile keeps it.
      if (!(await store.deleteCampaign(db, campaign.id))) {
        throw conflict('The campaign has media buys with sellers; pause it instead', 'campaignId');
      }
    },

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
      const evenShare = Math.round((campaign.budgetTotal / selected.length) * 100) / 100;
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
