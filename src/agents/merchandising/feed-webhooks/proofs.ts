import { z } from 'zod';
import {
  type CallerAccounts,
  challengeBudget,
  type NotificationConfig31,
  perMinuteBudget,
  type UrlRefusal,
} from '../../adcp31/accounts/index.js';
import type { AccountNotifications } from '../../../modules/account-notifications/index.js';
import { defineJob, type JobQueue } from '../../../platform/jobs/index.js';
import { callerAccounts, wireConfigOf } from './caller-accounts.js';

/** Challenges one buyer on one storefront sends at most per minute, on one instance. */
export const challengesPerBuyerMinute = 60;
/** Runs of the proving job after its first before a subscriber still unproved is refused. */
export const proofRetries = 6;

type Prove = (
  sellerAgentUrl: string,
  accountId: string,
  config: NotificationConfig31,
  timeoutMs: number,
) => Promise<UrlRefusal | undefined>;

/**
 * The buyers' accounts on storefronts (AdCP 3.1 sync_accounts; caller-accounts.ts) with the
 * proof of control of their webhook subscribers bounded: a sync_accounts call challenges within
 * its budget (adcp31/accounts/challenge-budget.ts) and the buyer's budget per minute here; an
 * active subscriber it could not prove then is kept inactive, pending, and proved later by the
 * durable job `account-webhooks.prove` (one per account, one waiting per account): each run
 * challenges the account's pending subscribers within the same budgets, makes each one that
 * answers active, and retries the rest with backoff; after `proofRetries` retries a subscriber
 * still unproved is refused (kept inactive, the reason shown by list_accounts).
 */
export function accountsWithProofs(options: {
  store: AccountNotifications;
  allowPrivateNetwork: boolean;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  prove: Prove;
  /** A storefront's subscribers changed (one was made active). */
  onReplaced: (storefrontId: number) => void;
}): (sellerAgentUrl: string) => CallerAccounts {
  const { store } = options;
  const admit = perMinuteBudget(challengesPerBuyerMinute);
  const job = defineJob({
    name: 'account-webhooks.prove',
    payload: z.object({
      storefrontId: z.number().int(),
      buyerCustomerId: z.number().int(),
      accountId: z.string().min(1).max(512),
      sellerAgentUrl: z.string().min(1).max(2048),
    }),
    singleton: 'queued',
    concurrency: 1,
    retry: { limit: proofRetries, delaySeconds: 30, backoff: true },
    timeoutSeconds: 120,
    handler: async ({ sellerAgentUrl, ...key }, context) => {
      const budget = challengeBudget(() => admit(`${key.storefrontId}:${key.buyerCustomerId}`));
      const last = context.retryCount >= proofRetries;
      let left = 0;
      let proven = false;
      for (const stored of await store.configsOf(key)) {
        if (stored.held?.proof !== 'pending') continue;
        const at = { ...key, subscriberId: stored.subscriberId };
        const turn = budget.take(stored.url);
        const refusal =
          'deferred' in turn
            ? { message: `not challenged: ${turn.deferred}` }
            : await options.prove(
                sellerAgentUrl,
                key.accountId,
                wireConfigOf(stored),
                turn.timeoutMs,
              );
        if (!refusal) {
          proven = (await store.settleProof(at, stored.url, { proven: true })) || proven;
          continue;
        }
        if ('timeoutMs' in turn) budget.failed(stored.url);
        if (last)
          await store.settleProof(at, stored.url, { proven: false, reason: refusal.message });
        else left += 1;
      }
      if (proven) options.onReplaced(key.storefrontId);
      if (left > 0) throw new Error(`${left} webhook subscriber(s) of an account still to prove`);
    },
  });
  options.jobs.define(job);
  return (sellerAgentUrl) =>
    callerAccounts({
      store,
      allowPrivateNetwork: options.allowPrivateNetwork,
      prove: (accountId, config, timeoutMs) =>
        options.prove(sellerAgentUrl, accountId, config, timeoutMs),
      admit,
      async provePending(key) {
        if (!options.jobs.isStarted()) return;
        await options.jobs.send(
          job,
          { ...key, sellerAgentUrl },
          { singletonKey: `${key.storefrontId}:${key.buyerCustomerId}:${key.accountId}` },
        );
      },
      onReplaced: options.onReplaced,
    });
}
