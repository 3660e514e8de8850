import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { AdvertisersService } from '../advertisers/index.js';
import { customerDomainMissing, customerDomainMissingText } from '../identity/index.js';
import { campaignWarningOf, domainIssue } from './answer-notes.js';
import { mediaChannels } from '../storefronts/index.js';
import type { BuyingAgents } from './agents-port.js';
import type { CampaignRefs } from './campaigns-port.js';
import { askAgents } from './fan-out.js';
import { recordRound } from './round-recorder.js';
import { isAuctionOption, pricingOptionOf } from './products.js';
import type { AddProductsInput, BrowseQuery, DiscoverInput, RefineItem } from './schemas.js';
import * as store from './store.js';
import type { AgentRow, DiscoveryRow, SelectionRow } from './store.js';
import type { DiscoveredProduct, DiscoveryAsk } from './tables.js';
import { budgetContextOf, discoveryPage, productView, selectionView } from './views.js';

export interface DiscoveryDeps {
  db: Db;
  agents: BuyingAgents;
  advertisers: Pick<AdvertisersService, 'requireActive' | 'accounts'>;
  /** The buyer's customer domain (null: none), which names it as operator at sources. */
  customerDomainOf: (customerId: number) => Promise<string | null>;
  /** The caller's campaigns a body names (late-bound: campaigns read discovery). */
  campaigns?: () => CampaignRefs | undefined;
  /** Longest one agent is waited for in a discovery. */
  agentBudgetMs: number;
  /** Longest a whole discovery waits for its agents. */
  totalBudgetMs: number;
}

/** A selected product with everything execution books it from (a frozen copy of the offer). */
export interface SelectedProduct {
  selection: SelectionRow;
  agentName: string;
  product: DiscoveredProduct;
}

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;

// AdCP's media channels; the hosted body also names `video` and `audio`, which are AdCP's
// online video and streaming audio.
const adcpChannels = new Set<string>(mediaChannels);
const channelAliases: Record<string, string> = { video: 'olv', audio: 'streaming_audio' };

const newDiscoveryId = () => `disc_${randomBytes(10).toString('hex')}`;
const newRoundId = () => randomBytes(8).toString('hex');

/** The AdCP get_products request for a buyer's ask, on behalf of the advertiser's brand. */
function getProductsRequest(ask: DiscoveryAsk, brandDomain: string): Record<string, unknown> {
  const channels = [
    ...new Set(
      (ask.channels ?? []).map((c) => channelAliases[c] ?? c).filter((c) => adcpChannels.has(c)),
    ),
  ];
  const filters = {
    ...(channels.length > 0 && { channels }),
    ...(ask.countries?.length && { countries: ask.countries.map((c) => c.toUpperCase()) }),
    ...(ask.flightDates && {
      start_date: ask.flightDates.startDate.slice(0, 10),
      end_date: ask.flightDates.endDate.slice(0, 10),
    }),
  };
  return {
    buying_mode: ask.brief ? 'brief' : 'wholesale',
    ...(ask.brief && { brief: ask.brief }),
    brand: { domain: brandDomain },
    ...(Object.keys(filters).length > 0 && { filters }),
  };
}

/**
 * The AdCP refine entries for one agent: the request-wide ones, and those naming a product or
 * proposal it offered in the session's last round (hosted `id` becomes AdCP's product_id or
 * proposal_id). Undefined when none concerns it: it is asked as before.
 */
function refineFor(
  refine: RefineItem[] | undefined,
  previous: AgentRow[],
  agentId: string,
): { entries: Record<string, unknown>[]; indexes: number[] } | undefined {
  if (!refine) return undefined;
  const agent = previous.find((a) => a.agentId === agentId);
  const indexes: number[] = [];
  const entries = refine.flatMap((r, index): Record<string, unknown>[] => {
    if (r.scope === 'request') {
      indexes.push(index);
      return [{ scope: 'request', ask: r.ask }];
    }
    const offered =
      r.scope === 'product'
        ? agent?.products.some((p) => p.productId === r.id)
        : agent?.proposals.some((p) => p.proposalId === r.id);
    if (!offered) return [];
    indexes.push(index);
    return [
      {
        scope: r.scope,
        [r.scope === 'product' ? 'product_id' : 'proposal_id']: r.id,
        action: r.action,
        ...(r.ask !== undefined && { ask: r.ask }),
      },
    ];
  });
  return entries.length > 0 ? { entries, indexes } : undefined;
}

