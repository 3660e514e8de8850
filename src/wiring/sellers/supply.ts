import { createHoldExpiryJobs, createProviderTokenRefreshJobs } from '../../jobs/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import { createModularSourcesService } from '../../modules/modular-sources/index.js';
import { createProviderAdaptersService } from '../../modules/provider-adapters/index.js';
import { createStorefrontLinksService } from '../../modules/storefront-links/index.js';
import { createOutboundClient } from '../../platform/outbound/index.js';
import { providerConfigOf } from '../../provider-config.js';
import type { UploadsConfig } from '../../config.js';
import type { Base } from '../base.js';
import { signedDownloads } from '../downloads.js';
import type { SellerAccounts } from './accounts.js';

/**
 * Supply served by Interchange itself or through it: links between storefronts (federation),
 * modular sources (feeds, the booking ledger with its hold expiry, work queues) and provider
 * adapters (with their token refresh).
 */
export function createSellerSupply(
  base: Base,
  accounts: SellerAccounts,
  inventorySources: InventorySourcesService,
) {
  const { db, secrets, outbound, activity, config, jobs } = base;
  const { storefronts, identity, notifications } = accounts;
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
    taskSettled: base.flows.sourceTaskSettled.settled,
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
  return { storefrontLinks, modularSources, modularHolds, providerAdapters };
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
