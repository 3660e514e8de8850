import type { AdcpLogger } from '@adcp/sdk/server';
import {
  createAuditObservations,
  createBuyingAgents,
  createCreativeVerifier,
  createFeedMirror,
  createMerchandising,
  createSandbox,
  createCreativeLifecycle,
  createSourceAnswerCache,
  createSourceRegistry,
  findAgentRequest,
  previewProductsDoor,
  simulatedFeatures,
  sourceKinds,
  webhookJwks,
} from '../agents/merchandising/index.js';
import type { AdServerKindParts } from '../modules/ad-servers/index.js';
import { createAccountBindingsService } from '../modules/account-bindings/index.js';
import { createGovernanceAgents } from '../modules/governance-agents/index.js';
import {
  createAccountNotifications,
  createFixtureHolders,
  createFeedDeliveries,
} from '../modules/account-notifications/index.js';
import type { FeedWebhookJobs } from '../jobs/feed-webhooks/index.js';
import { createGovernanceGate } from '../agents/adcp31/governance/index.js';
import { createCreativeReviewsService } from '../modules/creative-reviews/index.js';
import { createMediaBuysService } from '../modules/orders/index.js';
import { createProposalsService } from '../modules/proposals/index.js';
import { applyProductRules, createProductRulePreview } from '../modules/product-rules/index.js';
import { createSellerAnalyticsService } from '../modules/seller-analytics/index.js';
import { createStorefrontMediaBuysService } from '../modules/order-views/index.js';
import { agentIdOf } from '../modules/storefronts/index.js';
import { ed25519FromSeed } from '../platform/crypto/signing-key.js';
import { createUrlSigner } from '../platform/signed-urls.js';
import type { Base } from './base.js';
import { briefRewriterOf } from './brief-rewriter.js';
import { feedSignalsOf, feedWebhooksOf } from './feeds/webhooks.js';
import { signedDownloads } from './downloads.js';
import type { BuyerAccountsArea } from './buyer-accounts.js';
import type { SellerArea } from './sellers/area.js';
import { createPropertyListResolver } from '../sources/property-lists/index.js';
import type { SourceKindDeps } from '../source-kinds/registry.js';

/**
 * Every storefront's Merchandising Agent and what it keeps: the sources behind the source
 * port, media buys and creative reviews with the operator's queues (which decide through the
 * agent), seller analytics (which recommends each run's posture) and the storefront's media-buy
 * views, the rules preview, and the storefront agents as this instance's buyers (and linked storefronts) call them in process.
 */
/**
 * AdCP 3.1's creative.status_changed webhooks: recorded in the feed webhooks' delivery log and
 * sent by its job (the flow `feed webhook jobs`, owned by the feed webhooks built further on).
 */
function lifecycleOf(
  db: Parameters<typeof createFeedDeliveries>[0]['db'],
  store: ReturnType<typeof createAccountNotifications>,
  jobs: Pick<FeedWebhookJobs, 'deliver'>,
) {
  const deliveries = createFeedDeliveries({ db });
  return createCreativeLifecycle({ store, deliveries, deliver: jobs.deliver });
}

/** Seller analytics (postures, what was left out, delivered spend) with its report links. */
function sellerAnalyticsOf(base: Base, storefronts: SellerArea['storefronts']) {
  const { db, config, secrets, options } = base;
  return createSellerAnalyticsService({
    db,
    storefronts,
    onError: options.onError,
    reportDownloads: {
      signer: createUrlSigner(secrets.derive('interchange storefront report links v1')),
      publicUrl: base.ownOrigin,
      ttlSeconds: config.reporting.downloadTtlSeconds,
    },
  });
}

/** The seller's orders (order-views) over its sources' names and modular work queues. */
function storefrontOrdersOf(base: Base, sellers: SellerArea) {
  const { storefronts, inventorySources } = sellers;
  return createStorefrontMediaBuysService({
    db: base.db,
    storefronts,
    orderPorts: {
      openWorkItems: (storefrontId) =>
        sellers.modularSources.storefrontQueue.openByBuy(storefrontId),
      sourceNames: async (storefrontId) =>
        new Map((await inventorySources.allRowsOf(storefrontId)).map((s) => [s.sourceId, s.name])),
    },
    downloads: signedDownloads(base, 'interchange storefront order links v1'),
  });
}

