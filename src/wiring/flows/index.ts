import { assertFlowsOwned } from './flow.js';
import { createFeedWebhookJobsFlow } from './feed-webhook-jobs.js';
import { createLocalStorefrontCalls } from './local-storefront-calls.js';
import { createSchedules } from './schedules.js';
import { createSourceTaskSettled } from './source-task-settled.js';
import { createStatusSync } from './status-sync.js';
import { createStorefrontAvailability } from './storefront-availability.js';

/**
 * The flows between modules that need each other on requests, each with one owner (its doc
 * comment names it and its callers; docs/architecture.md "Flows" lists them). Created before
 * any module, handed to the callers as ports, owned as the owner is built.
 */
export function createFlows() {
  return {
    storefrontAvailability: createStorefrontAvailability(),
    sourceTaskSettled: createSourceTaskSettled(),
    statusSync: createStatusSync(),
    localStorefrontCalls: createLocalStorefrontCalls(),
    feedWebhookJobs: createFeedWebhookJobsFlow(),
    ...createSchedules(),
  };
}

export type Flows = ReturnType<typeof createFlows>;

/** Fails the composition when a flow was left without its owner. */
export function assertOwned(flows: Flows): void {
  assertFlowsOwned(Object.fromEntries(Object.entries(flows).map(([k, v]) => [k, v.flow])));
}
