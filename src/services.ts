import type { UpstreamClient } from './upstream/index.js';
import type { OutboundClient } from './platform/outbound/index.js';
import type { JobQueue } from './platform/jobs/index.js';
import type { CustomerPrincipal } from './platform/principal.js';
import type { AudiencesService } from './modules/audiences/index.js';
import type {
  AuthorizationSchedule,
  ComplianceSchedule,
  DeliveryImportSchedule,
  HoldExpirySchedule,
  MediaBuySync,
  NotificationSweep,
  RetentionSchedule,
  SellerWriteRecovery,
} from './jobs/index.js';
import type { ComplianceService } from './modules/compliance/index.js';
import type { ModularSourcesService } from './modules/modular-sources/index.js';
import type { AdServersService } from './modules/ad-servers/index.js';
import type { ProviderAdaptersService } from './modules/provider-adapters/index.js';
import type { PublisherAuthorizationService } from './modules/publisher-authorization/index.js';
import type { SellerWrites } from './modules/seller-writes/index.js';
import type { StorefrontLinksService } from './modules/storefront-links/index.js';
import type { ActivityService } from './modules/activity/index.js';
import type { BuyerInstructionsService } from './modules/buyer-instructions/index.js';
import type { PropertyProfilesService } from './modules/property-profiles/index.js';
import type { BuyerAccessService } from './modules/buyer-access/index.js';
import type { AdvertisersService } from './modules/advertisers/index.js';
import type { CatalogsService } from './modules/catalogs/index.js';
import type { EventSourcesService } from './modules/event-sources/index.js';
import type { IdentityService } from './modules/identity/index.js';
import type { ConsoleSessionsService } from './modules/console-sessions/index.js';
import type { IdempotencyService } from './modules/idempotency/index.js';
import type { JoinLinksService } from './modules/join-links/index.js';
import type { InventorySourcesService } from './modules/inventory-sources/index.js';
import type { OperatingInstructionsService } from './modules/operating-instructions/index.js';
import type {
  ProductRulePreviewService,
  ProductRulesService,
} from './modules/product-rules/index.js';
import type { MediaBuysService } from './modules/orders/index.js';
import type { ProposalsService } from './modules/proposals/index.js';
import type { CreativeReviewsService } from './modules/creative-reviews/index.js';
import type { CampaignsService } from './modules/campaigns/index.js';
import type { FormatsService } from './modules/formats/index.js';
import type { AssetService, CreativesService } from './modules/creatives/index.js';
import type {
  CredentialsService,
  ProductionsService,
} from './modules/creative-generation/index.js';
import type { DiscoveryService } from './modules/discovery/index.js';
import type { DeliveryService } from './modules/delivery/index.js';
import type { ReportingService } from './modules/reporting/index.js';
import type { SalesAgentsService, SignalsService } from './modules/registered-agents/index.js';
import type { OptimizationService } from './modules/optimization/index.js';
import type { OptimizationJobs } from './jobs/index.js';
import type { Merchandising, registerFeedSignalReceiver } from './agents/merchandising/index.js';
import type { ReadinessService } from './modules/readiness/index.js';
import type { StorefrontsService, StorefrontView } from './modules/storefronts/index.js';
import type { RateCardsService } from './modules/rate-cards/index.js';
import type { StorefrontAgentsService } from './modules/storefront-agents/index.js';
import type { SellerAnalyticsService } from './modules/seller-analytics/index.js';
import type { StorefrontMediaBuysService } from './modules/order-views/index.js';
import type {
  NotificationsService,
  PendingOperationsService,
} from './modules/notifications/index.js';
import { createAdServerArea } from './wiring/ad-servers.js';
import { createBase } from './wiring/base.js';
import { assertOwned } from './wiring/flows/index.js';
import { createBuyerAccountsArea } from './wiring/buyer-accounts.js';
import { createBuyingArea } from './wiring/buying/area.js';
import { createMerchandisingArea } from './wiring/merchandising.js';
import type { FeedWebhookJobs } from './jobs/feed-webhooks/index.js';
import type { ServiceOptions } from './wiring/options.js';
import { createSellerArea } from './wiring/sellers/area.js';
import { createSignalsArea } from './wiring/signals.js';
import { createNotificationFeeds } from './wiring/notifications.js';
import { createOptimizationArea } from './wiring/optimization.js';
import { createPerformanceFeedbackArea } from './wiring/performance-feedback.js';
import type { PerformanceFeedbackService } from './modules/performance-feedback/index.js';
import type { PerformanceFeedbackJobs } from './jobs/index.js';

