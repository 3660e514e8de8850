import { createAdServersService, defaultEndpoints } from '../modules/ad-servers/index.js';
import { createOutboundClient } from '../platform/outbound/index.js';
import type { Base } from './base.js';
import type { SellerArea } from './sellers/area.js';

/**
 * Ad-server sources (issue 35): the publisher's own Google Ad Manager, SpringServe or FreeWheel behind a
 * storefront. Ad servers are called through their own guarded client: SOAP pages and report
 * downloads are larger than an agent's answers.
 */
export function createAdServerArea(base: Base, sellers: SellerArea) {
  const { db, secrets, config, jobs, activity, options, trustedHosts, hostLabels } = base;
  const outbound = createOutboundClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts,
    hostLabels,
    maxResponseBytes: 16 * 1024 * 1024,
    responseTimeoutMs: 120_000,
  });
  const adServers = createAdServersService({
    db,
    secrets,
    storefronts: sellers.storefronts,
    inventorySources: sellers.inventorySources,
    activity,
    jobs,
    fetch: outbound.fetch,
    endpoints: config.adServers
      ? {
          gam: { soapUrl: config.adServers.gamSoapUrl, tokenUrl: config.adServers.gamTokenUrl },
          springserve: { baseUrl: config.adServers.springServeUrl },
          freewheel: {
            productionUrl: config.adServers.freeWheelUrl,
            stagingUrl: config.adServers.freeWheelStagingUrl,
          },
        }
      : defaultEndpoints,
    // The instance's own Ad Manager service account (configuration, never stored).
    gamServiceAccountKey: config.adServers?.gamServiceAccountKey,
    reportIntervalSeconds: config.adServers?.reportIntervalSeconds ?? 3600,
    ...(config.adServers && {
      reportMaxPages: config.adServers.reportMaxPages,
      syncMaxPages: config.adServers.syncMaxPages,
      syncJobTimeoutSeconds: config.adServers.syncJobTimeoutSeconds,
      syncIntervalSeconds: config.adServers.syncIntervalSeconds,
      fullSyncEveryHours: config.adServers.fullSyncEveryHours,
      ...(config.adServers.orderPollSeconds && {
        orderPollSeconds: config.adServers.orderPollSeconds,
      }),
      ...(config.adServers.forecastFreshSeconds && {
        forecastFreshSeconds: config.adServers.forecastFreshSeconds,
      }),
      // A slice ends well before its job would expire.
      syncSliceSeconds: Math.max(
        1,
        Math.min(60, Math.floor(config.adServers.syncJobTimeoutSeconds / 4)),
      ),
    }),
    // A buyer's cancel the ad server cannot carry out goes to the storefront's one work queue.
    workQueue: sellers.modularSources.sourceWorkQueue.port,
    ...(options.onError && { onError: options.onError }),
  });
  return { adServers, close: () => outbound.close() };
}
