import { createAdvertisersService } from '../modules/advertisers/index.js';
import { createCatalogPartners, createCatalogsService } from '../modules/catalogs/index.js';
import { eventSourcesReader } from '../modules/event-sources/index.js';
import { createSalesAgentsService } from '../modules/registered-agents/index.js';
import { platformIdOfAgent } from '../modules/storefronts/index.js';
import type { Base } from './base.js';
import type { SellerArea } from './sellers/area.js';

/**
 * What a buyer keeps: advertisers (with their accounts at sellers), catalogs shared with
 * partners, and the remote AdCP sales agents it registered by URL. Event sources are built with
 * the buying area, over the conversion forwarding they hand events to (wiring/buying/audiences.ts).
 */
export function createBuyerAccountsArea(base: Base, sellers: SellerArea) {
  const { db, secrets, upstream, outbound, config } = base;
  const { buyerAccess, identity, storefronts } = sellers;
  const advertisers = createAdvertisersService({
    db,
    upstream,
    access: buyerAccess,
    fetch: outbound.fetch,
    timeoutMs: config.probeTimeoutMs,
    eventSourcesOf: eventSourcesReader(db),
  });
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
  const salesAgents = createSalesAgentsService({
    db,
    secrets,
    upstream,
    customerDomainOf: (id) => identity.customerDomainOf(id),
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    probeTimeoutMs: config.probeTimeoutMs,
    fetch: outbound.fetch,
  });
  return { advertisers, catalogs, salesAgents };
}

export type BuyerAccountsArea = ReturnType<typeof createBuyerAccountsArea>;