export type { ServiceOptions } from './wiring/options.js';

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
  /** The seller's profiles of its sites, read by the storefront's ranking. */
  propertyProfiles: PropertyProfilesService;
  /** The seller's rate card (pricing facts), matched when products are priced for a buyer. */
  rateCards: RateCardsService;
  /** The seller's preview of its product rules over its sources' products (nothing recorded). */
  productRulePreview: ProductRulePreviewService;
  mediaBuys: MediaBuysService;
  /** Creatives synced through storefront agents and the operator's creative-review queue. */
  creativeReviews: CreativeReviewsService;
  sellerAnalytics: SellerAnalyticsService;
  /** The storefront's media buys as its seller reads them: the list and each buy's timeline. */
  storefrontMediaBuys: StorefrontMediaBuysService;
  /** Proposals storefronts answered and the proposal codes their sellers issue (issue 47). */
  proposals: ProposalsService;
  /** Every storefront's Merchandising Agent (AdCP sales agent); app.ts mounts its routes. */
  merchandising: Merchandising;
  /** AdCP 3.1 wholesale feed webhooks; start() once the job queue started. */
  feedWebhooks: FeedWebhookJobs;
  /** Mirrored sources' feed webhooks, received at /adcp/feed-signals/{id} (app.ts mounts it). */
  feedSignalReceiver: Parameters<typeof registerFeedSignalReceiver>[1];
  readiness: ReadinessService;
  /** Going live: readiness's verdict, then storefronts' TRANSACTING (wiring/sellers/go-live.ts). */
  goLive(principal: CustomerPrincipal): Promise<StorefrontView>;
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
  /** Signals agents (buyers' and storefronts'), get_signals and activate_signal (issue 32). */
  signals: SignalsService;
  /** Optimisation suggestions and their sweep and apply jobs (issue 32). */
  optimization: OptimizationService;
  optimizationJobs: OptimizationJobs;
  /** AdCP performance feedback from buyers' logged conversions, and its sweep (issue 32). */
  performanceFeedback: PerformanceFeedbackService;
  performanceFeedbackJobs: PerformanceFeedbackJobs;
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
  /** Wired provider adapters (seed 003): adapter sources and their delegated OAuth. */
  providerAdapters: ProviderAdaptersService;
  /** Buyer reporting over imported delivery (issue 15). */
  reporting: ReportingService;
  /** Creative formats of the agents a buyer may use, cached per buyer and agent (issue 15). */
  formats: FormatsService;
  /** Creative manifests under campaigns, and their delivery to sellers (issue 15). */
  creatives: CreativesService;
  /** Uploaded creative assets and their signed links. */
  assets: AssetService;
  /** Buyers' generation-provider keys per advertiser (hosted model credentials). */
  modelCredentials: CredentialsService;
  /** Audio creatives produced at AudioStack with those keys, as durable jobs. */
  audioProductions: ProductionsService;
  /** An advertiser's first-party audiences, synced to sellers as durable tasks (issue 32). */
  audiences: AudiencesService;
  /** Notifications (both personas): the inbox, webhook subscriptions, email; `notify` tells. */
  notifications: NotificationsService;
  /** What waits on a seller (GET /api/v2/storefront/pending-operations). */
  pendingOperations: PendingOperationsService;
  /** Scheduled notification events and stalled deliveries; startSweeps() once started. */
  notificationSweep: NotificationSweep;
  /** Background jobs; types are defined here, workers start with the server (server.ts). */
  jobs: JobQueue;
  /** Status sync of buyers' media buys on the job queue; resume() once the queue started. */
  mediaBuySync: MediaBuySync;
  /** Writes to sellers recorded before they are sent (modules/seller-writes). */
  sellerWrites: SellerWrites;
  /** Their recovery on the job queue; resume() once the queue started. */
  sellerWriteRecovery: SellerWriteRecovery;
  /** Settled intents and old task push configs pruned on a schedule; startSweeps() once started. */
  retention: RetentionSchedule;
  upstream: UpstreamClient;
  /** The guarded client for anything else fetched on a user's behalf (e.g. storefront logos). */
  outbound: OutboundClient;
  /**
   * Records where this deployment is reachable: its own origin becomes exempt from the
   * private-network guard (the demo agent lives there) and is used for OAuth redirect URIs.
   */
  trustOwnOrigin(origin: string): void;
  /** Exempts one local origin (a sandbox fake) from the private-network guard. */
  trustLocalOrigin(origin: string): void;
  close(): Promise<void>;
}

