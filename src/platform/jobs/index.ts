// The job queue (pg-boss on the app's database): define a job type, send jobs, start and stop the workers.
export { defineJob, deadLetterQueueOf, type JobContext, type JobType } from './job-type.js';
export {
  createJobQueue,
  type DeadLetter,
  type JobQueue,
  type JobQueueOptions,
  type JobsConfig,
  type SendOptions,
} from './queue.js';
export { jobsWaiting } from './depth.js';
