import { createDeliveryImportJobs } from '../../jobs/index.js';
import { createCreativesService } from '../../modules/creatives/index.js';
import { createDeliveryService, deliveryGraceMs } from '../../modules/delivery/index.js';
import type { BuyingAgents } from '../../modules/discovery/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import { createReportingService } from '../../modules/reporting/index.js';
import { withRemoteAgents } from '../../modules/registered-agents/index.js';
import { isStorefrontAgentId } from '../../modules/storefronts/index.js';
import { createUrlSigner } from '../../platform/signed-urls.js';
import { createPushVerifier } from '../../upstream/index.js';
import type { Base } from '../base.js';
import { createBuyerAudiences } from './audiences.js';
import { createBuyerCampaigns } from './campaigns.js';
import { createCreativeSupply } from './creatives.js';
import { createCreativeGeneration } from '../creative-generation.js';
import type { BuyerAccountsArea } from '../buyer-accounts.js';
import type { MerchandisingArea } from '../merchandising.js';
import type { SellerArea } from '../sellers/area.js';

/**
 * The buyer's side of a deal, as a list: the agents a buyer may use, delivery import and
 * reporting, creative formats, assets and delivery, audiences and event sources (with the
 * conversion forwarding), discovery and campaigns with their status sync, creatives and their
 * generation.
 */
export function createBuyingArea(
  base: Base,
  sellers: SellerArea,
  buyerAccounts: BuyerAccountsArea,
  merchandisingArea: MerchandisingArea,
) {
  const { identity } = sellers;
  const { advertisers, salesAgents } = buyerAccounts;
  // The buying flow reaches storefront agents in process, through their own MCP servers, and
  // the buyer's remote agents through the upstream client.
  const agents = withRemoteAgents(merchandisingArea.localAgents, salesAgents, base.upstream);
  const deliveryParts = createDeliveryParts(base, agents, identity);
  const creativeSupply = createCreativeSupply(base, agents, identity);
  const { audiences, eventSources } = createBuyerAudiences(base, agents, advertisers, identity);
  const pushVerifier = pushVerifierOf(base, merchandisingArea, buyerAccounts);
  const { discovery, campaigns, mediaBuySync } = createBuyerCampaigns(base, {
    agents,
    identity,
    advertisers,
    salesAgents,
    audiences,
    delivery: deliveryParts.delivery,
    creativeDelivery: creativeSupply.creativeDelivery,
    pushVerifier,
    proposals: merchandisingArea.proposals,
    notify: (event) => sellers.notifications.notify(event),
  });
  const { formats, assets, creativeDelivery } = creativeSupply;
  const creatives = createCreativesService({
    db: base.db,
    campaigns,
    formats,
    assets,
    delivery: creativeDelivery,
  });
  const generation = createCreativeGeneration(base, advertisers, assets);
  return {
    /** The agents buying calls (storefront agents in process, remote ones upstream). */
    agents,
    discovery,
    audiences,
    eventSources,
    campaigns,
    mediaBuySync,
    ...deliveryParts,
    formats,
    creatives,
    assets,
    assetStore: creativeSupply.assetStore,
    ...generation,
  };
}

export type BuyingArea = ReturnType<typeof createBuyingArea>;

/** Delivery imported from sellers (now, or by the recurring sweep) and reporting over it. */
function createDeliveryParts(base: Base, agents: BuyingAgents, identity: IdentityService) {
  const { db, config, secrets, jobs } = base;
  const delivery = createDeliveryService({
    db,
    agents,
    actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
    timeoutMs: config.executeAgentBudgetMs,
  });
  const deliveryImport = createDeliveryImportJobs(delivery, jobs, {
    intervalSeconds: config.reporting.deliveryImportIntervalSeconds,
    graceMs: deliveryGraceMs,
  });
  const reporting = createReportingService({
    db,
    signer: createUrlSigner(secrets.derive('interchange signed urls v1')),
    publicUrl: base.ownOrigin,
    downloadTtlSeconds: config.reporting.downloadTtlSeconds,
  });
  return { delivery, deliveryImport, reporting };
}

/**
 * Sellers' push notifications verified: storefront agents sign with this deployment's key; a
 * remote agent with the keys its brand.json names (fetched through the guarded client).
 */
function pushVerifierOf(
  base: Base,
  merchandisingArea: MerchandisingArea,
  buyerAccounts: BuyerAccountsArea,
) {
  const { merchandising } = merchandisingArea;
  return createPushVerifier({
    queryable: base.options.database.queryable,
    localKeys: (agentId) => (isStorefrontAgentId(agentId) ? merchandising.jwks.keys : undefined),
    jwksUrlOf: (agentId) => buyerAccounts.salesAgents.signingKeysUrl(agentId),
    fetch: base.outbound.fetch,
    publicOrigin: base.ownOrigin,
  });
}
