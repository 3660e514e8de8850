import type { MediaBuySync } from '../../jobs/index.js';
import { createFlow } from './flow.js';

/**
 * Status sync of placed buys. Owner: the status sync on the job queue (jobs/media-buy-sync.ts),
 * which looks at a customer's buys on an agent when they are due. Caller: campaigns, which wake
 * it when a buy is placed or changed, or a seller pushed a status. Campaigns are built first;
 * the sync runs their `syncAgent`.
 */
export function createStatusSync() {
  const flow = createFlow<Pick<MediaBuySync, 'wake'>>('status sync', 'service and job');
  return {
    flow,
    wake: (customerId: number, agentId: string, delaySeconds: number) =>
      flow.owner().wake(customerId, agentId, delaySeconds),
  };
}
