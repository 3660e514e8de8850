import { createPushVerifier, createUpstreamClient, type UpstreamClient } from './upstream/index.js';
import type { Config } from './config.js';
import { createOutboundClient, hostKey, type OutboundClient } from './platform/outbound/index.js';
import type { SecretBox } from './platform/crypto/secrets.js';
import type { Database } from './platform/db/database.js';
import { createJobQueue, type JobQueue } from './platform/jobs/index.js';
import {
  createDeliveryImportJobs,
  createHoldExpiryJobs,
  type HoldExpirySchedule,
  createFormatRefresher,
  createMediaBuySync,
  createSellerWriteRecovery,
  type DeliveryImportSchedule,
  type MediaBuySync,
  type SellerWriteRecovery,
  type ComplianceSchedule,
  createComplianceJobs,
  type AuthorizationSchedule,
  createAuthorizationJobs,
} from './jobs/index.js';
import { createSellerWrites, type SellerWrites } from './modules/seller-writes/index.js';
import { type ActivityService, createActivityService } from './modules/activity/index.js';
import {
  type BuyerInstructionsService,
  createBuyerInstructionsService,
} from './modules/buyer-instructions/index.js';
import { type BuyerAccessService, createBuyerAccessService } from './modules/buyer-access/index.js';
import { type AdvertisersService, createAdvertisersService } from './modules/advertisers/index.js';
import {
  type CatalogsService,
  createCatalogPartners,
  createCatalogsService,
} from './modules/catalogs/index.js';
import {
  createEventSourcesService,
  eventSourcesReader,
  type EventSourcesService,
} from './modules/event-sources/index.js';
import { createIdentityService, type IdentityService } from './modules/identity/index.js';
import {
  type ConsoleSessionsService,
  createConsoleSessionsService,
} from './modules/console-sessions/index.js';
import { createIdempotencyService, type IdempotencyService } from './modules/idempotency/index.js';
import { createJoinLinksService, type JoinLinksService } from './modules/join-links/index.js';
import {
  createInventorySourcesService,
  type InventorySourcesService,
} from './modules/inventory-sources/index.js';
import {
  createModularSourcesService,
  type ModularSourcesService,
} from './modules/modular-sources/index.js';
import {
  createAdServersService,
  defaultEndpoints,
  type AdServersService,
} from './modules/ad-servers/index.js';
import {
  createOperatingInstructionsService,
  type OperatingInstructionsService,
} from './modules/operating-instructions/index.js';
import {
  createProductRulesService,
  type ProductRulesService,
} from './modules/product-rules/index.js';
import { createAccountBindingsService } from './modules/account-bindings/index.js';
import { createDiscoveryRunsService } from './modules/discovery-runs/index.js';
import { createMediaBuysService, type MediaBuysService } from './modules/media-buys/index.js';
import {
  applyProductRules,
  createProductRulePreview,
  type ProductRulePreviewService,
} from './modules/product-rules/index.js';
import {
  type CampaignCreatives,
  type CampaignsService,
  createCampaignsService,
  pushConfigPolicy,
} from './modules/campaigns/index.js';
import {
  createFormatsService,
  type FormatRefreshScheduler,
  type FormatsService,
} from './modules/formats/index.js';
import { createComplianceService, type ComplianceService } from './modules/compliance/index.js';
import {
  createPublisherAuthorizationService,
  type PublisherAuthorizationService,
} from './modules/publisher-authorization/index.js';
import {
  createStorefrontLinksService,
  type StorefrontLinksService,
} from './modules/storefront-links/index.js';
import {
  type AssetService,
  createAssetService,
  createCreativeDelivery,
  createCreativesService,
  type CreativesService,
} from './modules/creatives/index.js';
import { createAssetStore } from './platform/storage/index.js';
import { createDiscoveryService, type DiscoveryService } from './modules/discovery/index.js';
import {
  createDeliveryService,
  deliveryGraceMs,
  type DeliveryService,
} from './modules/delivery/index.js';
import { createReportingService, type ReportingService } from './modules/reporting/index.js';
import { createUrlSigner } from './platform/signed-urls.js';
import {
  createSalesAgentsService,
  type SalesAgentsService,
  withRemoteAgents,
} from './modules/sales-agents/index.js';
import {
  createBuyingAgents,
  createMerchandising,
  createSandbox,
  createSourceAnswerCache,
  createSourceRegistry,
  previewProductsDoor,
  sourceKinds,
  type Merchandising,
} from './agents/merchandising/index.js';
import type { AdcpLogger } from '@adcp/sdk/server';
import { ed25519FromSeed } from './platform/crypto/signing-key.js';
import { createReadinessService, type ReadinessService } from './modules/readiness/index.js';
import {
  createStorefrontsService,
  isStorefrontAgentId,
  agentIdOf,
  platformIdOfAgent,
  type StorefrontsService,
} from './modules/storefronts/index.js';
import {
  createStorefrontAgentsService,
  type StorefrontAgentsService,
} from './modules/storefront-agents/index.js';
import {
  createSellerAnalyticsService,
  type SellerAnalyticsService,
} from './modules/seller-analytics/index.js';

