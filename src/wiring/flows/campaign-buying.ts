import type { MediaBuySync } from '../../jobs/index.js';
import type { CampaignsService } from '../../modules/campaigns/index.js';
import type { CampaignRefs } from '../../modules/discovery/index.js';
import { createFlow } from './flow.js';

/**
 * Campaign buying, between discovery and campaigns. Owner: campaigns (modules/campaigns), which
 * book what a discovery session selected. Caller: discovery, which reads the campaign a request
 * names (its brief, advertiser and flight) to discover for it. Discovery is built first;
 * campaigns read its selections.
 */
export function createCampaignBuying() {
  const flow = createFlow<Pick<CampaignsService, 'campaignOf'>>('campaign buying');
  const refs: CampaignRefs = {
    campaignOf: (customerId, campaignId) => flow.owner().campaignOf(customerId, campaignId),
  };
  return { flow, refs };
}

/**
 * Status sync of placed buys. Owner: the status sync on the job queue (jobs/media-buy-sync.ts),
 * which looks at a customer's buys on an agent when they are due. Caller: campaigns, which wake
 * it when a buy is placed or changed, or a seller pushed a status. Campaigns are built first;
 * the sync runs their `syncAgent`.
 */
export function createStatusSync() {
  const flow = createFlow<Pick<MediaBuySync, 'wake'>>('status sync');
  return {
    flow,
    wake: (customerId: number, agentId: string, delaySeconds: number) =>
      flow.owner().wake(customerId, agentId, delaySeconds),
  };
}