export function createMerchandisingArea(
  base: Base,
  sellers: SellerArea,
  buyerAccounts: BuyerAccountsArea,
  /** Kinds wired in areas of their own (ad-server sources). */
  kinds: { adServer?: AdServerKindParts } = {},
) {
  const { db, config, secrets, upstream, options } = base;
  const localCalls = base.flows.localStorefrontCalls;
  const { storefronts, inventorySources, buyerAccess, identity, storefrontLinks, compliance } =
    sellers;
  // Under the strict policy, products of publishers that did not authorize the storefront go.
  const publisherGate =
    config.trust.compliancePolicy === 'strict' ? sellers.publisherAuthorization : undefined;
  const mediaBuyRecords = createMediaBuysService({
    db,
    storefronts,
    notices: {
      notify: (event) => sellers.notifications.notify(event),
      sellerOf: async (storefrontId) => (await storefronts.findById(storefrontId))?.customerId,
    },
  });
  const creativeRecords = createCreativeReviewsService({ db, storefronts });
  const sellerAnalytics = sellerAnalyticsOf(base, storefronts);
  const storefrontMediaBuys = storefrontOrdersOf(base, sellers);
  const sandbox = createSandbox();
  // The agents' webhook-signing key: they sign with it, and it verifies a mirrored source on this
  // very origin (the mirror's feed webhook subscriptions).
  const webhookSigner = ed25519FromSeed(secrets.derive('interchange webhook signing v1'));
  const feedSignals = feedSignalsOf(base, webhookJwks(webhookSigner).keys);
  const feedWebhookJobs = base.flows.feedWebhookJobs;
  // Every kind of inventory source, behind the source port (src/source-kinds/).
  const sources = createSourceRegistry({
    rowsOf: (storefrontId) => inventorySources.cachedRowsOf(storefrontId),
    kinds: sourceKinds({
      agent: {
        upstream,
        inventorySources,
        buyerAccess,
        accountBindings: createAccountBindingsService({ db }),
        identity,
        linkedAccounts: buyerAccounts.advertisers.accounts,
        sourceAnswers: createSourceAnswerCache({ ttlMs: config.sourceAnswerTtlMs }),
        // Feed-publishing sources (linked storefronts, 3.1 agents) answer briefs from a mirror.
        feedMirror: createFeedMirror({ signals: feedSignals.mirror }),
        onError: options.onError,
      },
      linked: linkedKindParts(sellers, localCalls),
      modular: sellers.modularSources.kindParts,
      ...(kinds.adServer && { adServer: kinds.adServer }),
      adapter: sellers.providerAdapters.kindParts,
    }),
    sandbox,
    gatedOf: (storefrontId) => compliance.gatedOf(storefrontId),
  });
  const rewrites = briefRewriterOf(config, options.onError);
  const proposals = createProposalsService({ db });
  const governance = governanceGateOf(base);
  const accountNotifications = createAccountNotifications({ db, secrets });
  const merchandising = createMerchandising({
    deps: {
      sources,
      ...(rewrites.briefRewriter && { briefRewriter: rewrites.briefRewriter }),
      buyerInstructions: sellers.buyerInstructions,
      proposals,
      rateCards: sellers.rateCards,
      propertyProfiles: sellers.propertyProfiles,
      mediaBuys: mediaBuyRecords,
      creativeReviews: creativeRecords,
      discoveryRuns: sellers.discoveryRuns,
      postures: sellerAnalytics,
      leftOut: sellerAnalytics,
      operatingInstructions: sellers.operatingInstructions,
      productRules: {
        shape: async (storefrontId, products) =>
          applyProductRules(products, await sellers.productRules.activeRulesFor(storefrontId)),
      },
      sandbox,
      fixtureHolders: createFixtureHolders({ db }),
      governance,
      creativeVerifier: creativeVerifierOf(base),
      auditObservations: createAuditObservations(),
      creativeLifecycle: lifecycleOf(db, accountNotifications, feedWebhookJobs),
      writes: base.sellerWrites,
      links: storefrontLinks,
      ...(publisherGate && { publisherGate }),
      sourceBudgetMs: config.sourceBudgetMs,
      transactBudgetMs: config.writes.transactBudgetMs,
      propertyLists: createPropertyListResolver(upstream),
      noteProductCheck: inventorySources.noteProductCheck,
      onError: options.onError,
    },
    queryable: options.database.queryable,
    logger: options.adcpLogger ?? silentLogger,
    allowPrivateNetwork: config.allowPrivateNetwork,
    webhookSigner,
    jobs: base.jobs,
    taskPushes: base.taskPushes,
    idempotencyClaimSeconds: config.writes.idempotencyClaimSeconds,
    sourceAnswerTtlMs: config.sourceAnswerTtlMs,
    accountNotifications: {
      store: accountNotifications,
      onSubscribed: (id) =>
        void feedWebhookJobs
          .requestScan(id)
          .catch((e: unknown) => options.onError?.(e, 'feed scan')),
    },
  });
  // A source's task settled (a modular booking decided): its buyer's task settles now.
  base.flows.sourceTaskSettled.flow.ownedBy(merchandising.sourceTasks);
  // The storefront agents as in-process callers reach them (this instance's buyers and links).
  const localAgents = localCalls.flow.ownedBy(
    createBuyingAgents({ merchandising, storefronts, publicUrl: base.ownOrigin }),
  );
  const feedWebhooks = feedWebhookJobs.flow.ownedBy(
    feedWebhooksOf(base, sellers, accountNotifications, merchandising, localAgents),
  );
  const productRulePreview = productRulePreviewOf(base, sellers, sources, publisherGate);
  // The operator's queues decide through the agent, which is built on the records.
  const mediaBuys = mediaBuyRecords.withDecisions(merchandising.decisions);
  const creativeReviews = creativeRecords.withForwarder(merchandising.decisions);
  return {
    mediaBuys,
    creativeReviews,
    sellerAnalytics,
    storefrontMediaBuys,
    merchandising,
    productRulePreview,
    proposals,
    localAgents,
    /** Wholesale feed webhooks: start() once the job queue runs, stop() before it stops. */
    feedWebhooks,
    /** Receives mirrored sources' feed webhooks (app.ts mounts it). */
    feedSignalReceiver: feedSignals.receiver,
    /** Closes the language model's client (none configured: nothing). */
    closeBriefRewriter: rewrites.close,
  };
}