export interface Services {
  identity: IdentityService;
  /** The operator console's signed-in sessions, listed and ended server-side. */
  consoleSessions: ConsoleSessionsService;
  idempotency: IdempotencyService;
  activity: ActivityService;
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  operatingInstructions: OperatingInstructionsService;
  buyerInstructions: BuyerInstructionsService;
  productRules: ProductRulesService;
  /** The seller's preview of its product rules over its sources' products (nothing recorded). */
  productRulePreview: ProductRulePreviewService;
  mediaBuys: MediaBuysService;
  sellerAnalytics: SellerAnalyticsService;
  /** Every storefront's Merchandising Agent (AdCP sales agent); app.ts mounts its routes. */
  merchandising: Merchandising;
  readiness: ReadinessService;
  /** Compliance runs of inventory sources (issue 31). */
  compliance: ComplianceService;
  /** The compliance schedule on the job queue; startSweeps() once the queue started. */
  complianceSchedule: ComplianceSchedule;
  /** Publisher domains checked against their adagents.json (issue 31). */
  publisherAuthorization: PublisherAuthorizationService;
  /** adagents.json refreshes on the job queue; startSweeps() once the queue started. */
  authorizationSchedule: AuthorizationSchedule;
  /** Link requests between storefronts (federation, issue 31). */
  storefrontLinks: StorefrontLinksService;
  joinLinks: JoinLinksService;
  buyerAccess: BuyerAccessService;
  storefrontAgents: StorefrontAgentsService;
  advertisers: AdvertisersService;
  eventSources: EventSourcesService;
  catalogs: CatalogsService;
  /** Buyers' remote AdCP sales agents, registered by URL (issue 14 item 1). */
  salesAgents: SalesAgentsService;
  /** Buyer discovery sessions over the storefront agents (issue 14). */
  discovery: DiscoveryService;
  /** Buyer campaigns and their media buys (issue 14). */
  campaigns: CampaignsService;
  /** Delivery import from sellers (issue 15); `importDeliveryFor` imports one buy now. */
  delivery: DeliveryService;
  /** Queued delivery imports: the recurring sweep over booked buys, one import job per buy. */
  deliveryImport: DeliveryImportSchedule;
  /** Modular sources (seed 003): feeds, the booking ledger, work queues. */
  modularSources: ModularSourcesService;
  modularHolds: HoldExpirySchedule;
  /** Ad-server sources (issue 35): Google Ad Manager connections, inventory sync, bookings. */
  adServers: AdServersService;
  /** Buyer reporting over imported delivery (issue 15). */
  reporting: ReportingService;
  /** Creative formats of the agents a buyer may use, cached per buyer and agent (issue 15). */
  formats: FormatsService;
  /** Creative manifests under campaigns, and their delivery to sellers (issue 15). */
  creatives: CreativesService;
  /** Uploaded creative assets and their signed links. */
  assets: AssetService;
  /** Background jobs; types are defined here, workers start with the server (server.ts). */
  jobs: JobQueue;
  /** Status sync of buyers' media buys on the job queue; resume() once the queue started. */
  mediaBuySync: MediaBuySync;
  /** Writes to sellers recorded before they are sent (modules/seller-writes). */
  sellerWrites: SellerWrites;
  /** Their recovery on the job queue; resume() once the queue started. */
  sellerWriteRecovery: SellerWriteRecovery;
  upstream: UpstreamClient;
  /** The guarded client for anything else fetched on a user's behalf (e.g. storefront logos). */
  outbound: OutboundClient;
  /**
   * Records where this deployment is reachable: its own origin becomes exempt from the
   * private-network guard (the demo agent lives there) and is used for OAuth redirect URIs.
   */
  trustOwnOrigin(origin: string): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Pick<
    Config,
    | 'allowPrivateNetwork'
    | 'probeTimeoutMs'
    | 'publicUrl'
    | 'sourceBudgetMs'
    | 'sourceAnswerTtlMs'
    | 'jobs'
    | 'discoveryAgentBudgetMs'
    | 'discoveryTotalBudgetMs'
    | 'executeAgentBudgetMs'
    | 'reporting'
    | 'dataDir'
    | 'assetStorage'
    | 'assetMaxBytes'
    | 'assetUrlTtlSeconds'
    | 'formatsRefreshSeconds'
    | 'statusSyncMinSeconds'
    | 'statusSyncMaxSeconds'
    | 'writes'
    | 'trust'
  > &
    Partial<Pick<Config, 'oauthRedirectOrigins' | 'adServers'>>;
  database: Database;
  secrets: SecretBox;
  onError?: (error: unknown, context: string) => void;
  /** Where the storefront agents (@adcp/sdk) log; silent when absent. */
  adcpLogger?: AdcpLogger;
}

