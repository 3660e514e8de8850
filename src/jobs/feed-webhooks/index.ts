/** AdCP 3.1 wholesale feed webhooks on the job queue: watch, scan, deliver (queue.ts). */
export {
  createFeedWebhookJobs,
  feedDeliveryRetries,
  type FeedWebhookJobs,
  type FeedWebhookSender,
} from './queue.js';
export { createFeedWebhooks } from './through-agents.js';
export type { WholesaleFeed, WholesaleOf } from './scan.js';
export type { WireProduct } from './events.js';
