// The door to background jobs: define a job type, send jobs, start and stop the workers.
export { defineJob, deadLetterQueueOf, type JobContext, type JobType } from './job-type.js';
export {
  createJobQueue,
  type DeadLetter,
  type JobQueue,
  type JobQueueOptions,
  type SendOptions,
} from './queue.js';
export { createMediaBuySync, type MediaBuySync } from './media-buy-sync.js';
export { createSellerWriteRecovery, type SellerWriteRecovery } from './seller-write-recovery.js';
