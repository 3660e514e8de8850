import { z } from 'zod';
import type {
  AccountNotifications,
  FeedDeliveries,
} from '../../modules/account-notifications/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { scanStorefront, type WholesaleOf } from './scan.js';

/** One signed post of a feed webhook (the storefront agents' RFC 9421 key, or legacy auth). */
export type FeedWebhookSender = (request: {
  url: string;
  payload: Record<string, unknown>;
  operationId: string;
  authentication?: { scheme: string; credentials: string };
}) => Promise<{
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  retryable: boolean;
}>;

export const feedDeliveryRetries = 6;

/**
 * AdCP 3.1 wholesale feed webhooks (specs/wholesale-feed-webhooks.md), on the job queue:
 *
 * - a watcher on each instance reads the database's feed revision (one row) every `pollMs`; when
 *   it moved, each storefront with active subscribers gets a scan queued `coalesceSeconds` later
 *   (one waiting per storefront, across instances), so a burst of writes is one scan;
 * - the scan (scan.ts) turns what changed for each subscriber into events in the delivery log;
 * - each delivery is its own job: posted signed, under one idempotency key for every attempt,
 *   retried with backoff on no answer, 5xx or 429, until delivered or the retries are spent.
 */
export function createFeedWebhookJobs(deps: {
  store: AccountNotifications;
  deliveries: FeedDeliveries;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  readRevision: () => Promise<string>;
  wholesaleOf: WholesaleOf;
  send: FeedWebhookSender;
  pollMs: number;
  coalesceSeconds: number;
  onError: (error: unknown) => void;
}) {
  const { jobs, store, deliveries } = deps;

  const deliverJob = defineJob({
    name: 'feed-webhooks.deliver',
    payload: z.object({ deliveryId: z.string().min(1) }),
    singleton: 'queued-and-running',
    retry: { limit: feedDeliveryRetries, delaySeconds: 10, backoff: true },
    timeoutSeconds: 120,
    handler: async ({ deliveryId }, context) => {
      const delivery = await deliveries.find(deliveryId);
      if (!delivery || delivery.status !== 'pending') return;
      const subscriber = (await store.activeSubscribersOf(delivery.storefrontId)).find(
        (s) =>
          s.buyerCustomerId === delivery.buyerCustomerId &&
          s.accountId === delivery.accountId &&
          s.subscriberId === delivery.subscriberId,
      );
      const outcome = subscriber
        ? await deps.send({
            url: subscriber.url,
            payload: { ...delivery.payload, fired_at: new Date().toISOString() },
            operationId: `feed.${delivery.id}`,
            ...(subscriber.authentication && { authentication: subscriber.authentication }),
          })
        : {
            delivered: false,
            statusCode: null,
            error: 'subscriber removed or paused',
            retryable: false,
          };
      const final =
        outcome.delivered || !outcome.retryable || context.retryCount >= feedDeliveryRetries;
      await deliveries.recordAttempt(deliveryId, { ...outcome, final });
      if (!final) throw new Error(`feed webhook ${deliveryId} not yet delivered: ${outcome.error}`);
    },
  });
  jobs.define(deliverJob);

  const scanJob = defineJob({
    name: 'feed-webhooks.scan',
    payload: z.object({ storefrontId: z.number().int() }),
    singleton: 'queued',
    handler: async ({ storefrontId }) => {
      const ids = await scanStorefront(
        { store, deliveries, wholesaleOf: deps.wholesaleOf },
        storefrontId,
      );
      for (const deliveryId of ids) {
        await jobs.send(deliverJob, { deliveryId }, { singletonKey: deliveryId });
      }
    },
  });
  jobs.define(scanJob);

  const requestScan = async (storefrontId: number, delaySeconds = deps.coalesceSeconds) => {
    if (!jobs.isStarted()) return;
    await jobs.send(
      scanJob,
      { storefrontId },
      { singletonKey: `storefront-${storefrontId}`, delaySeconds },
    );
  };

  let timer: NodeJS.Timeout | undefined;
  let seen: string | undefined;
  async function tick() {
    const revision = await deps.readRevision();
    if (revision === seen) return;
    const first = seen === undefined;
    seen = revision;
    // On start every storefront is scanned once: a move while no instance watched is caught.
    for (const storefrontId of await store.storefrontsWithSubscribers()) {
      await requestScan(storefrontId, first ? 0 : deps.coalesceSeconds);
    }
  }

  return {
    /** Sends recorded deliveries (creative lifecycle events), each its own retried job. */
    async deliver(deliveryIds: string[]) {
      if (!jobs.isStarted()) return;
      for (const deliveryId of deliveryIds) {
        await jobs.send(deliverJob, { deliveryId }, { singletonKey: deliveryId });
      }
    },
    /** A storefront's subscribers changed: scan now (a new subscriber's starting point). */
    requestScan: (storefrontId: number) => requestScan(storefrontId, 0),
    start() {
      if (timer || deps.pollMs <= 0) return;
      timer = setInterval(() => void tick().catch(deps.onError), deps.pollMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type FeedWebhookJobs = ReturnType<typeof createFeedWebhookJobs>;
