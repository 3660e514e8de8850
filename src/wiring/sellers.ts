import {
  createAuthorizationJobs,
  createComplianceJobs,
  createHoldExpiryJobs,
  createProviderTokenRefreshJobs,
} from '../jobs/index.js';
import { createBuyerAccessService } from '../modules/buyer-access/index.js';
import { createComplianceService } from '../modules/compliance/index.js';
import { createBuyerInstructionsService } from '../modules/buyer-instructions/index.js';
import { createConsoleSessionsService } from '../modules/console-sessions/index.js';
import { createDiscoveryRunsService } from '../modules/discovery-runs/index.js';
import { createIdentityService } from '../modules/identity/index.js';
import { createInventorySourcesService } from '../modules/inventory-sources/index.js';
import { createJoinLinksService } from '../modules/join-links/index.js';
import { createModularSourcesService } from '../modules/modular-sources/index.js';
import { createProviderAdaptersService } from '../modules/provider-adapters/index.js';
import { providerConfigOf } from '../provider-config.js';
import { createOutboundClient } from '../platform/outbound/index.js';
import { createOperatingInstructionsService } from '../modules/operating-instructions/index.js';
import { createProductRulesService } from '../modules/product-rules/index.js';
import { createPublisherAuthorizationService } from '../modules/publisher-authorization/index.js';
import { createReadinessService } from '../modules/readiness/index.js';
import { createStorefrontAgentsService } from '../modules/storefront-agents/index.js';
import { createStorefrontLinksService } from '../modules/storefront-links/index.js';
import { createStorefrontsService } from '../modules/storefronts/index.js';
import { createRateCardsService } from '../modules/rate-cards/index.js';
import type { Base } from './base.js';
import { createNotificationsOf } from './notifications.js';
import { signedDownloads } from './downloads.js';
import type { UploadsConfig } from '../config.js';

/**
 * Customers and their storefronts: identity (a SELLER gets its storefront as it is created),
 * console sessions, inventory sources (modular ones with their feeds, ledger and work), their
 * compliance runs, publisher authorization and links between storefronts, the operator's
 * instructions and product rules, readiness, join links, discovery runs, and buyers' access to
 * storefronts.
 */
