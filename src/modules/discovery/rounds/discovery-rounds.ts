import { randomBytes } from 'node:crypto';
import { AppError, invalid } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { getProductsRequest, refineFor } from './agent-requests.js';
import type { DiscoveryContext } from '../context.js';
import { askAgents } from './fan-out.js';
import { recordRound } from './recorder.js';
import type { DiscoverInput } from '../schemas.js';
import * as store from '../store.js';
import type { DiscoveryRow } from '../store.js';
import type { DiscoveryAsk } from '../tables.js';
import { discoveryPage } from '../views.js';

const newDiscoveryId = () => `disc_${randomBytes(10).toString('hex')}`;
const newRoundId = () => randomBytes(8).toString('hex');

/** A discovery round: every agent the buyer may use asked at once, its answers recorded. */
export function createDiscoveryRounds(ctx: DiscoveryContext) {
  const { db, deps, requireCampaign, requireDiscovery, withNotices } = ctx;

  return {
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
      const campaign =
        input.campaignId === undefined
          ? undefined
          : await requireCampaign(principal.customerId, input.campaignId, advertiser.id);
      input = seededBy(input, campaign);
      const ask = askOf(input);
      // A proposal code is asked of the one storefront whose seller issued it to this buyer.
      const codeStorefront = await proposalCodeStorefront(deps, principal, input, advertiser.brand);
      const agents = usable.filter((agent) => isAsked(agent, input, codeStorefront));
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
      const request = getProductsRequest(ask, advertiser.brand, input.proposalCode);
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
      // A session asked again keeps its selections.
      const [session, selections] = existing
        ? await Promise.all([
            store.completeRound(db, existing.id, roundId, ask),
            store.selectionsOf(db, existing.id),
          ])
        : [await (inserted as Promise<DiscoveryRow>), []];
      const page = discoveryPage(session, rows, selections, input, deps.agentBudgetMs);
      await deps.onRevision?.(principal.customerId, {
        discoveryId: page.discoveryId,
        advertiserId: String(session.advertiserId),
        campaignId: session.campaignId,
        revision: page.revision,
        resultsComplete: page.resultsComplete,
        respondedStorefrontCount: page.progress.respondedStorefrontCount,
        totalStorefrontCount: page.progress.totalStorefrontCount,
        productCount: rows.reduce((sum, r) => sum + r.products.length, 0),
      });
      return withNotices(principal.customerId, page);
    },
  };
}

/** Hosted: a campaign seeds the brief, flight, budget and storefronts; inline values win. */
function seededBy(
  input: DiscoverInput,
  campaign: Awaited<ReturnType<DiscoveryContext['requireCampaign']>> | undefined,
): DiscoverInput {
  return {
    ...input,
    brief: input.brief ?? campaign?.brief ?? undefined,
    budget: input.budget ?? campaign?.budgetTotal,
    flightDates:
      input.flightDates ??
      (campaign && {
        startDate: campaign.flightStart.toISOString(),
        endDate: campaign.flightEnd.toISOString(),
      }),
    storefrontIds:
      input.storefrontIds ?? (campaign?.storefrontIds.length ? campaign.storefrontIds : undefined),
  };
}

/** What a round asks every agent, as the session records it. */
function askOf(input: DiscoverInput): DiscoveryAsk {
  return {
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
}

/**
 * Whether a round asks `agent`: the proposal code's storefront only, when a code is sent; then
 * the storefront ids, agent ids and storefront names the buyer narrowed to.
 */
function isAsked(
  agent: { storefrontId: number | null; agentId: string; storefrontName: string },
  input: DiscoverInput,
  codeStorefront: number | undefined,
): boolean {
  return (
    (codeStorefront === undefined || agent.storefrontId === codeStorefront) &&
    // Remote agents belong to no storefront: a storefrontIds filter leaves them out.
    (!input.storefrontIds?.length ||
      (agent.storefrontId !== null && input.storefrontIds.includes(agent.storefrontId))) &&
    (!input.salesAgentIds?.length || input.salesAgentIds.includes(agent.agentId)) &&
    (!input.storefrontNames?.length ||
      input.storefrontNames.some((n) =>
        agent.storefrontName.toLowerCase().includes(n.toLowerCase()),
      ))
  );
}

/**
 * The storefront a discovery's proposal code belongs to (undefined: no code sent). An unknown
 * code and another buyer's are not found alike, naming proposalCode; a past one has expired.
 */
async function proposalCodeStorefront(
  deps: DiscoveryContext['deps'],
  principal: CustomerPrincipal,
  input: DiscoverInput,
  brandDomain: string,
): Promise<number | undefined> {
  if (input.proposalCode === undefined) return undefined;
  if (!deps.proposalCodes) {
    throw new AppError('not_found', 'Proposal code not found', { field: 'proposalCode' });
  }
  return deps.proposalCodes.storefrontOfCode(input.proposalCode, {
    customerId: principal.customerId,
    brandDomain,
  });
}
