import { createMediaBuySync } from '../../jobs/index.js';
import type { AdvertisersService } from '../../modules/advertisers/index.js';
import type { AudiencesService } from '../../modules/audiences/index.js';
import {
  campaignReader,
  createCampaignsService,
  pushConfigPolicy,
  type StatusSyncPort,
} from '../../modules/campaigns/index.js';
import type { CreativeDelivery } from '../../modules/creatives/index.js';
import type { DeliveryService } from '../../modules/delivery/index.js';
import { type BuyingAgents, createDiscoveryService } from '../../modules/discovery/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { Notifier } from '../../modules/notifications/index.js';
import type { ProposalsService } from '../../modules/proposals/index.js';
import type { SalesAgentsService } from '../../modules/registered-agents/index.js';
import type { createPushVerifier } from '../../upstream/index.js';
import type { Base } from '../base.js';

/** What campaign buying is built over: the agents, the buyer's accounts, delivery and creatives. */
export interface CampaignParts {
  agents: BuyingAgents;
  identity: IdentityService;
  advertisers: AdvertisersService;
  salesAgents: SalesAgentsService;
  audiences: AudiencesService;
  delivery: DeliveryService;
  creativeDelivery: CreativeDelivery;
  pushVerifier: Pick<ReturnType<typeof createPushVerifier>, 'verify'>;
  /** The proposal codes storefronts' sellers issued (discoverProducts proposalCode). */
  proposals: Pick<ProposalsService, 'storefrontOfCode'>;
  /** Tells a buyer's webhooks (discovery.revision). */
  notify: Notifier['notify'];
}

/**
 * Campaign buying: discovery over the agents a buyer may use (reading the campaign a body names
 * through campaigns' reader over its table), campaigns over discovery, and their status sync on
 * the job queue, owner of the status sync flow campaigns wake.
 */
export function createBuyerCampaigns(base: Base, parts: CampaignParts) {
  const { db, config, jobs, flows } = base;
  const { agents, identity, advertisers } = parts;
  const actAs = (customerId: number) => identity.actingPrincipal(customerId);
  const customerDomainOf = (id: number) => identity.customerDomainOf(id);
  const discovery = createDiscoveryService({
    db,
    agents,
    advertisers,
    customerDomainOf,
    campaigns: campaignReader(db),
    proposalCodes: parts.proposals,
    // Hosted's discovery.revision: a round of the session was recorded (webhooks only).
    onRevision: (customerId, revision) =>
      parts.notify({
        customerId,
        type: 'discovery.revision',
        status: 'info',
        message: `Discovery ${revision.discoveryId} has new results (revision ${revision.revision}).`,
        data: { ...revision },
        eventKey: `discovery:${revision.discoveryId}:revision:${revision.revision}`,
      }),
    agentBudgetMs: config.discoveryAgentBudgetMs,
    totalBudgetMs: config.discoveryTotalBudgetMs,
  });
  const campaigns = createCampaignsService({
    db,
    agents,
    audiences: parts.audiences.campaignPort,
    discovery,
    advertisers,
    customerDomainOf,
    executeBudgetMs: config.executeAgentBudgetMs,
    writes: base.sellerWrites,
    actAs,
    creatives: () => parts.creativeDelivery.port,
    sync: syncOptionsOf(base, parts),
  });
  const mediaBuySync = flows.statusSync.flow.ownedBy(
    createMediaBuySync({
      jobs,
      campaigns,
      actAs,
      tickSeconds: Math.max(30, config.statusSyncMinSeconds),
    }),
  );
  return { discovery, campaigns, mediaBuySync };
}

/** How campaigns follow placed buys: polled through the status sync, or pushed and verified. */
function syncOptionsOf(base: Base, parts: CampaignParts): StatusSyncPort {
  const { config, flows } = base;
  return {
    minSeconds: config.statusSyncMinSeconds,
    maxSeconds: config.statusSyncMaxSeconds,
    pushConfigFor: pushConfigPolicy({
      publicOrigin: base.ownOrigin,
      allowPrivateNetwork: config.allowPrivateNetwork,
      publishesSigningKeys: (customerId, agentId) =>
        parts.salesAgents.publishesSigningKeys(customerId, agentId),
    }),
    wake: flows.statusSync.wake,
    verify: (agentId, request) => parts.pushVerifier.verify(agentId, request),
    // A verified delivery report is recorded as an import would record it (only the rows of
    // this buy's seller id count: packageReportsOf filters by it).
    onDelivery: async (row, payload) => {
      await parts.delivery.applyDeliveryReport(row.id, payload);
    },
  };
}