export function createSellerArea(base: Base) {
  const { db, secrets, upstream, outbound, activity, config, options, jobs } = base;
  const rateCards = createRateCardsService({ db });
  const storefronts = createStorefrontsService({
    db,
    activity,
    rateCards,
    // The one cycle of this area: a storefront's listing shows its sources' coverage and going
    // live asks readiness, while both are built over storefronts. Asked on requests only, after
    // this function returned, so the forward references below are always bound.
    activeSources: (ids) => inventorySources.activeCoverage(ids),
    readiness: (id) => readiness.verdict(id),
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
  const { notifications, sourceEvents } = createNotificationsOf(base, identity, storefronts);
  const inventorySources = createInventorySourcesService({
    db,
    secrets,
    upstream,
    storefronts,
    activity,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    // Compliance is built over inventory sources; a source connected or going ACTIVE asks it
    // on a request, after this function returned.
    onConnected: (row, principal) =>
      compliance.sourceConnected(row, principal.customerId, principal.userId),
    activationRefusal: (row) => compliance.activationRefusal(row),
    onUnhealthy: (row, reason, at) => sourceEvents.sourceUnhealthy(row, reason, at),
  });
  const compliance = createComplianceService({
    db,
    storefronts,
    inventorySources,
    activity,
    buyerAuthAt: (customerId, agentId) => buyerAccess.upstreamAuthFor(customerId, agentId),
    actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
    scheduler: () => (jobs.isStarted() ? complianceSchedule : undefined),
    policy: config.trust.compliancePolicy,
    intervalSeconds: config.trust.complianceIntervalSeconds,
    runTimeoutMs: config.trust.complianceRunTimeoutMs,
    refreshWaitMs: config.trust.complianceRefreshWaitMs,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    onError: options.onError,
    onFailed: (run) => sourceEvents.complianceFailed(run),
  });
  const complianceSchedule = createComplianceJobs(compliance, jobs, {
    intervalSeconds: config.trust.complianceIntervalSeconds,
    runTimeoutMs: config.trust.complianceRunTimeoutMs,
  });
  const publisherAuthorization = createPublisherAuthorizationService({
    db,
    storefronts,
    inventorySources,
    fetch: outbound.fetch,
    urlTemplate: config.trust.adagentsUrl,
    ttlSeconds: config.trust.adagentsTtlSeconds,
    publicUrl: base.ownOrigin,
    scheduler: () => (jobs.isStarted() ? authorizationSchedule : undefined),
    timeoutMs: config.probeTimeoutMs,
    onError: options.onError,
  });
  const authorizationSchedule = createAuthorizationJobs(publisherAuthorization, jobs, {
    sweepSeconds: 600,
  });
  const storefrontLinks = createStorefrontLinksService({
    db,
    storefronts,
    inventorySources,
    customerNames: (ids) => identity.customerNames(ids),
    customerDomainOf: (id) => identity.customerDomainOf(id),
    publicUrl: base.ownOrigin,
    notify: (event) => notifications.notify(event),
  });
  const modularSources = createModularSourcesService({
    ...modularBase(base),
    storefronts,
    inventorySources,
    activity,
    customerNames: (ids) => identity.customerNames(ids),
  });
  const modularHolds = createHoldExpiryJobs(modularSources, jobs, { intervalSeconds: 60 });
  const providerAdapters = createProviderAdaptersService({
    db,
    secrets,
    fetch: outbound.fetch,
    creativeFetch: creativeFetchOf(base),
    providers: config.providers ?? providerConfigOf({}),
    storefronts,
    inventorySources,
    publicUrl: base.ownOrigin,
  });
  createProviderTokenRefreshJobs(providerAdapters, jobs);
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
  const discoveryRuns = discoveryRunsOf(base);
  const buyerAccess = createBuyerAccessService({
    db,
    secrets,
    upstream,
    identity,
    storefronts,
    inventorySources,
    probeTimeoutMs: config.probeTimeoutMs,
    fetch: outbound.fetch,
    publicUrl: base.ownOrigin,
    oauthRedirectOrigins: config.oauthRedirectOrigins ?? [],
    availability: (storefront) => readiness.availability(storefront),
    discoveryPerformance: (storefrontId) => discoveryRuns.recentPerformanceOf(storefrontId),
  });
  const storefrontAgents = createStorefrontAgentsService({
    storefronts,
    inventorySources,
    buyerAccess,
  });
  return {
    storefronts,
    rateCards,
    consoleSessions,
    identity,
    notifications,
    inventorySources,
    operatingInstructions,
    buyerInstructions,
    productRules,
    readiness,
    joinLinks,
    discoveryRuns,
    buyerAccess,
    storefrontAgents,
    compliance,
    complianceSchedule,
    publisherAuthorization,
    authorizationSchedule,
    storefrontLinks,
    modularSources,
    modularHolds,
    providerAdapters,
  };
}

export type SellerArea = ReturnType<typeof createSellerArea>;

/** The record of discovery runs, committed before each answer in shared inserts. */
function discoveryRunsOf(base: Base) {
  const { adcpLogger } = base.options;
  return createDiscoveryRunsService({
    db: base.db,
    // A run that could not be written is reported with its content, not dropped silently.
    onLost: (error, runs) => {
      // Drizzle's message is the query; PostgreSQL's reason (a timeout, a lock) is its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
      const detail = { error: reason(cause), runs };
      if (adcpLogger) adcpLogger.error('discovery run not recorded', detail);
      else console.error('discovery run not recorded', JSON.stringify(detail));
    },
  });
}

/** How far a feed is read once its bytes are here (docs/security.md, "Uploads"). */
function feedLimitsOf(config: { uploads: UploadsConfig; feedMaxCpm?: number | undefined }) {
  const { uploads, feedMaxCpm } = config;
  return {
    maxRows: uploads.maxRows,
    maxSeconds: uploads.parseSeconds,
    xlsx: uploads.xlsx,
    ...(feedMaxCpm !== undefined && { maxCpm: feedMaxCpm }),
  };
}

/**
 * Files read from other hosts: buyers' creative files for upload (Spotify's audio up to 20 MB,
 * images) and Amazon's report files.
 */
function creativeFetchOf(base: Base) {
  return createOutboundClient({
    allowPrivateNetwork: base.config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    maxResponseBytes: 20 * 1024 * 1024,
    responseTimeoutMs: 60_000,
  }).fetch;
}

/** What modular sources take from the base: the database, secrets, feed limits, ledger links. */
function modularBase(base: Base) {
  return {
    db: base.db,
    secrets: base.secrets,
    feedLimits: feedLimitsOf(base.config),
    ledgerDownloads: signedDownloads(base, 'interchange modular ledger links v1'),
  };
}
