import { createAuthorizationJobs, createComplianceJobs } from '../../jobs/index.js';
import type { BuyerAccessService } from '../../modules/buyer-access/index.js';
import { createComplianceService } from '../../modules/compliance/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import { createPublisherAuthorizationService } from '../../modules/publisher-authorization/index.js';
import type { Base } from '../base.js';
import type { SellerAccounts } from './accounts.js';

/**
 * Trust in a storefront's sources (issue 31): compliance runs of its sources (asked by a
 * seller's source edits through source-compliance.ts), and publisher domains checked against their adagents.json, each with its
 * schedule on the job queue.
 */
export function createSourceTrust(
  base: Base,
  accounts: SellerAccounts,
  inventorySources: InventorySourcesService,
  buyerAccess: BuyerAccessService,
) {
  const { db, activity, config, options, jobs, flows, outbound } = base;
  const { storefronts, identity, sourceEvents } = accounts;
  const { trust } = config;
  const compliance = createComplianceService({
    db,
    storefronts,
    inventorySources,
    activity,
    buyerAuthAt: (customerId, agentId) => buyerAccess.upstreamAuthFor(customerId, agentId),
    actingPrincipal: (customerId) => identity.actingPrincipal(customerId),
    scheduler: flows.complianceRuns.scheduler(() => jobs.isStarted()),
    policy: trust.compliancePolicy,
    intervalSeconds: trust.complianceIntervalSeconds,
    runTimeoutMs: trust.complianceRunTimeoutMs,
    refreshWaitMs: trust.complianceRefreshWaitMs,
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    onError: options.onError,
    onFailed: (run) => sourceEvents.complianceFailed(run),
  });
  const complianceSchedule = flows.complianceRuns.flow.ownedBy(
    createComplianceJobs(compliance, jobs, {
      intervalSeconds: trust.complianceIntervalSeconds,
      runTimeoutMs: trust.complianceRunTimeoutMs,
    }),
  );
  const publisherAuthorization = createPublisherAuthorizationService({
    db,
    storefronts,
    inventorySources,
    fetch: outbound.fetch,
    urlTemplate: trust.adagentsUrl,
    ttlSeconds: trust.adagentsTtlSeconds,
    publicUrl: base.ownOrigin,
    scheduler: flows.authorizationRefreshes.scheduler(() => jobs.isStarted()),
    timeoutMs: config.probeTimeoutMs,
    onError: options.onError,
  });
  const authorizationSchedule = flows.authorizationRefreshes.flow.ownedBy(
    createAuthorizationJobs(publisherAuthorization, jobs, { sweepSeconds: 600 }),
  );
  return { compliance, complianceSchedule, publisherAuthorization, authorizationSchedule };
}