/**
 * Buyer discovery (issue 14): asks every storefront agent the buyer may use, in parallel and
 * within a budget, and keeps each agent's answer per session so browsing, filtering, paging and
 * selecting re-read it without asking again. Sessions belong to one buyer customer.
 */
export function createDiscoveryService(deps: DiscoveryDeps) {
  const { db } = deps;

  /**
   * The caller's campaign a body names, for `advertiserId`: another customer's or an unknown
   * one is NOT_FOUND (naming the field), one of another advertiser a 400.
   */
  async function requireCampaign(
    customerId: number,
    campaignId: string,
    advertiserId: number,
    field = 'campaignId',
  ) {
    const campaign = await deps.campaigns?.()?.campaignOf(customerId, campaignId);
    if (!campaign) throw new AppError('not_found', 'Campaign not found', { field });
    if (campaign.advertiserId !== advertiserId) {
      throw invalid('The campaign belongs to another advertiser', field);
    }
    return campaign;
  }

  async function requireDiscovery(customerId: number, id: string): Promise<DiscoveryRow> {
    const row = await store.findDiscovery(db, customerId, id);
    if (!row) throw notFound('Discovery');
    return row;
  }

  /**
   * A page with, on top, what keeps the buyer from seeing products (no customer domain: most
   * sources answer nothing), so an empty answer is never silent.
   */
  async function withNotices<T extends { connectionIssues: object[] }>(
    customerId: number,
    page: T,
  ) {
    if (await deps.customerDomainOf(customerId)) return page;
    return {
      ...page,
      guidance: customerDomainMissingText,
      warnings: [{ ...customerDomainMissing }],
      connectionIssues: [domainIssue, ...page.connectionIssues],
    };
  }

  async function pageOf(discovery: DiscoveryRow, query: BrowseQuery) {
    const [agents, selections] = await Promise.all([
      store.agentsOf(db, discovery.id),
      store.selectionsOf(db, discovery.id),
    ]);
    return withNotices(
      discovery.customerId,
      discoveryPage(discovery, agents, selections, query, deps.agentBudgetMs),
    );
  }

  async function selectionsAnswer(discovery: DiscoveryRow) {
    const selections = await store.selectionsOf(db, discovery.id);
    const budgetContext = budgetContextOf(discovery, selections);
    const warning = campaignWarningOf(discovery);
    return {
      discoveryId: discovery.id,
      products: selections.map(selectionView),
      totalProducts: selections.length,
      ...(budgetContext && { budgetContext }),
      campaignBound: discovery.campaignId !== null,
      ...(warning && { campaignWarning: warning }),
    };
  }

  /** The product an agent offered in the session; a productId alone must name one agent's. */
  function findOffer(agents: AgentRow[], productId: string, agentId?: string, field = 'productId') {
    const offers = agents.flatMap((agent) =>
      agentId !== undefined && agent.agentId !== agentId
        ? []
        : agent.products
            .filter((p) => p.productId === productId)
            .map((product) => ({ agent, product })),
    );
    if (offers.length === 0) {
      throw invalid(`Product ${productId} was not discovered in this session`, field);
    }
    if (offers.length > 1) {
      throw invalid(
        `Product ${productId} is offered by several agents: name its salesAgentId`,
        field,
      );
    }
    return offers[0] as { agent: AgentRow; product: DiscoveredProduct };
  }

  async function addSelections(
    discovery: DiscoveryRow,
    items: AddProductsInput['products'],
    replace: boolean,
  ) {
    const agents = await store.agentsOf(db, discovery.id);
    const rows = items.map((item, i) => {
      const { agent, product } = findOffer(
        agents,
        item.productId,
        item.salesAgentId,
        `products.${i}.productId`,
      );
      const option = pricingOptionOf(product, item.pricingOptionId);
      if (!option) {
        throw invalid(
          item.pricingOptionId
            ? `Product ${product.productId} has no pricing option ${item.pricingOptionId}`
            : `Product ${product.productId} offers no pricing option`,
          `products.${i}.pricingOptionId`,
        );
      }
      // Auction-priced inventory clears on the buyer's bid: without one there is nothing to book.
      if (isAuctionOption(option) && item.bidPrice === undefined) {
        throw invalid(
          `Product ${product.productId} is auction-priced: send a bidPrice`,
          `products.${i}.bidPrice`,
        );
      }
      return {
        discoveryId: discovery.id,
        customerId: discovery.customerId,
        agentId: agent.agentId,
        productId: product.productId,
        storefrontId: agent.storefrontId,
        groupName: agent.storefrontName,
        pricingOptionId: String(option['pricing_option_id']),
        bidPrice: item.bidPrice ?? null,
        budget: item.budget ?? null,
        targetingOverlay: item.targetingOverlay ?? null,
      };
    });
    await store.upsertSelections(db, discovery.id, rows, replace);
  }

  return {
    requireDiscovery,

    /**
     * Runs a discovery: a new session, or a new round of an existing one (revision + 1, its
     * selections kept). Agents that fail or time out are reported, never fatal.
     */
    async discover(principal: CustomerPrincipal, input: DiscoverInput) {
      // Independent reads, at once: they sit before every agent is asked. The advertiser's
      // linked accounts are read by the id asked for (and the caller's customer), beside the
      // check that it is theirs and active: if it is not, they are never used.
      const [advertiser, existing, usable, links] = await Promise.all([
        deps.advertisers.requireActive(principal.customerId, input.advertiserId),
        input.discoveryId ? requireDiscovery(principal.customerId, input.discoveryId) : undefined,
        deps.agents.usableBy(principal),
        deps.advertisers.accounts.linksOfAdvertiser(
          principal.customerId,
          Number(input.advertiserId),
        ),
      ]);
      if (existing && existing.advertiserId !== advertiser.id) {
        throw invalid('This discovery belongs to another advertiser', 'advertiserId');
      }
      if (input.refine && !existing) {
        throw invalid('refine iterates on a discovery: send its discoveryId', 'discoveryId');
      }
      // Each agent is asked to refine what it offered in the session's last round.
      const previous = input.refine && existing ? await store.agentsOf(db, existing.id) : [];
      // Hosted: a campaign seeds the brief, flight, budget and storefronts; inline values win.
      const campaign =
        input.campaignId === undefined
          ? undefined
          : await requireCampaign(principal.customerId, input.campaignId, advertiser.id);
      const seeded = {
        brief: input.brief ?? campaign?.brief ?? undefined,
        budget: input.budget ?? campaign?.budgetTotal,
        flightDates:
          input.flightDates ??
          (campaign && {
            startDate: campaign.flightStart.toISOString(),
            endDate: campaign.flightEnd.toISOString(),
          }),
        storefrontIds:
          input.storefrontIds ??
          (campaign?.storefrontIds.length ? campaign.storefrontIds : undefined),
      };
      input = { ...input, ...seeded };
      const ask: DiscoveryAsk = {
        ...(input.brief !== undefined && { brief: input.brief }),
        ...(input.channels && { channels: input.channels }),
        ...(input.countries && { countries: input.countries }),
        ...(input.budget !== undefined && { budget: input.budget }),
        ...(input.flightDates && { flightDates: input.flightDates }),
        ...(input.publisherDomain && { publisherDomain: input.publisherDomain }),
        ...(input.pricingModel && { pricingModel: input.pricingModel }),
        ...(input.storefrontIds && { storefrontIds: input.storefrontIds }),
        ...(input.storefrontNames && { storefrontNames: input.storefrontNames }),
      };
      const agents = usable.filter(
        (a) =>
          // Remote agents belong to no storefront: a storefrontIds filter leaves them out.
          (!input.storefrontIds?.length ||
            (a.storefrontId !== null && input.storefrontIds.includes(a.storefrontId))) &&
          (!input.salesAgentIds?.length || input.salesAgentIds.includes(a.agentId)) &&
          (!input.storefrontNames?.length ||
            input.storefrontNames.some((n) =>
              a.storefrontName.toLowerCase().includes(n.toLowerCase()),
            )),
      );
      const totalBudgetMs = Math.min(
        deps.totalBudgetMs,
        input.waitSeconds !== undefined ? input.waitSeconds * 1000 : Infinity,
      );
      // The round is recorded while it runs: a new session's row first, then each agent's row
      // as it answers, so little is left to write once the slowest has answered. A new
      // session's round is current from the start (nobody knows its id until it is answered);
      // a session asked again switches to the new round only once all of it is written.
      const roundId = newRoundId();
      const sessionId = existing?.id ?? newDiscoveryId();
      const inserted = existing
        ? undefined
        : store.insertDiscovery(db, {
            id: sessionId,
            customerId: principal.customerId,
            advertiserId: advertiser.id,
            campaignId: input.campaignId ?? null,
            ask,
            roundId,
          });
      const recorder = recordRound(db, sessionId, roundId, inserted ?? Promise.resolve());
      const request = getProductsRequest(ask, advertiser.brand);
      const refineIndexes = new Map<string, number[]>();
      const asked = askAgents(
        deps.agents,
        principal,
        agents,
        async (agent) => {
          // Asked as the advertiser: under the account a remote agent is booked under, or the
          // one it linked on that storefront, if any (the storefront forwards it to the source
          // it was linked on).
          const own = await deps.agents.accountFor(
            principal.customerId,
            agent.agentId,
            advertiser.brand,
          );
          const link = links.find((l) => l.storefrontId === agent.storefrontId);
          const account = own ?? (link && { account_id: link.accountId });
          const refine = refineFor(input.refine, previous, agent.agentId);
          if (refine) refineIndexes.set(agent.agentId, refine.indexes);
          const asked = refine
            ? { buying_mode: 'refine', refine: refine.entries, brand: request['brand'] }
            : request;
          return { ...asked, ...(account && { account }) };
        },
        { agentBudgetMs: deps.agentBudgetMs, totalBudgetMs },
        (answer) =>
          recorder.add({ ...answer, refineIndexes: refineIndexes.get(answer.agent.agentId) }),
      );
      // Nothing is answered before it is committed: the response names the session and its
      // products, which a select or campaign on any instance must find.
      const rows = await asked
        .then(() => recorder.recorded())
        .catch(async (error: unknown) => {
          // A failed round (a row not written, an agent's request not built) leaves nothing
          // readable. A new session's round is current from the start, so the session goes too.
          await recorder.discard().catch(() => undefined);
          if (!existing) await store.deleteDiscovery(db, sessionId).catch(() => undefined);
          throw error;
        });
      if (!existing) {
        return withNotices(
          principal.customerId,
          discoveryPage(
            await (inserted as Promise<DiscoveryRow>),
            rows,
            [],
            input,
            deps.agentBudgetMs,
          ),
        );
      }
      // A session asked again keeps its selections.
      const [session, selections] = await Promise.all([
        store.completeRound(db, existing.id, roundId, ask),
        store.selectionsOf(db, existing.id),
      ]);
      return withNotices(
        principal.customerId,
        discoveryPage(session, rows, selections, input, deps.agentBudgetMs),
      );
    },

    async browse(principal: CustomerPrincipal, id: string, query: BrowseQuery) {
      return pageOf(await requireDiscovery(principal.customerId, id), query);
    },

    async selections(principal: CustomerPrincipal, id: string) {
      return selectionsAnswer(await requireDiscovery(principal.customerId, id));
    },

    async addProducts(principal: CustomerPrincipal, id: string, input: AddProductsInput) {
      const discovery = await requireDiscovery(principal.customerId, id);
      if (input.campaignId !== undefined) {
        await requireCampaign(principal.customerId, input.campaignId, discovery.advertiserId);
      }
      await addSelections(discovery, input.products, input.replace === true);
      if (input.campaignId !== undefined)
        await store.setCampaign(db, discovery.id, input.campaignId);
      return selectionsAnswer(await requireDiscovery(principal.customerId, id));
    },

    async removeProducts(principal: CustomerPrincipal, id: string, productIds: string[]) {
      const discovery = await requireDiscovery(principal.customerId, id);
      await store.deleteSelections(db, discovery.id, productIds);
      return selectionsAnswer(discovery);
    },

    /** Selects a proposal's products, each with its share of the budget (totalBudget, else the session's). */
    async applyProposal(
      principal: CustomerPrincipal,
      id: string,
      input: {
        proposalId: string;
        totalBudget?: number | undefined;
        replace?: boolean | undefined;
      },
    ) {
      const discovery = await requireDiscovery(principal.customerId, id);
      const agents = await store.agentsOf(db, discovery.id);
      const owner = agents.find((a) => a.proposals.some((p) => p.proposalId === input.proposalId));
      const proposal = owner?.proposals.find((p) => p.proposalId === input.proposalId);
      if (!owner || !proposal) throw notFound('Proposal');
      const total = input.totalBudget ?? discovery.ask.budget;
      const skipped: string[] = [];
      const items = proposal.allocations.flatMap((a) => {
        const product = owner.products.find((p) => p.productId === a.productId);
        const option = product && pricingOptionOf(product, a.pricingOptionId);
        // A proposal cannot supply a bid, so auction-priced lines are left for the buyer.
        if (!product || !option || isAuctionOption(option)) {
          skipped.push(a.productId);
          return [];
        }
        return [
          {
            productId: a.productId,
            salesAgentId: owner.agentId,
            pricingOptionId: String(option['pricing_option_id']),
            ...(total !== undefined && {
              budget: Math.round(total * a.allocationPercentage) / 100,
            }),
          },
        ];
      });
      if (items.length > 0) await addSelections(discovery, items, input.replace === true);
      const answer = await selectionsAnswer(discovery);
      return {
        ...answer,
        proposal: {
          proposalId: proposal.proposalId,
          name: proposal.name,
          salesAgentName: owner.agentName,
        },
        totalBudgetUsed: items.reduce((sum, i) => sum + (i.budget ?? 0), 0),
        productsApplied: items.length,
        productsSkipped: skipped,
      };
    },

    async productDetails(
      principal: CustomerPrincipal,
      id: string,
      productId: string,
      agentId: string,
    ) {
      const discovery = await requireDiscovery(principal.customerId, id);
      const agent = (await store.agentsOf(db, discovery.id)).find((a) => a.agentId === agentId);
      const product = agent?.products.find((p) => p.productId === productId);
      if (!agent || !product) throw notFound('Product');
      const view = productView(agent, product);
      return {
        productId: view.productId,
        name: view.name,
        ...(view.description !== undefined && { description: view.description }),
        ...(view.channel !== undefined && { channel: view.channel }),
        ...(view.deliveryType !== undefined && { deliveryType: view.deliveryType }),
        salesAgentId: view.salesAgentId,
        salesAgentName: view.salesAgentName,
        storefrontId: view.storefrontId,
        storefrontName: view.storefrontName,
        ...(view.cpm !== undefined && { cpm: view.cpm }),
        ...(view.currency !== undefined && { currency: view.currency }),
        pricingOptions: view.pricingOptions,
        formatTypes: view.formatTypes,
        publisherProperties: view.publisherProperties,
      };
    },

    /** For campaigns: the session's selections with the offers they book, frozen as discovered. */
    async selectedProducts(customerId: number, id: string): Promise<SelectedProduct[]> {
      const discovery = await requireDiscovery(customerId, id);
      const [agents, selections] = await Promise.all([
        store.agentsOf(db, discovery.id),
        store.selectionsOf(db, discovery.id),
      ]);
      return selections.flatMap((selection) => {
        const agent = agents.find((a) => a.agentId === selection.agentId);
        const product = agent?.products.find((p) => p.productId === selection.productId);
        return agent && product ? [{ selection, agentName: agent.agentName, product }] : [];
      });
    },

    /** For campaign lists: the number of selected products per session, in one query. */
    selectionCounts: (customerId: number, ids: string[]) =>
      store.selectionCounts(db, customerId, ids),

    /** For campaigns: ties a session to a campaign (its products are the campaign's). */
    async bindCampaign(customerId: number, id: string, campaignId: string) {
      const discovery = await requireDiscovery(customerId, id);
      await store.setCampaign(db, discovery.id, campaignId);
      return discovery;
    },
  };
}