/** The rules preview composes products as get_products does, through the agent layer. */
function productRulePreviewOf(
  base: Base,
  sellers: SellerArea,
  sources: ReturnType<typeof createSourceRegistry>,
  publisherGate: SellerArea['publisherAuthorization'] | undefined,
) {
  const { config, options } = base;
  return createProductRulePreview({
    db: base.db,
    storefronts: sellers.storefronts,
    products: previewProductsDoor({
      sources,
      sourceBudgetMs: config.sourceBudgetMs,
      ...(publisherGate && { publisherGate }),
      noteProductCheck: sellers.inventorySources.noteProductCheck,
      onError: options.onError,
    }),
  });
}

/** The linked-storefront kind's parts: links, their keys and in-process calls on this instance. */
function linkedKindParts(
  sellers: SellerArea,
  localCalls: Base['flows']['localStorefrontCalls'],
): SourceKindDeps['linked'] {
  const { storefronts, storefrontLinks, identity } = sellers;
  return {
    keyOf: async (storefrontId) => {
      const storefront = await storefronts.findByIdCached(storefrontId);
      return storefront && storefrontLinks.keyOf(storefront);
    },
    operatorDomainOf: async (storefrontId) => {
      const storefront = await storefronts.findByIdCached(storefrontId);
      return storefront ? identity.customerDomainOf(storefront.customerId) : null;
    },
    localStorefrontOf: (url) => storefrontLinks.localStorefrontOf(url),
    requesterFor: (upstreamId, downstreamKey) =>
      storefrontLinks.requesterFor(upstreamId, downstreamKey),
    actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
    incomingLinkChain: () => findAgentRequest()?.linkChain ?? [],
    // A linked storefront on this instance is called in process (local storefront calls).
    callLocal: (principal, upstream, tool, args, timeoutMs) =>
      localCalls.call(principal, agentIdOf(upstream.platformId), tool, args, { timeoutMs }),
  };
}

/**
 * Creative policies' accepted verifiers, through the guarded client (a verifier under a reserved
 * name: the sandbox's simulated one).
 */
function creativeVerifierOf(base: Base) {
  return createCreativeVerifier({
    upstream: base.upstream,
    simulated: simulatedFeatures,
    timeoutMs: base.config.sourceBudgetMs,
    allowInsecureUrls: base.config.allowPrivateNetwork,
  });
}

/** Buyers' governance agents, asked before a buy moves money, through the guarded client. */
function governanceGateOf(base: Base) {
  const { db, config, secrets, upstream } = base;
  return createGovernanceGate({
    agents: createGovernanceAgents({ db, secrets }),
    upstream,
    callerUrl: () => {
      const platformId = findAgentRequest()?.storefront.platformId;
      return `${base.ownOrigin()}${platformId ? `/adcp/${agentIdOf(platformId)}/mcp` : ''}`;
    },
    timeoutMs: config.writes.transactBudgetMs,
    allowInsecureUrls: config.allowPrivateNetwork,
  });
}

export type MerchandisingArea = ReturnType<typeof createMerchandisingArea>;

const silentLogger: AdcpLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
