import { isRecord } from '../../../platform/is-record.js';
import { mediaBuyStatuses, onlyBuyWithPackages } from '../../../sources/answers.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import {
  type Established,
  verdictOf,
  type WriteIntent,
  type WriteResolver,
} from '../../seller-writes/index.js';
import type { CampaignsContext } from '../context.js';
import { recordChange } from './operations.js';
import {
  type ChangeExpectation,
  createKind,
  noPendingWrite,
  sendStored,
  updateKind,
  writeLeaseMs,
} from './pending-writes.js';
import { recordPauseAnswer } from './pause-resume.js';
import { recordCreateAnswer, recordCreateRefused } from './seller-calls.js';
import * as store from '../store.js';
import type { MediaBuyRow } from '../store.js';
import * as syncStore from '../status/sync-store.js';

type Json = Record<string, unknown>;
type Answer = ToolCallResult<Json> & { ok: true };

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const mediaBuysOf = (result: ToolCallResult<Json>): Json[] =>
  result.ok && Array.isArray(result.data['media_buys'])
    ? result.data['media_buys'].filter(isRecord)
    : [];

/**
 * How the outcome of a campaign buy's write is established after its answer was lost (a crash,
 * a timeout, IDEMPOTENCY_EXPIRED): the seller-writes resolvers of campaigns. Each first reads
 * the buy (its request may have recorded the answer before dying), then looks the buy up at its
 * agent (get_media_buys: a create by its po_number, our buy id, across every status; a change
 * by whether the buy there shows it), and only when the agent shows nothing sends the stored
 * request again under its idempotency key, recording the answer as the request would have.
 */
export function campaignWriteResolvers(ctx: CampaignsContext): WriteResolver[] {
  const { db, deps, calls } = ctx;
  const leaseMs = 3 * writeLeaseMs(calls);

  async function subjectOf(intent: WriteIntent) {
    const row = await syncStore.findMediaBuyById(db, intent.subjectId);
    const principal = row ? await deps.actAs(row.customerId) : undefined;
    return { row, principal };
  }

  /** Sends the stored request again under its key, and records the answer. */
  async function resend(
    principal: CustomerPrincipal,
    row: MediaBuyRow,
    intent: WriteIntent,
    record: (answer: Answer) => Promise<unknown>,
    refused: (error: { code: string; message: string }) => Promise<unknown>,
  ): Promise<Established> {
    if (intent.resendBlocked) {
      return {
        unknown: `The agent ran this ${intent.tool} and answered out of its own schema; it does not show it yet, and it is not sent again, which could make it twice`,
        resend: false,
      };
    }
    const result = await sendStored(calls, principal, row, intent);
    const verdict = verdictOf(result);
    if (verdict.kind === 'unknown') {
      return { unknown: verdict.reason, ...(verdict.resend === false && { resend: false }) };
    }
    if (!result.ok) {
      await refused({
        code: verdict.kind === 'refused' ? verdict.code : 'unknown',
        message: result.error.message,
      });
      return { settled: 'resent_refused' };
    }
    await record(result);
    return { settled: 'resent' };
  }

  /**
   * An agent that echoes neither `po_number` (3.1.19's get_media_buys has none) nor `buyer_ref`,
   * for a create never to be sent again: the one buy there with exactly its packages that carries
   * neither and that none of the customer's buys on the agent records.
   */
  async function unmarkedWithPackages(row: MediaBuyRow, buys: Json[], intent: WriteIntent) {
    const known = await syncStore.sellerIdsOnAgent(db, row.customerId, row.salesAgentId);
    const pool = buys.filter(
      (b) =>
        b['po_number'] === undefined &&
        b['buyer_ref'] === undefined &&
        !known.has(str(b['media_buy_id']) ?? ''),
    );
    return onlyBuyWithPackages(pool, intent.request['packages']);
  }

  const create: WriteResolver = {
    kind: createKind,
    leaseMs,
    async establish(intent) {
      const { row, principal } = await subjectOf(intent);
      // Gone, or its outcome recorded by the request that sent it.
      if (!row || row.pendingWriteId !== intent.id) return { settled: 'recorded' };
      if (!principal) return { unknown: 'The buyer cannot act now (deactivated?)' };
      const listed = await calls.agents.call(
        principal,
        row.salesAgentId,
        'get_media_buys',
        { account: row.account, status_filter: [...mediaBuyStatuses] },
        { timeoutMs: calls.timeoutMs },
      );
      const buys = mediaBuysOf(listed);
      const found =
        buys.find((b) => b['po_number'] === row.id || b['buyer_ref'] === row.id) ??
        (intent.resendBlocked ? await unmarkedWithPackages(row, buys, intent) : undefined);
      if (found && str(found['media_buy_id'])) {
        await recordCreateAnswer(
          calls,
          row,
          { ok: true, latencyMs: 0, status: 'completed', data: found },
          null,
        );
        return { settled: 'found' };
      }
      return resend(
        principal,
        row,
        intent,
        (answer) => recordCreateAnswer(calls, row, answer, null),
        (error) => recordCreateRefused(calls, row, error, null),
      );
    },
  };

  const update: WriteResolver = {
    kind: updateKind,
    leaseMs,
    async establish(intent) {
      const { row, principal } = await subjectOf(intent);
      if (!row || row.pendingWriteId !== intent.id) return { settled: 'recorded' };
      if (!principal) return { unknown: 'The buyer cannot act now (deactivated?)' };
      const expect = intent.expect as ChangeExpectation;
      const record = (answer: Answer) =>
        expect.operation === 'pause' || expect.operation === 'resume'
          ? recordPauseAnswer(calls, row, expect.paused, answer)
          : recordChange(
              calls,
              row,
              expect as Exclude<ChangeExpectation, { paused: boolean }>,
              answer,
            );
      const listed = await calls.agents.call(
        principal,
        row.salesAgentId,
        'get_media_buys',
        { account: row.account, media_buy_ids: [row.sellerMediaBuyId] },
        { timeoutMs: calls.timeoutMs },
      );
      const there = mediaBuysOf(listed).find((b) => b['media_buy_id'] === row.sellerMediaBuyId);
      if (there && shows(there, expect)) {
        await record({ ok: true, latencyMs: 0, status: 'completed', data: there });
        return { settled: 'found' };
      }
      return resend(principal, row, intent, record, () =>
        store.updateMediaBuy(db, row.id, noPendingWrite),
      );
    },
  };

  return [create, update];
}

/** Whether the buy as its seller reports it shows the change (so it took effect). */
export function shows(buy: Json, expect: ChangeExpectation): boolean {
  const status = str(buy['status']);
  const packages = (Array.isArray(buy['packages']) ? buy['packages'] : []).filter(isRecord);
  const packageOf = (id: string) => packages.find((p) => p['package_id'] === id);
  switch (expect.operation) {
    case 'pause':
      return status === 'paused';
    case 'resume':
      return status !== undefined && status !== 'paused';
    case 'cancel':
      return expect.whole
        ? status === 'canceled'
        : (expect.packageIds ?? []).every((id) => packageOf(id)?.['canceled'] === true);
    case 'update': {
      const end = str(buy['end_time']);
      if (end && Date.parse(end) !== Date.parse(expect.endTime)) return false;
      return (expect.packages ?? []).every((change) => {
        const pkg = packageOf(change.packageId);
        if (!pkg) return false;
        if (change.budget !== undefined && pkg['budget'] !== change.budget) return false;
        if (change.bidPrice !== undefined && pkg['bid_price'] !== change.bidPrice) return false;
        return true;
      });
    }
  }
}