/**
 * The composition root: every module's service, built area by area (src/wiring/), each area a
 * list built from the ones above it. A user's action across two modules (going live: readiness,
 * then storefronts) is a function above both. Modules that need each other on requests (buyer
 * access shows readiness's availability; readiness reads compliance, which presents buyers'
 * credentials through buyer access) meet through a named flow
 * (src/wiring/flows/), created first, handed to the callers as a port and owned by the one
 * module that answers, as it is built; the composition fails when a flow was left unowned.
 */
export function createServices(options: ServiceOptions): Services {
  const base = createBase(options);
  const sellers = createSellerArea(base);
  const buyerAccounts = createBuyerAccountsArea(base, sellers);
  const adServerArea = createAdServerArea(base, sellers);
  const merchandising = createMerchandisingArea(base, sellers, buyerAccounts, {
    adServer: adServerArea.adServers.kindParts,
  });
  const buying = createBuyingArea(base, sellers, buyerAccounts, merchandising);
  const signalsArea = createSignalsArea(base, sellers, buyerAccounts, merchandising, buying);
  const optimizationArea = createOptimizationArea(base, sellers, buying);
  const feedbackArea = createPerformanceFeedbackArea(base, sellers, buying);
  const notificationFeeds = createNotificationFeeds(
    base,
    sellers,
    merchandising,
    adServerArea.adServers,
  );
  const { discoveryRuns, ...sellerServices } = sellers;
  const { localAgents: _inProcess, ...merchandisingServices } = merchandising;
  const { assetStore, generatedFiles, agents: _agents, ...buyingServices } = buying;
  assertOwned(base.flows);
  return {
    ...sellerServices,
    ...buyerAccounts,
    ...merchandisingServices,
    ...buyingServices,
    ...signalsArea,
    ...optimizationArea,
    ...feedbackArea,
    ...notificationFeeds,
    adServers: adServerArea.adServers,
    idempotency: base.idempotency,
    activity: base.activity,
    jobs: base.jobs,
    sellerWrites: base.sellerWrites,
    sellerWriteRecovery: base.sellerWriteRecovery,
    retention: base.retention,
    upstream: base.upstream,
    outbound: base.outbound,
    trustOwnOrigin: base.trustOwnOrigin,
    trustLocalOrigin: base.trustLocalOrigin,
    close: async () => {
      merchandising.feedWebhooks.stop();
      // Running handlers finish (or are failed for retry) while their collaborators still work.
      await base.jobs.stop();
      await merchandising.merchandising.close();
      await merchandising.closeBriefRewriter();
      // Runs of answers still in flight reach the database before it closes.
      await discoveryRuns.flush();
      await base.upstream.close();
      await base.outbound.close();
      await generatedFiles.close();
      await adServerArea.close();
      assetStore.close();
      sellers.compliance.close();
    },
  };
}
