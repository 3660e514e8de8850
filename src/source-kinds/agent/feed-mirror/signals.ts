import { randomUUID } from 'node:crypto';
import type { FeedSignals, FeedSignalState } from '../../../modules/feed-signals/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import { sourceAnswerDigest } from '../answer-cache.js';
import type { FeedMirrorKey } from './store.js';

/** Sends sync_accounts to the source as the mirror's own account there (the operator's). */
export type SendSyncAccounts = (
  args: Record<string, unknown>,
  timeoutMs: number,
) => Promise<ToolCallResult<unknown>>;

export interface MirrorSignalOptions {
  signals: Pick<FeedSignals, 'stateOf' | 'claim' | 'settle'>;
  /** Where the source posts this subscription's webhooks (our origin, the agents' route). */
  receiverUrl: (subscriptionId: string) => string;
  /**
   * Safety net: a set answered without asking the source is at most this old since the source
   * last confirmed it; default 60 s (a webhook the source gave up on, or lost, costs a buyer at
   * most a minute, and a busy mirror one probe a minute per account).
   */
  maxQuietMs?: number;
  /** How long a confirmed subscription counts before it is confirmed again; default 1 h. */
  confirmedForMs?: number;
  /** How long after a refused or failed subscription it is tried again; default 10 min. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/** The spec's wholesale feed events a storefront emits (core/notification-config.json). */
const eventTypes = [
  'product.created',
  'product.updated',
  'product.priced',
  'product.removed',
  'wholesale_feed.bulk_change',
];

/**
 * The mirror's feed webhook subscriptions (issue 49 item 6): a mirrored source asked under the
 * storefront's own credential is subscribed to at the source (AdCP 3.1 sync_accounts
 * `notification_configs` on the account the mirror asks under, pointing at our receiver, which
 * answers the source's challenge). While the subscription is confirmed and no signal arrived
 * since a set was confirmed, `quiet` says the set may be served without asking the source.
 * Subscriptions are keyed by source row, credential and account, not by buyer: at the source,
 * sync_accounts replaces an account's subscribers, so one subscription per account there.
 */
export function createMirrorSignals(options: MirrorSignalOptions) {
  const { signals } = options;
  const maxQuietMs = options.maxQuietMs ?? 60_000;
  const confirmedForMs = options.confirmedForMs ?? 3_600_000;
  const retryMs = options.retryMs ?? 600_000;
  const onError = options.onError ?? (() => undefined);

  const keyOf = (key: FeedMirrorKey, wholesale: Record<string, unknown>) =>
    sourceAnswerDigest({
      customerId: 0,
      source: key.source,
      credential: key.credential,
      tool: 'feed_signals',
      args: { account: wholesale['account'] ?? null },
    });

  async function subscribe(
    keyDigest: string,
    key: FeedMirrorKey,
    account: unknown,
    send: SendSyncAccounts,
  ): Promise<void> {
    const id = await signals.claim({
      keyDigest,
      sourceId: key.source.id,
      sourceUrl: key.source.endpointUrl,
      pendingUntil: new Date(Date.now() + 60_000),
    });
    if (!id) return;
    const subscriberId = `interchange-mirror-${id.slice(4, 20)}`;
    const result = await send(
      {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        accounts: [
          {
            ...accountEntry(account),
            notification_configs: [
              {
                subscriber_id: subscriberId,
                url: options.receiverUrl(id),
                event_types: eventTypes,
                active: true,
              },
            ],
          },
        ],
      },
      30_000,
    );
    const ok = confirmed(result, subscriberId);
    await signals.settle(
      id,
      ok ? 'active' : 'failed',
      new Date(Date.now() + (ok ? confirmedForMs : retryMs)),
    );
  }

  return {
    /** The subscription's state for this key (undefined: none, or it could not be read). */
    async stateOf(key: FeedMirrorKey, wholesale: Record<string, unknown>) {
      const digest = keyOf(key, wholesale);
      const state = await signals.stateOf(digest).catch((error: unknown) => {
        onError(error);
        return undefined;
      });
      return { digest, state };
    },
    /** Whether a set confirmed at `confirmedAt` under `signalSeq` may be served unasked. */
    quiet(
      state: FeedSignalState | undefined,
      held: { signalSeq?: number; confirmedAt: number },
      now: number,
    ) {
      return (
        state !== undefined &&
        state.status === 'active' &&
        state.validUntil.getTime() > Date.now() &&
        held.signalSeq === state.signalSeq &&
        now - held.confirmedAt < maxQuietMs
      );
    },
    /** Subscribes in the background when no confirmed subscription holds for the key. */
    ensure(
      digest: string,
      state: FeedSignalState | undefined,
      key: FeedMirrorKey,
      wholesale: Record<string, unknown>,
      send: SendSyncAccounts,
    ): void {
      if (state && state.validUntil.getTime() > Date.now()) return;
      void subscribe(digest, key, wholesale['account'], send).catch(onError);
    },
  };
}

export type MirrorSignals = ReturnType<typeof createMirrorSignals>;

/** The account the mirror asks under, as a sync_accounts entry names it. */
function accountEntry(account: unknown): Record<string, unknown> {
  if (!isRecord(account)) return {};
  if (typeof account['account_id'] === 'string') return { account: account };
  const { brand, operator, sandbox } = account;
  return { brand, operator, ...(sandbox === true && { sandbox: true }) };
}

/** The source answered the account active with our subscriber active. */
function confirmed(result: ToolCallResult<unknown>, subscriberId: string): boolean {
  if (!result.ok || result.status !== 'completed' || !isRecord(result.data)) return false;
  const accounts = result.data['accounts'];
  const row: unknown = Array.isArray(accounts) ? accounts[0] : undefined;
  if (!isRecord(row) || row['action'] === 'failed') return false;
  const configs = Array.isArray(row['notification_configs']) ? row['notification_configs'] : [];
  return configs.some(
    (c) => isRecord(c) && c['subscriber_id'] === subscriberId && c['active'] !== false,
  );
}