/**
 * The composition root: every module's service built from one set of collaborators. Modules
 * that need each other get the other's service (its index.ts door), late-bound where the
 * dependency runs both ways (storefront lifecycle reads source counts and readiness).
 */
export function createServices(options: ServiceOptions): Services {
  const { db } = options.database;
  const { config, secrets } = options;
  const trustedHosts = new Set<string>();
  // Where this deployment is reachable; the server sets the real port after listening.
  let ownOrigin = config.publicUrl;
  const upstream = createUpstreamClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    defaultTimeoutMs: config.probeTimeoutMs,
    trustedHosts,
  });
  const outbound = createOutboundClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    maxResponseBytes: 512 * 1024,
  });
  const activity = createActivityService({ db });
  const idempotency = createIdempotencyService({ db });
  const jobs = createJobQueue({
    database: options.database,
    config: config.jobs,
    onError: options.onError,
  });
  const sellerWrites = createSellerWrites({
    db,
    recoverySeconds: config.writes.recoverySeconds,
    crashFile: config.writes.crashFile,
    onError: options.onError,
  });
  const sellerWriteRecovery = createSellerWriteRecovery({
    jobs,
    writes: sellerWrites,
    tickSeconds: Math.min(30, Math.max(2, 3 * config.writes.recoverySeconds)),
  });

  const late: {
    sources?: InventorySourcesService;
    readiness?: ReadinessService;
    mediaBuySync?: MediaBuySync;
    compliance?: ComplianceService;
    buyerAccess?: BuyerAccessService;
  } = {};
  const storefronts = createStorefrontsService({
    db,
    activity,
    activeSources: (ids) => bound(late.sources).activeCoverage(ids),
    readiness: (id) => bound(late.readiness).verdict(id),
  });
  const consoleSessions = createConsoleSessionsService({ db });
  const identity = createIdentityService({
    db,
    onError: options.onError,
    onKeyRevoked: [(keyId) => consoleSessions.endForKey(keyId)],
    onCustomerCreated: [
      async (tx, customer) => {
        if (customer.customerRole !== 'SELLER') return;
        await storefronts.createForCustomer(tx, {
          id: customer.id,
          organizationId: customer.parentId ?? customer.id,
          name: customer.name,
          customerDomain: customer.customerDomain,
        });
      },
    ],
  });
  const inventorySources = createInventorySourcesService({
    db,
    secrets,
    upstream,
    storefronts,
    activity,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    onConnected: (row, principal) =>
      bound(late.compliance).sourceConnected(row, principal.customerId, principal.userId),
    activationRefusal: (row) => bound(late.compliance).activationRefusal(row),
  });
  const complianceJobs: { schedule?: ComplianceSchedule } = {};
  const compliance = createComplianceService({
    db,
    storefronts,
    inventorySources,
    activity,
    buyerAuthAt: (customerId, agentId) =>
      bound(late.buyerAccess).upstreamAuthFor(customerId, agentId),
    actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
    scheduler: () => (jobs.isStarted() ? complianceJobs.schedule : undefined),
    policy: config.trust.compliancePolicy,
    intervalSeconds: config.trust.complianceIntervalSeconds,
    runTimeoutMs: config.trust.complianceRunTimeoutMs,
    refreshWaitMs: config.trust.complianceRefreshWaitMs,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    onError: options.onError,
  });
  complianceJobs.schedule = createComplianceJobs(compliance, jobs, {
    intervalSeconds: config.trust.complianceIntervalSeconds,
    runTimeoutMs: config.trust.complianceRunTimeoutMs,
  });
  const authorizationJobs: { schedule?: AuthorizationSchedule } = {};
  const publisherAuthorization = createPublisherAuthorizationService({
    db,
    storefronts,
    inventorySources,
    fetch: outbound.fetch,
    urlTemplate: config.trust.adagentsUrl,
    ttlSeconds: config.trust.adagentsTtlSeconds,
    publicUrl: () => ownOrigin,
    scheduler: () => (jobs.isStarted() ? authorizationJobs.schedule : undefined),
    timeoutMs: config.probeTimeoutMs,
    onError: options.onError,
  });
  authorizationJobs.schedule = createAuthorizationJobs(publisherAuthorization, jobs, {
    sweepSeconds: 600,
  });
  const storefrontLinks = createStorefrontLinksService({
    db,
    storefronts,
    inventorySources,
    customerNames: (ids) => identity.customerNames(ids),
    customerDomainOf: (id) => identity.customerDomainOf(id),
    publicUrl: () => ownOrigin,
  });
  const operatingInstructions = createOperatingInstructionsService({ db, storefronts, activity });
  const buyerInstructions = createBuyerInstructionsService({ db, storefronts, activity });
  const productRules = createProductRulesService({ db, storefronts, activity });
  const readiness = createReadinessService({
    storefronts,
    inventorySources,
    operatingInstructions,
    activity,
    compliance,
    publisherAuthorization,
  });
  const joinLinks = createJoinLinksService({ db, storefronts, identity });
  const discoveryRuns = createDiscoveryRunsService({
    db,
    // A run that could not be written is reported with its content, not dropped silently.
    onLost: (error, runs) => {
      const detail = { error: error instanceof Error ? error.message : String(error), runs };
      if (options.adcpLogger) options.adcpLogger.error('discovery run not recorded', detail);
      else console.error('discovery run not recorded', JSON.stringify(detail));
    },
  });
  const buyerAccess = createBuyerAccessService({
    db,
    secrets,
    upstream,
    identity,
    storefronts,
    inventorySources,
    probeTimeoutMs: config.probeTimeoutMs,
    fetch: outbound.fetch,
    publicUrl: () => ownOrigin,
    oauthRedirectOrigins: config.oauthRedirectOrigins ?? [],
    availability: (storefront) => readiness.availability(storefront),
    discoveryPerformance: (storefrontId) => discoveryRuns.recentPerformanceOf(storefrontId),
  });
  const storefrontAgents = createStorefrontAgentsService({
    storefronts,
    inventorySources,
    buyerAccess,
  });
  const advertisers = createAdvertisersService({
    db,
    upstream,
    access: buyerAccess,
    fetch: outbound.fetch,
    timeoutMs: config.probeTimeoutMs,
    eventSourcesOf: eventSourcesReader(db),
  });
  const eventSources = createEventSourcesService({ db, advertisers });
  const catalogs = createCatalogsService({
    db,
    advertisers,
    partners: createCatalogPartners({
      linksOf: advertisers.accounts.linksOf,
      access: buyerAccess,
      upstream,
      timeoutMs: config.probeTimeoutMs,
      storefrontOfAgent: async (agentId) => {
        const platformId = platformIdOfAgent(agentId);
        return platformId ? (await storefronts.findByPlatformId(platformId))?.id : undefined;
      },
    }),
  });
  const mediaBuyRecords = createMediaBuysService({ db, storefronts });
  const sellerAnalytics = createSellerAnalyticsService({
    db,
    storefronts,
    onError: options.onError,
  });
  const sandbox = createSandbox();
  // Storefront agents in process (a linked storefront on this instance), once they exist below.
  const local: { agents?: ReturnType<typeof createBuyingAgents> } = {};
  const modularSources = createModularSourcesService({
    db,
    secrets,
    storefronts,
    inventorySources,
    activity,
  });
  // Ad servers are called through their own guarded client: SOAP pages and reports are larger
  // than an agent's answers.
  const adServerOutbound = createOutboundClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    maxResponseBytes: 16 * 1024 * 1024,
    responseTimeoutMs: 120_000,
  });
  const adServers = createAdServersService({
    db,
    secrets,
    storefronts,
    inventorySources,
    activity,
    jobs,
    fetch: adServerOutbound.fetch,
    endpoints: config.adServers
      ? { gam: { soapUrl: config.adServers.gamSoapUrl, tokenUrl: config.adServers.gamTokenUrl } }
      : defaultEndpoints,
    reportIntervalSeconds: config.adServers?.reportIntervalSeconds ?? 3600,
    onError: options.onError,
  });
  // Every kind of inventory source, behind the source port (agents/merchandising/sources).
  const sources = createSourceRegistry({
    rowsOf: (storefrontId) => inventorySources.allRowsOf(storefrontId),
    kinds: sourceKinds({
      agent: {
        upstream,
        inventorySources,
        buyerAccess,
        accountBindings: createAccountBindingsService({ db }),
        identity,
        linkedAccounts: advertisers.accounts,
        sourceAnswers: createSourceAnswerCache({ ttlMs: config.sourceAnswerTtlMs }),
        onError: options.onError,
      },
      linked: {
        keyOf: async (storefrontId) => {
          const storefront = await storefronts.findById(storefrontId);
          return storefront && storefrontLinks.keyOf(storefront);
        },
        operatorDomainOf: async (storefrontId) => {
          const storefront = await storefronts.findById(storefrontId);
          return storefront ? identity.customerDomainOf(storefront.customerId) : null;
        },
        localStorefrontOf: (url) => storefrontLinks.localStorefrontOf(url),
        requesterFor: (upstreamId, downstreamKey) =>
          storefrontLinks.requesterFor(upstreamId, downstreamKey),
        actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
        callLocal: (principal, upstream, tool, args, timeoutMs) => {
          if (!local.agents) throw new Error('storefront agents are not wired yet');
          return local.agents.call(principal, agentIdOf(upstream.platformId), tool, args, {
            timeoutMs,
          });
        },
      },
      modular: modularSources.sourceKind,
      adServer: adServers.sourceKind,
    }),
    sandbox,
    gatedOf: (storefrontId) => compliance.gatedOf(storefrontId),
  });
  const merchandising = createMerchandising({
    deps: {
      sources,
      buyerInstructions,
      mediaBuys: mediaBuyRecords,
      discoveryRuns,
      postures: sellerAnalytics,
      productRules: {
        shape: async (storefrontId, products) =>
          applyProductRules(products, await productRules.activeRulesFor(storefrontId)),
      },
      sandbox,
      writes: sellerWrites,
      links: storefrontLinks,
      ...(config.trust.compliancePolicy === 'strict' && { publisherGate: publisherAuthorization }),
      sourceBudgetMs: config.sourceBudgetMs,
      transactBudgetMs: config.writes.transactBudgetMs,
      onError: options.onError,
    },
    queryable: options.database.queryable,
    logger: options.adcpLogger ?? silentLogger,
    allowPrivateNetwork: config.allowPrivateNetwork,
    webhookSigner: ed25519FromSeed(secrets.derive('interchange webhook signing v1')),
    jobs,
    idempotencyClaimSeconds: config.writes.idempotencyClaimSeconds,
  });
  // The rules preview composes products as get_products does, through the agent layer.
  const productRulePreview = createProductRulePreview({
    db,
    storefronts,
    products: previewProductsDoor({
      sources,
      sourceBudgetMs: config.sourceBudgetMs,
      ...(config.trust.compliancePolicy === 'strict' && { publisherGate: publisherAuthorization }),
    }),
  });
  // The operator's queues decide through the agent layer, now that it exists.
  const mediaBuys = mediaBuyRecords.withDecisions(merchandising.decisions);
  const salesAgents = createSalesAgentsService({
    db,
    secrets,
    upstream,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    fetch: outbound.fetch,
  });
  // The buying flow reaches storefront agents in process, through their own MCP servers, and
  // the buyer's remote agents through the upstream client.
  local.agents = createBuyingAgents({ merchandising, storefronts, publicUrl: () => ownOrigin });
  const buyingAgents = withRemoteAgents(local.agents, salesAgents, upstream);
  const discovery = createDiscoveryService({
    db,
    agents: buyingAgents,
    advertisers,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    // Campaigns are built below (they read discovery); only called once a request runs.
    campaigns: () => campaigns,
    agentBudgetMs: config.discoveryAgentBudgetMs,
    totalBudgetMs: config.discoveryTotalBudgetMs,
  });
  // Execution hands creatives to each agent through a port the creatives module fills below.
  const campaignCreatives: { port?: CampaignCreatives } = {};
  const pushVerifier = createPushVerifier({
    queryable: options.database.queryable,
    // Storefront agents sign with this deployment's key; a remote agent with the keys its
    // brand.json names (fetched through the guarded client).
    localKeys: (agentId) => (isStorefrontAgentId(agentId) ? merchandising.jwks.keys : undefined),
    jwksUrlOf: (agentId) => salesAgents.signingKeysUrl(agentId),
    fetch: outbound.fetch,
    publicOrigin: () => ownOrigin,
  });
  const campaigns = createCampaignsService({
    db,
    agents: buyingAgents,
    discovery,
    advertisers,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    executeBudgetMs: config.executeAgentBudgetMs,
    writes: sellerWrites,
    actAs: (customerId) => identity.actingPrincipal(customerId),
    creatives: () => campaignCreatives.port,
    sync: {
      minSeconds: config.statusSyncMinSeconds,
      maxSeconds: config.statusSyncMaxSeconds,
      pushConfigFor: pushConfigPolicy({
        publicOrigin: () => ownOrigin,
        allowPrivateNetwork: config.allowPrivateNetwork,
        publishesSigningKeys: (customerId, agentId) =>
          salesAgents.publishesSigningKeys(customerId, agentId),
      }),
      wake: (customerId, agentId, delaySeconds) =>
        bound(late.mediaBuySync).wake(customerId, agentId, delaySeconds),
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
    actAs: (customerId) => identity.actingPrincipal(customerId),
    tickSeconds: Math.max(30, config.statusSyncMinSeconds),
  });
  const delivery = createDeliveryService({
    db,
    agents: buyingAgents,
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
    publicUrl: () => ownOrigin,
    downloadTtlSeconds: config.reporting.downloadTtlSeconds,
  });
  const modularHolds = createHoldExpiryJobs(modularSources, jobs, { intervalSeconds: 60 });
  const formatRefresh: { scheduler?: FormatRefreshScheduler } = {};
  const formats = createFormatsService({
    db,
    agents: buyingAgents,
    refresher: () => formatRefresh.scheduler,
    refreshSeconds: config.formatsRefreshSeconds,
    callBudgetMs: config.discoveryAgentBudgetMs,
  });
  formatRefresh.scheduler = createFormatRefresher(
    jobs,
    formats,
    (customerId) => identity.actingPrincipal(customerId),
    config.formatsRefreshSeconds,
    options.onError,
  );
  const assetStore = createAssetStore(config.assetStorage, config.dataDir);
  const assets = createAssetService({
    db,
    store: assetStore,
    signer: createUrlSigner(secrets.derive('interchange asset links v1')),
    publicUrl: () => ownOrigin,
    urlTtlSeconds: config.assetUrlTtlSeconds,
    maxBytes: config.assetMaxBytes,
    now: () => new Date(),
  });
  const creativeDelivery = createCreativeDelivery({
    db,
    agents: buyingAgents,
    linkOf: (assetId) => assets.linkOf({ id: assetId }),
    timeoutMs: config.executeAgentBudgetMs,
    refreshTimeoutMs: config.discoveryAgentBudgetMs,
    now: () => new Date(),
  });
  campaignCreatives.port = creativeDelivery.port;
  const creatives = createCreativesService({
    db,
    campaigns,
    formats,
    assets,
    delivery: creativeDelivery,
  });
  late.sources = inventorySources;
  late.readiness = readiness;
  late.compliance = compliance;
  late.buyerAccess = buyerAccess;
  late.mediaBuySync = mediaBuySync;

  return {
    identity,
    consoleSessions,
    idempotency,
    activity,
    storefronts,
    inventorySources,
    operatingInstructions,
    buyerInstructions,
    productRules,
    productRulePreview,
    mediaBuys,
    sellerAnalytics,
    merchandising,
    readiness,
    compliance,
    complianceSchedule: bound(complianceJobs.schedule),
    publisherAuthorization,
    authorizationSchedule: bound(authorizationJobs.schedule),
    storefrontLinks,
    joinLinks,
    buyerAccess,
    storefrontAgents,
    advertisers,
    eventSources,
    catalogs,
    salesAgents,
    discovery,
    campaigns,
    delivery,
    deliveryImport,
    modularSources,
    modularHolds,
    adServers,
    reporting,
    formats,
    creatives,
    assets,
    jobs,
    mediaBuySync,
    sellerWrites,
    sellerWriteRecovery,
    upstream,
    outbound,
    trustOwnOrigin: (origin) => {
      trustedHosts.add(hostKey(new URL(origin)));
      ownOrigin = origin.replace(/\/+$/, '');
    },
    close: async () => {
      // Running handlers finish (or are failed for retry) while their collaborators still work.
      await jobs.stop();
      await merchandising.close();
      // Runs written behind answers reach the database before it closes.
      await discoveryRuns.flush();
      await upstream.close();
      await outbound.close();
      await adServerOutbound.close();
      assetStore.close();
      compliance.close();
    },
  };
}

const silentLogger: AdcpLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function bound<T>(service: T | undefined): T {
  if (!service) throw new Error('service used before wiring completed');
  return service;
}
