// The door to background jobs: define a job type, send jobs, start and stop the workers.
export {
  defineJob,
  deadLetterQueueOf,
  type JobContext,
  type JobType,
} from '../platform/jobs/job-type.js';
export {
  createJobQueue,
  type DeadLetter,
  type JobQueue,
  type JobQueueOptions,
  type SendOptions,
} from '../platform/jobs/queue.js';
export { createMediaBuySync, type MediaBuySync } from './media-buy-sync.js';
