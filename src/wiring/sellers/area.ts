import { createBuyerAccessService } from '../../modules/buyer-access/index.js';
import { createBuyerInstructionsService } from '../../modules/buyer-instructions/index.js';
import { createDiscoveryRunsService } from '../../modules/discovery-runs/index.js';
import { createInventorySourcesService } from '../../modules/inventory-sources/index.js';
import { createJoinLinksService } from '../../modules/join-links/index.js';
import { createOperatingInstructionsService } from '../../modules/operating-instructions/index.js';
import { createProductRulesService } from '../../modules/product-rules/index.js';
import { createPropertyProfilesService } from '../../modules/property-profiles/index.js';
import { createReadinessService } from '../../modules/readiness/index.js';
import { createStorefrontAgentsService } from '../../modules/storefront-agents/index.js';
import type { Base } from '../base.js';
import { createSellerAccounts, type SellerAccounts } from './accounts.js';
import { goLiveOf } from './go-live.js';
import { sourceEditsUnderCompliance } from './source-compliance.js';
import { createSellerSupply } from './supply.js';
import { createSourceTrust } from './trust.js';

/**
 * Customers and their storefronts, as a list, each part built from the ones above it: who sells
 * (identity, storefronts, notifications), inventory sources, buyers' access to storefronts with
 * the discovery runs it reports, trust in sources (compliance, publisher authorization),
 * supply served through Interchange (links, modular sources, provider adapters), the operator's
 * instructions and product rules, readiness (owner of the storefront availability flow) with
 * going live above it and storefronts, join links and the storefront agents.
 */
export function createSellerArea(base: Base) {
  const { db, activity } = base;
  const accounts = createSellerAccounts(base);
  const { storefronts, identity } = accounts;
  const inventorySources = inventorySourcesOf(base, accounts);
  const discoveryRuns = discoveryRunsOf(base);
  const buyerAccess = buyerAccessOf(base, accounts, inventorySources, discoveryRuns);
  const trust = createSourceTrust(base, accounts, inventorySources, buyerAccess);
  const supply = createSellerSupply(base, accounts, inventorySources);
  const operatingInstructions = createOperatingInstructionsService({ db, storefronts, activity });
  const buyerInstructions = createBuyerInstructionsService({ db, storefronts, activity });
  const productRules = createProductRulesService({ db, storefronts, activity });
  const propertyProfiles = createPropertyProfilesService({ db, storefronts });
  const readiness = base.flows.storefrontAvailability.flow.ownedBy(
    createReadinessService({
      storefronts,
      inventorySources,
      operatingInstructions,
      activity,
      compliance: trust.compliance,
      publisherAuthorization: trust.publisherAuthorization,
    }),
  );
  const joinLinks = createJoinLinksService({ db, storefronts, identity });
  const storefrontAgents = createStorefrontAgentsService({
    storefronts,
    inventorySources,
    buyerAccess,
  });
  const { sourceEvents: _notices, ...accountServices } = accounts;
  return {
    ...accountServices,
    inventorySources: sourceEditsUnderCompliance(inventorySources, trust.compliance),
    discoveryRuns,
    buyerAccess,
    ...trust,
    ...supply,
    operatingInstructions,
    buyerInstructions,
    productRules,
    propertyProfiles,
    readiness,
    goLive: goLiveOf(storefronts, readiness),
    joinLinks,
    storefrontAgents,
  };
}

export type SellerArea = ReturnType<typeof createSellerArea>;

/**
 * Inventory sources, as the modules above read them; the edits the seller makes ask compliance
 * through sourceEditsUnderCompliance (source-compliance.ts), once compliance is built.
 */
function inventorySourcesOf(base: Base, accounts: SellerAccounts) {
  const { db, secrets, upstream, activity, config } = base;
  return createInventorySourcesService({
    db,
    secrets,
    upstream,
    storefronts: accounts.storefronts,
    activity,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    onUnhealthy: (row, reason, at) => accounts.sourceEvents.sourceUnhealthy(row, reason, at),
  });
}

/** Buyers' access to storefronts; whether one can transact now is readiness's (availability). */
function buyerAccessOf(
  base: Base,
  accounts: SellerAccounts,
  inventorySources: ReturnType<typeof createInventorySourcesService>,
  discoveryRuns: ReturnType<typeof discoveryRunsOf>,
) {
  const { db, secrets, upstream, outbound, config, flows } = base;
  return createBuyerAccessService({
    db,
    secrets,
    upstream,
    identity: accounts.identity,
    storefronts: accounts.storefronts,
    inventorySources,
    probeTimeoutMs: config.probeTimeoutMs,
    fetch: outbound.fetch,
    publicUrl: base.ownOrigin,
    oauthRedirectOrigins: config.oauthRedirectOrigins ?? [],
    availability: flows.storefrontAvailability.availability,
    discoveryPerformance: (storefrontId) => discoveryRuns.recentPerformanceOf(storefrontId),
  });
}

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
