import {
  createDeliveryImportJobs,
  createFormatRefresher,
  createMediaBuySync,
} from '../jobs/index.js';
import {
  createAudiencesService,
  createConversionForwarding,
  withCapabilityCache,
  capabilityTtlMs,
} from '../modules/audiences/index.js';
import { createCampaignsService, pushConfigPolicy } from '../modules/campaigns/index.js';
import {
  createAssetService,
  createCreativeDelivery,
  createCreativesService,
} from '../modules/creatives/index.js';
import { createDeliveryService, deliveryGraceMs } from '../modules/delivery/index.js';
import { createDiscoveryService } from '../modules/discovery/index.js';
import { createFormatsService } from '../modules/formats/index.js';
import { createReportingService } from '../modules/reporting/index.js';
import { withRemoteAgents } from '../modules/sales-agents/index.js';
import { isStorefrontAgentId } from '../modules/storefronts/index.js';
import { createUrlSigner } from '../platform/signed-urls.js';
import { createAssetStore } from '../platform/storage/index.js';
import { createPushVerifier } from '../upstream/index.js';
import type { Base } from './base.js';
import { createCreativeGeneration } from './creative-generation.js';
import type { BuyerAccountsArea } from './buyer-accounts.js';
import type { MerchandisingArea } from './merchandising.js';
import type { SellerArea } from './sellers.js';

/**
 * The buyer's side of a deal: discovery over the agents a buyer may use, campaigns with their
 * media buys and status sync, creative formats, creatives and their assets, delivery import
 * and reporting.
 */
export function createBuyingArea(
  base: Base,
  sellers: SellerArea,
  buyerAccounts: BuyerAccountsArea,
  merchandisingArea: MerchandisingArea,
) {
  const { db, config, secrets, upstream, outbound, jobs, options } = base;
  const { identity } = sellers;
  const { advertisers, salesAgents } = buyerAccounts;
  const { merchandising, localAgents } = merchandisingArea;
  const actingPrincipal = (customerId: number) => identity.actingPrincipal(customerId);
  // The buying flow reaches storefront agents in process, through their own MCP servers, and
  // the buyer's remote agents through the upstream client.
  const agents = withRemoteAgents(localAgents, salesAgents, upstream);
  const discovery = createDiscoveryService({
    db,
    agents,
    advertisers,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    // Campaigns are built below (they read discovery); asked on requests only, after this
    // function returned.
    campaigns: () => campaigns,
    agentBudgetMs: config.discoveryAgentBudgetMs,
    totalBudgetMs: config.discoveryTotalBudgetMs,
  });
  const delivery = createDeliveryService({
    db,
    agents,
    actingPrincipal,
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
  const formats = createFormatsService({
    db,
    agents,
    refresher: (entries) =>
      createFormatRefresher(
        jobs,
        entries,
        actingPrincipal,
        config.formatsRefreshSeconds,
        options.onError,
      ),
    refreshSeconds: config.formatsRefreshSeconds,
    callBudgetMs: config.discoveryAgentBudgetMs,
  });
  const assetStore = createAssetStore(config.assetStorage, config.dataDir);
  const assets = createAssetService({
    db,
    store: assetStore,
    signer: createUrlSigner(secrets.derive('interchange asset links v1')),
    publicUrl: base.ownOrigin,
    urlTtlSeconds: config.assetUrlTtlSeconds,
    maxBytes: config.assetMaxBytes,
    now: () => new Date(),
  });
  // Execution hands creatives to each agent through this port.
  const creativeDelivery = createCreativeDelivery({
    db,
    agents,
    linkOf: (assetId) => assets.linkOf({ id: assetId }),
    timeoutMs: config.executeAgentBudgetMs,
    refreshTimeoutMs: config.discoveryAgentBudgetMs,
    now: () => new Date(),
  });
  const pushVerifier = createPushVerifier({
    queryable: options.database.queryable,
    // Storefront agents sign with this deployment's key; a remote agent with the keys its
    // brand.json names (fetched through the guarded client).
    localKeys: (agentId) => (isStorefrontAgentId(agentId) ? merchandising.jwks.keys : undefined),
    jwksUrlOf: (agentId) => salesAgents.signingKeysUrl(agentId),
    fetch: outbound.fetch,
    publicOrigin: base.ownOrigin,
  });
  // Audiences are synced by a durable job to the agents that take them; campaigns target them.
  // Which agents take audiences and conversions is asked once per buyer and agent, not per
  // request (the capability cache is cleared by any registration change).
  const capabilityAgents = withCapabilityCache(
    agents,
    (config.capabilityCacheSeconds ?? capabilityTtlMs / 1000) * 1000,
  );
  const audiences = createAudiencesService({
    db,
    agents: capabilityAgents,
    advertisers,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    actAs: actingPrincipal,
    jobs,
    timeoutMs: config.executeAgentBudgetMs,
  });
  buyerAccounts.eventSellers.current = createConversionForwarding({
    agents: capabilityAgents,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    timeoutMs: config.executeAgentBudgetMs,
  });
  const campaigns = createCampaignsService({
    db,
    agents,
    audiences: audiences.campaignPort,
    discovery,
    advertisers,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    executeBudgetMs: config.executeAgentBudgetMs,
    writes: base.sellerWrites,
    actAs: actingPrincipal,
    creatives: () => creativeDelivery.port,
    sync: {
      minSeconds: config.statusSyncMinSeconds,
      maxSeconds: config.statusSyncMaxSeconds,
      pushConfigFor: pushConfigPolicy({
        publicOrigin: base.ownOrigin,
        allowPrivateNetwork: config.allowPrivateNetwork,
        publishesSigningKeys: (customerId, agentId) =>
          salesAgents.publishesSigningKeys(customerId, agentId),
      }),
      // The one cycle of this area: status sync runs on the job queue over campaigns, and
      // campaigns wake it. Woken on requests and jobs only, after this function returned.
      wake: (customerId, agentId, delaySeconds) =>
        mediaBuySync.wake(customerId, agentId, delaySeconds),
      verify: (agentId, request) => pushVerifier.verify(agentId, request),
      // A verified delivery report is recorded as an import would record it (only the rows of
      // this buy's seller id count: packageReportsOf filters by it).
      onDelivery: async (row, payload) => {
        await delivery.applyDeliveryReport(row.id, payload);
      },
    },
  });
  const mediaBuySync = createMediaBuySync({
    jobs,
    campaigns,
    actAs: actingPrincipal,
    tickSeconds: Math.max(30, config.statusSyncMinSeconds),
  });
  const creatives = createCreativesService({
    db,
    campaigns,
    formats,
    assets,
    delivery: creativeDelivery,
  });
  const { modelCredentials, audioProductions, generatedFiles } = createCreativeGeneration(
    base,
    advertisers,
    assets,
  );
  return {
    /** The agents buying calls (storefront agents in process, remote ones upstream). */
    agents,
    discovery,
    audiences,
    campaigns,
    mediaBuySync,
    delivery,
    deliveryImport,
    reporting,
    formats,
    creatives,
    assets,
    assetStore,
    modelCredentials,
    audioProductions,
    generatedFiles,
  };
}

export type BuyingArea = ReturnType<typeof createBuyingArea>;
