import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import {
  callLeaseMs,
  type SellerWrites,
  type Verdict,
  verdictOf,
  type WriteIntent,
} from '../../seller-writes/index.js';
import * as store from '../store.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import type { FollowUpDeps } from '../status/follow-up.js';
import type { PendingWrite } from '../tables.js';

type Json = Record<string, unknown>;

/** The kinds of seller write a campaign buy makes (their resolvers: write-recovery.ts). */
export const createKind = 'campaign.create_media_buy';
export const updateKind = 'campaign.update_media_buy';

/**
 * What a change of a placed buy leaves at its seller, and what recording it takes: the intent's
 * `expect` (the resolver looks it up in get_media_buys, and records it as the caller would).
 */
export type ChangeExpectation =
  | { operation: 'pause' | 'resume'; paused: boolean }
  | { operation: 'cancel'; whole: boolean; packageIds?: string[] }
  | {
      operation: 'update';
      name?: string;
      startTime: string;
      endTime: string;
      packages?: Array<{ packageId: string; budget?: number; bidPrice?: number }>;
      /** The buy's new AdCP goals, each package carrying those its product takes. */
      optimizationGoals?: Record<string, unknown>[];
    };

export interface WriteCallDeps extends FollowUpDeps {
  agents: {
    call(
      principal: CustomerPrincipal,
      agentId: string,
      tool: string,
      args: Json,
      options: { timeoutMs: number },
    ): Promise<ToolCallResult<Json>>;
  };
  writes: SellerWrites;
  /** Longest one call to an agent is waited for. */
  timeoutMs: number;
}

export type SentWrite =
  | { sent: true; intent: WriteIntent; result: ToolCallResult<Json>; verdict: Verdict }
  | { sent: false; reason: string };

/** The buy's columns once no write's outcome is in doubt. */
export const noPendingWrite = {
  pendingWrite: null,
  pendingWriteId: null,
  pendingWriteSince: null,
} satisfies Partial<NewMediaBuy>;

export const pendingMessage =
  'The seller’s answer was lost (a restart or a timeout); Interchange is establishing at the seller whether it took effect';

/** How long a caller holds its intent (the seller-writes rule, on an agent call's timeout). */
export const writeLeaseMs = (deps: { timeoutMs: number }) => callLeaseMs(deps.timeoutMs);

/**
 * Sends one write of a campaign buy to its agent, recorded first as an intent (modules/
 * seller-writes) and marked on the buy, so a crash or a lost answer leaves a buy that says its
 * outcome is being established (never FAILED) and a recovery that finds out at the seller. One
 * write at a time per buy: an earlier one still in doubt is established first (or, held by
 * another request, makes this one wait: `sent: false`). The caller records the answer and then
 * settles the intent, or leaves it to recovery when the answer settles nothing (`unknown`).
 */
export async function sendWrite(
  deps: WriteCallDeps,
  principal: CustomerPrincipal,
  row: MediaBuyRow,
  write: {
    operation: PendingWrite;
    tool: 'create_media_buy' | 'update_media_buy';
    key: string;
    /** The request, without its push_notification_config (this deployment's is added). */
    request: Json;
    expect?: ChangeExpectation;
  },
): Promise<SentWrite> {
  const waiting = 'An earlier change of this media buy is still being established at the seller';
  const open = await deps.writes.openOf([row.id]);
  if (open.length > 0) {
    for (const earlier of open) await deps.writes.resume(earlier);
    if ((await deps.writes.openOf([row.id])).length > 0) return { sent: false, reason: waiting };
  }
  const kind = write.tool === 'create_media_buy' ? createKind : updateKind;
  // Stored as sent, push settings included (they count in the seller's payload hash: a resend
  // under another origin would conflict), credentials excluded (they do not count).
  const push = await deps.sync.pushConfigFor(row);
  const request = { ...write.request, ...(push && { push_notification_config: push }) };
  const { intent, held } = await deps.writes.begin(
    {
      kind,
      subjectId: row.id,
      customerId: row.customerId,
      target: row.salesAgentId,
      tool: write.tool,
      idempotencyKey: write.key,
      request: withoutCredentials(request),
      expect: write.expect,
    },
    writeLeaseMs(deps),
  );
  if (!held) return { sent: false, reason: waiting };
  await store.markMediaBuyPending(deps.db, row.id, {
    pendingWrite: write.operation,
    pendingWriteId: intent.id,
    pendingWriteSince: deps.now(),
    // A buy being placed may exist at the seller from now on: it is no longer a draft.
    ...(write.operation === 'create' && { status: 'PENDING_APPROVAL', pendingReason: null }),
  });
  deps.writes.checkpoint(kind, 'before-call');
  const result = await sendStored(deps, principal, row, { ...intent, request });
  deps.writes.checkpoint(kind, 'after-answer');
  return { sent: true, intent, result, verdict: verdictOf(result) };
}

/**
 * Sends a write's request to the buy's agent under the intent's key: exactly as first sent
 * (a resend carries the push settings it was first sent with, whatever this deployment's
 * origin is now: the seller compares payloads).
 */
export async function sendStored(
  deps: WriteCallDeps,
  principal: CustomerPrincipal,
  row: MediaBuyRow,
  intent: Pick<WriteIntent, 'tool' | 'idempotencyKey' | 'request'>,
): Promise<ToolCallResult<Json>> {
  return deps.agents.call(
    principal,
    row.salesAgentId,
    intent.tool,
    { ...intent.request, idempotency_key: intent.idempotencyKey },
    { timeoutMs: deps.timeoutMs },
  );
}

/** A request as stored: push-notification credentials (secrets, not hashed by sellers) left out. */
function withoutCredentials(request: Json): Json {
  const push = request['push_notification_config'];
  if (!push || typeof push !== 'object') return request;
  const { authentication, ...rest } = push as Json;
  if (!authentication || typeof authentication !== 'object') return request;
  const { credentials: _secret, ...kept } = authentication as Json;
  return { ...request, push_notification_config: { ...rest, authentication: kept } };
}

/**
 * The answer settled nothing: the buy keeps saying its outcome is being established (a buy
 * being placed: PENDING_APPROVAL, forward_failed_retrying) and recovery takes the intent.
 */
export async function leaveToRecovery(
  deps: WriteCallDeps,
  row: MediaBuyRow,
  intent: WriteIntent,
  verdict: { reason: string; resend?: false },
): Promise<void> {
  if (row.pendingWrite === 'create' || intent.tool === 'create_media_buy') {
    await store.markMediaBuyPending(deps.db, row.id, { pendingReason: 'forward_failed_retrying' });
  }
  await deps.writes.unknown(intent, verdict.reason, {
    ...(verdict.resend === false && { resend: false }),
  });
}
