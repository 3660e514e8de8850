import {
  capabilityTtlMs,
  createAudiencesService,
  createConversionForwarding,
  withCapabilityCache,
} from '../../modules/audiences/index.js';
import type { AdvertisersService } from '../../modules/advertisers/index.js';
import type { BuyingAgents } from '../../modules/discovery/index.js';
import { createEventSourcesService } from '../../modules/event-sources/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { Base } from '../base.js';

/**
 * What a buyer shares with the sellers that take it: first-party audiences, synced by a durable
 * job, and event sources with their conversions. Conversion forwarding is built first, over the
 * buying agents, and handed to event sources at construction (nothing is bound later).
 */
export function createBuyerAudiences(
  base: Base,
  agents: BuyingAgents,
  advertisers: AdvertisersService,
  identity: IdentityService,
) {
  const { db, config, jobs } = base;
  const customerDomainOf = (id: number) => identity.customerDomainOf(id);
  // Which agents take audiences and conversions is asked once per buyer and agent, not per
  // request (the capability cache is cleared by any registration change).
  const capabilityAgents = withCapabilityCache(
    agents,
    (config.capabilityCacheSeconds ?? capabilityTtlMs / 1000) * 1000,
  );
  const audiences = createAudiencesService({
    db,
    agents: capabilityAgents,
    advertisers,
    customerDomainOf,
    actAs: (customerId) => identity.actingPrincipal(customerId),
    jobs,
    timeoutMs: config.executeAgentBudgetMs,
  });
  const conversionForwarding = createConversionForwarding({
    agents: capabilityAgents,
    customerDomainOf,
    timeoutMs: config.executeAgentBudgetMs,
  });
  const eventSources = createEventSourcesService({
    db,
    advertisers,
    sellers: conversionForwarding,
  });
  return { audiences, eventSources };
}
