import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { pageOf } from '../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { AdvertisersService } from '../advertisers/index.js';
import type { BuyingAgents, DiscoveryService, SelectedProduct } from '../discovery/index.js';
import type {
  CreateCampaignInput,
  ListCampaignsQuery,
  PatchMediaBuyInput,
  UpdateCampaignInput,
} from './schemas.js';
import { type AgentOrder, placeBuy, type SellerCallDeps, setPaused } from './seller-calls.js';
import {
  campaignStatusAfterExecute,
  finalStatuses,
  type MediaBuyStatus,
  retryableStatuses,
  type SellerReport,
  statusFromSeller,
} from './status.js';
import * as store from './store.js';
import type { CampaignRow, MediaBuyRow } from './store.js';
import { campaignSummaryView, campaignView, mediaBuyView, packageViews } from './views.js';

export interface CampaignsDeps {
  db: Db;
  agents: BuyingAgents;
  discovery: Pick<DiscoveryService, 'selectedProducts' | 'bindCampaign' | 'requireDiscovery'>;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive' | 'accounts'>;
  /** Longest one create/update_media_buy call is waited for. */
  executeBudgetMs: number;
  now?: () => Date;
}

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
  const calls: SellerCallDeps = { db, agents: deps.agents, timeoutMs: deps.executeBudgetMs, now };

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
    const [selected, buys] = await Promise.all([
      selectedOf(campaign),
      store.buysOfCampaigns(db, [campaign.id]),
    ]);
    return campaignView(
      campaign,
      selected.map((s) => s.selection),
      buys,
    );
  }

  /**
   * The account each agent's buy is placed under: the advertiser's linked account on a source
   * of that storefront whose products are in the order (storefront product ids are
   * `{sourceId}__…`), else the advertiser's own account on the storefront.
   */
  async function ordersOf(
    campaign: CampaignRow,
    selected: SelectedProduct[],
  ): Promise<AgentOrder[]> {
    const advertiser = await deps.advertisers.requireAdvertiser(
      campaign.customerId,
      String(campaign.advertiserId),
    );
    const byAgent = new Map<string, SelectedProduct[]>();
    for (const s of selected) {
      byAgent.set(s.selection.agentId, [...(byAgent.get(s.selection.agentId) ?? []), s]);
    }
    return Promise.all(
      [...byAgent.entries()].map(async ([agentId, products]) => {
        const first = products[0] as SelectedProduct;
        const links = await deps.advertisers.accounts.linksOn(
          campaign.customerId,
          campaign.advertiserId,
          first.selection.storefrontId,
        );
        const link = links.find((l) =>
          products.some((p) => p.product.productId.startsWith(`${l.sourceId}__`)),
        );
        return {
          agentId,
          agentName: first.agentName,
          storefrontId: first.selection.storefrontId,
          products,
          account: { account_id: link?.accountId ?? `advertiser_${campaign.advertiserId}` },
          brandDomain: advertiser.brand,
        };
      }),
    );
  }

  async function setCampaignStatus(campaign: CampaignRow, status: CampaignRow['status']) {
    return status === campaign.status
      ? campaign
      : store.updateCampaign(db, campaign.id, { status });
  }

  /** Applies what a seller reported about a buy through the one mapping table (status.ts). */
  async function applySellerStatus(row: MediaBuyRow, report: SellerReport): Promise<MediaBuyRow> {
    if (finalStatuses.has(row.status)) return row;
    const { status, pendingReason } = statusFromSeller(report);
    if (
      status === row.status &&
      pendingReason === row.pendingReason &&
      (report.adcpStatus ?? null) === row.adcpStatus
    ) {
      return row;
    }
    return store.updateMediaBuy(db, row.id, {
      status,
      pendingReason,
      adcpStatus: report.adcpStatus ?? row.adcpStatus,
      taskState: report.taskState ?? row.taskState,
    });
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

  async function mediaBuyAction(principal: CustomerPrincipal, id: string, paused: boolean) {
    const row = await requireMediaBuy(principal.customerId, id);
    const from: MediaBuyStatus = paused ? 'ACTIVE' : 'PAUSED';
    if (row.status !== from) {
      throw conflict(
        `Only ${paused ? 'an ACTIVE' : 'a PAUSED'} media buy can be ${paused ? 'paused' : 'reactivated'}; this one is ${row.status}`,
        'status',
      );
    }
    const outcome = await setPaused(calls, principal, row, paused);
    return {
      mediaBuyId: row.id,
      name: row.name,
      previousStatus: row.status,
      newStatus: outcome.row.status,
      success: outcome.error === undefined,
      ...(outcome.error !== undefined && { error: outcome.error }),
    };
  }

  return {
    applySellerStatus,

    async list(principal: CustomerPrincipal, query: ListCampaignsQuery) {
      const advertiserId = query.advertiserId
        ? (await deps.advertisers.requireAdvertiser(principal.customerId, query.advertiserId)).id
        : undefined;
      const statuses = query.status?.includes('ALL')
        ? undefined
        : (query.status as CampaignRow['status'][] | undefined);
      const { rows, total } = await store.pageCampaigns(
        db,
        principal.customerId,
        {
          ...(advertiserId !== undefined && { advertiserId }),
          ...(statuses && { statuses }),
          ...(query.name && { name: query.name }),
        },
        { take: query.take, skip: query.skip },
      );
      const counts = await Promise.all(rows.map(async (r) => (await selectedOf(r)).length));
      return {
        campaigns: rows.map((r, i) => campaignSummaryView(r, counts[i] ?? 0)),
        total,
        hasMore: query.skip + rows.length < total,
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
      const row = await store.insertCampaign(db, {
        id: newCampaignId(),
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
      return detail(row);
    },

    async get(principal: CustomerPrincipal, id: string) {
      return detail(await requireCampaign(principal.customerId, id));
    },

    async update(principal: CustomerPrincipal, id: string, input: UpdateCampaignInput) {
      const campaign = await requireCampaign(principal.customerId, id);
      if (campaign.status === 'ARCHIVED' || campaign.status === 'CANCELED') {
        throw conflict(`A ${campaign.status} campaign cannot change`, 'status');
      }
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
      return detail(updated);
    },

    /** Deletes a campaign nothing was booked for; one with media buys answers 409 (pause it). */
    async remove(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      const buys = await store.buysOfCampaigns(db, [campaign.id]);
      if (buys.some((b) => !retryableStatuses.includes(b.status))) {
        throw conflict('The campaign has media buys with sellers; pause it instead', 'campaignId');
      }
      await store.deleteCampaign(db, campaign.id);
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
      const selected = await selectedOf(campaign);
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
          warnings: [],
        };
      }
      const existing = await store.buysOfCampaigns(db, [campaign.id]);
      const placed = new Set(
        existing.filter((b) => !retryableStatuses.includes(b.status)).map((b) => b.salesAgentId),
      );
      const orders = (await ordersOf(campaign, selected)).filter((o) => !placed.has(o.agentId));
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
      return {
        campaignId: campaign.id,
        previousStatus,
        newStatus: updated.status,
        success: errors.length === 0,
        mediaBuysExecuted: outcomes.length - errors.length,
        ...(outcomes.length === 0 && { reason: 'no_media_buys_to_execute' as const }),
        errors,
        warnings: [],
      };
    },

    pause: (principal: CustomerPrincipal, id: string) => cascade(principal, id, true),
    reactivate: (principal: CustomerPrincipal, id: string) => cascade(principal, id, false),

    /** The campaign's selected products, each with the media buys it was booked into. */
    async products(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      const [selected, buys] = await Promise.all([
        selectedOf(campaign),
        store.buysOfCampaigns(db, [campaign.id]),
      ]);
      const discovery = campaign.discoveryId
        ? await deps.discovery.requireDiscovery(principal.customerId, campaign.discoveryId)
        : undefined;
      const products = selected.map(({ selection, product, agentName }) => {
        const buy = buys.find(
          (b) =>
            b.salesAgentId === selection.agentId &&
            b.packages.some((p) => p.productId === product.productId),
        );
        const option = product.pricingOptions.find(
          (o) => o['pricing_option_id'] === selection.pricingOptionId,
        );
        const model =
          typeof option?.['pricing_model'] === 'string' ? option['pricing_model'] : undefined;
        return {
          productId: product.productId,
          productName: product.name,
          salesAgentId: selection.agentId,
          salesAgentName: agentName,
          ...(selection.bidPrice !== null && { bidPrice: selection.bidPrice }),
          ...(selection.budget !== null && { budget: selection.budget }),
          pricingOptionId: selection.pricingOptionId,
          ...(model && { pricingModel: model }),
          selectedAt: selection.selectedAt.toISOString(),
          mediaBuys: buy
            ? [
                {
                  mediaBuyId: buy.id,
                  status: buy.status,
                  name: buy.name,
                  packageIds: buy.packages
                    .filter((p) => p.productId === product.productId && p.packageId)
                    .map((p) => p.packageId as string),
                },
              ]
            : [],
        };
      });
      const onBuys = products.filter((p) =>
        p.mediaBuys.some((b) => !retryableStatuses.includes(b.status as MediaBuyStatus)),
      ).length;
      return {
        campaignId: campaign.id,
        discoveryId: campaign.discoveryId,
        products,
        searchContexts: discovery
          ? [
              {
                id: discovery.id,
                brief: discovery.ask.brief ?? '',
                channels: discovery.ask.channels ?? [],
                countries: discovery.ask.countries ?? [],
                createdAt: discovery.createdAt.toISOString(),
                productCount: products.length,
              },
            ]
          : [],
        summary: {
          totalProducts: products.length,
          productsOnMediaBuys: onBuys,
          productsPending: products.length - onBuys,
        },
      };
    },

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

    async listMediaBuys(
      principal: CustomerPrincipal,
      advertiserId: string,
      query: { limit: number; offset: number; status?: MediaBuyStatus[] | undefined },
    ) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const { rows, total } = await store.pageMediaBuys(
        db,
        principal.customerId,
        advertiser.id,
        query,
        query.status,
      );
      return pageOf(rows.map(mediaBuyView), total, query);
    },

    async getAdvertiserMediaBuy(principal: CustomerPrincipal, advertiserId: string, id: string) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const row = await requireMediaBuy(principal.customerId, id);
      if (row.advertiserId !== advertiser.id) throw mediaBuyNotFound();
      return { mediaBuy: mediaBuyView(row) };
    },

    async getMediaBuy(principal: CustomerPrincipal, id: string) {
      return { mediaBuy: mediaBuyView(await requireMediaBuy(principal.customerId, id)) };
    },

    async mediaBuyPackages(principal: CustomerPrincipal, id: string) {
      const row = await requireMediaBuy(principal.customerId, id);
      const packages = packageViews(row);
      return { mediaBuyId: row.id, isPaced: false, packageCount: packages.length, packages };
    },

    /**
     * Changes a buy: locally while it is not placed; at the seller first (update_media_buy)
     * once it is, recording the change only when the seller accepts it.
     */
    async patchMediaBuy(principal: CustomerPrincipal, id: string, input: PatchMediaBuyInput) {
      const row = await requireMediaBuy(principal.customerId, id);
      if (finalStatuses.has(row.status)) {
        throw conflict(`A ${row.status} media buy cannot change`, 'status');
      }
      const byId = new Map(row.packages.map((p) => [p.packageId ?? p.productId, p]));
      for (const [i, p] of (input.packages ?? []).entries()) {
        if (!byId.has(p.packageId)) {
          throw invalid(`No package ${p.packageId} on this media buy`, `packages.${i}.packageId`);
        }
      }
      const start = input.start_time ? new Date(input.start_time) : row.startTime;
      const end = input.end_time ? new Date(input.end_time) : row.endTime;
      if (end <= start) throw invalid('end_time must be after start_time', 'end_time');
      const packages = row.packages.map((p) => {
        const change = input.packages?.find((c) => c.packageId === (p.packageId ?? p.productId));
        return change
          ? {
              ...p,
              ...(change.budget !== undefined && { budget: change.budget }),
              ...(change.bidPrice !== undefined && { bidPrice: change.bidPrice }),
            }
          : p;
      });
      const warnings: string[] = [];
      const sellerChange =
        input.start_time !== undefined || input.end_time !== undefined || input.packages?.length;
      if (row.sellerMediaBuyId && sellerChange) {
        const result = await deps.agents.call(
          principal,
          row.salesAgentId,
          'update_media_buy',
          {
            idempotency_key: `${row.id}.update.${row.revision}`,
            account: row.account,
            media_buy_id: row.sellerMediaBuyId,
            ...(input.start_time && { start_time: start.toISOString() }),
            ...(input.end_time && { end_time: end.toISOString() }),
            ...(input.packages?.length && {
              packages: input.packages.map((p) => ({
                package_id: p.packageId,
                ...(p.budget !== undefined && { budget: p.budget }),
                ...(p.bidPrice !== undefined && { bid_price: p.bidPrice }),
              })),
            }),
          },
          { timeoutMs: deps.executeBudgetMs },
        );
        if (!result.ok) {
          throw new AppError(
            result.error.code === 'tool_error' ? 'invalid' : 'unavailable',
            `The seller did not accept the change: ${result.error.message}`,
            { code: result.error.code === 'tool_error' ? 'SELLER_REJECTED' : 'SELLER_UNAVAILABLE' },
          );
        }
        if (result.status !== 'completed') {
          warnings.push('The seller is reviewing the change; it applies once approved');
          const pending = await store.updateMediaBuy(db, row.id, {
            taskState: result.status,
            ...(input.name !== undefined && { name: input.name }),
          });
          return { mediaBuy: mediaBuyView(pending), warnings };
        }
      }
      const updated = await store.updateMediaBuy(db, row.id, {
        ...(input.name !== undefined && { name: input.name }),
        startTime: start,
        endTime: end,
        packages,
        budget: packages.reduce((sum, p) => sum + p.budget, 0),
      });
      return { mediaBuy: mediaBuyView(updated), warnings };
    },

    pauseMediaBuy: (principal: CustomerPrincipal, id: string) =>
      mediaBuyAction(principal, id, true),
    reactivateMediaBuy: (principal: CustomerPrincipal, id: string) =>
      mediaBuyAction(principal, id, false),
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
