import type { FeedWebhookJobs } from '../../jobs/feed-webhooks/index.js';
import { createFlow } from './flow.js';

/**
 * The wholesale feed webhooks' jobs, asked from the agent they watch. Owner: the feed webhooks
 * (jobs/feed-webhooks), built over the storefront agents because a scan reads their feeds.
 * Callers, built before it: the creative lifecycle (a creative.status_changed fire is recorded,
 * then delivered by the owner's job) and the account notifications (a new subscriber gets a scan
 * now, not at the next change).
 */
export function createFeedWebhookJobsFlow() {
  const flow = createFlow<Pick<FeedWebhookJobs, 'deliver' | 'requestScan'>>(
    'feed webhook jobs',
    'service and job',
  );
  return {
    flow,
    deliver: (deliveryIds: string[]) => flow.owner().deliver(deliveryIds),
    requestScan: (storefrontId: number) => flow.owner().requestScan(storefrontId),
  };
}
