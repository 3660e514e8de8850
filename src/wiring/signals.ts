import { createSignalActivationJobs } from '../jobs/index.js';
import { createSignalsService, type SignalsService } from '../modules/registered-agents/index.js';
import { isStorefrontAgentId } from '../modules/storefronts/index.js';
import type { Base } from './base.js';
import type { BuyerAccountsArea } from './buyer-accounts.js';
import type { BuyingArea } from './buying/area.js';
import type { MerchandisingArea } from './merchandising.js';
import type { SellerArea } from './sellers/area.js';

/**
 * Signals: buyers' and storefronts' signals agents, discovery and activation for a campaign's
 * sellers (each an AdCP agent destination at its agent URL), followed on the job queue.
 */
export function createSignalsArea(
  base: Base,
  sellers: SellerArea,
  buyerAccounts: BuyerAccountsArea,
  merchandising: MerchandisingArea,
  buying: BuyingArea,
): { signals: SignalsService } {
  const { db, secrets, upstream, config, jobs, flows } = base;
  const { identity, inventorySources } = sellers;
  const { advertisers, salesAgents } = buyerAccounts;
  const { campaigns } = buying;
  const actAs = (customerId: number) => identity.actingPrincipal(customerId);
  // Signals queue follow-ups and own the flow the follow-up job runs them through.
  const followUp = createSignalActivationJobs(flows.signalFollowUp.flow.owner, jobs, actAs);
  const signals = createSignalsService({
    db,
    secrets,
    upstream,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    agentBudgetMs: config.discoveryAgentBudgetMs,
    callBudgetMs: config.executeAgentBudgetMs,
    storefronts: {
      storefrontsOf: async (principal) =>
        (await merchandising.localAgents.usableBy(principal)).flatMap((a) =>
          a.storefrontId === null ? [] : [a.storefrontId],
        ),
      rowsOf: (storefrontId) => inventorySources.rowsOf(storefrontId),
      operatorAuthOf: (row, timeoutMs) => inventorySources.operatorAuthOf(row, timeoutMs),
    },
    async whoOf(principal, advertiserId) {
      const [operator, advertiser] = await Promise.all([
        identity.customerDomainOf(principal.customerId),
        advertiserId
          ? advertisers.requireAdvertiser(principal.customerId, advertiserId)
          : undefined,
      ]);
      return { brand: advertiser?.brand ?? null, operator };
    },
    async campaignSellers(principal, campaignId) {
      const [campaign, products, operator] = await Promise.all([
        campaigns.forCreatives(principal.customerId, campaignId),
        campaigns.products(principal, campaignId),
        identity.customerDomainOf(principal.customerId),
      ]);
      const agentIds = [...new Set(products.products.map((p) => p.salesAgentId))];
      const urls = await Promise.all(
        agentIds.map(async (agentId) => {
          if (isStorefrontAgentId(agentId)) return `${base.ownOrigin()}/adcp/${agentId}/mcp`;
          return (await salesAgents.findUsable(principal, agentId))?.endpointUrl;
        }),
      );
      return {
        campaignId: campaign.id,
        brandDomain: campaign.brandDomain,
        operatorDomain: operator,
        agentUrls: urls.filter((u): u is string => u !== undefined),
      };
    },
    followLater: (id, attempt) => followUp.followLater(id, attempt),
  });
  return { signals: flows.signalFollowUp.flow.ownedBy(signals) };
}
