import type { ForwardSummary, MediaBuyRow } from '../../../../modules/orders/index.js';
import type { Established, WriteResolver } from '../../../../modules/seller-writes/index.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../../deps.js';
import { forwardMediaBuy, hasUnknownLegs, summaryOf } from '../create/forward.js';
import {
  buySubject,
  forwardKind,
  forwardRecords,
  subjectOf,
  updateKind,
} from '../source-writes.js';
import { runRecorded } from '../workflow/runner.js';

/*
 * An operator's approval of a buy, and the forward it starts, as one seller write: recorded
 * before the decision is (`deciding`), settled once the forward's legs are saved. A process that
 * dies between the two (the decision committed, no source asked yet, or the legs saved and the
 * buyer's task not settled) leaves it open, and recovery finishes the forward: the buy goes to
 * its sources under the same keys (each source's write recorded as any forward's is) and the
 * buyer's task settles. A rejection is recorded the same way, before its decision, and settled
 * once the buyer's task is: one cut short between the two has the task settled as rejected by
 * recovery. The decision itself is the operator's: recorded or not, it is never made here.
 */

export const approvalKind = 'storefront.approved_forward';

/** The buy a decision's intent is about. */
type BuyOfIntent = Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId'>;

const targetOf = (row: Pick<MediaBuyRow, 'storefrontId'>) => `${row.storefrontId}/*`;

/**
 * An approved buy forwarded to its sources as a recorded write of its own (workflow/runner.ts
 * `runRecorded`): each source's request recorded before it is sent, settled once `save` kept the
 * legs. The operator's approval, recovery's forward of one, the sandbox's seeded buy.
 */
export const forwardApproved = (
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  save: (summary: ForwardSummary) => Promise<MediaBuyRow>,
) =>
  runRecorded(
    'forward an approved buy',
    forwardRecords,
    (writes) => forwardMediaBuy(deps, row, writes, save),
    deps.onError,
  );

/** Records the forward an approval is about to start (before the decision is written). */
export function beginApprovedForward(deps: MerchandisingDeps, row: MediaBuyRow) {
  const budgetMs = deps.transactBudgetMs ?? defaultTransactBudgetMs;
  // The forward's calls and their records; the decision's own write besides.
  return beginDecision(deps, row, approvalKind, 2 * budgetMs + 5000);
}

/**
 * Records an operator's decision about a buy before it is written, one per buy: its storefront
 * id is the key (buyers' own keys may coincide). The tool is the buyer's create_media_buy, the
 * task the decision settles.
 */
async function beginDecision(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  kind: string,
  leaseMs: number,
) {
  const subject = buySubject(row);
  await deps.writes.begin(
    {
      kind,
      subjectId: subject.subjectId,
      customerId: subject.customerId,
      target: targetOf(row),
      tool: 'create_media_buy',
      idempotencyKey: row.mediaBuyId,
      request: {},
    },
    leaseMs,
  );
  deps.writes.checkpoint(kind, 'before-call');
}

/** Tests only: the decision is written, the forward not begun (crash-points.ts). */
export const approvedCheckpoint = (deps: MerchandisingDeps) =>
  deps.writes.checkpoint(approvalKind, 'after-answer');

export const rejectionKind = 'storefront.rejected_decision';

/** Recording a rejection and settling its buyer's task: database writes only. */
const rejectionLeaseMs = 15_000;

/** Records the rejection an operator is about to make (before the decision is written). */
export const beginRejection = (deps: MerchandisingDeps, row: MediaBuyRow) =>
  beginDecision(deps, row, rejectionKind, rejectionLeaseMs);

/** Tests only: the rejection is written, the buyer's task not settled (crash-points.ts). */
export const rejectedCheckpoint = (deps: MerchandisingDeps) =>
  deps.writes.checkpoint(rejectionKind, 'after-answer');

/** The buyer's task of a rejected buy is settled: the rejection's write is done. */
export const settleRejection = (deps: MerchandisingDeps, row: BuyOfIntent) =>
  settleOpen(deps, row, rejectionKind);

/** The buy's open intents of `kind` are settled as answered. */
async function settleOpen(deps: MerchandisingDeps, row: BuyOfIntent, kind: string) {
  const open = await deps.writes.openOf([subjectOf(row)]);
  for (const intent of open.filter((i) => i.kind === kind)) {
    await deps.writes.settle(intent, 'answered');
  }
}

/**
 * Establishes a rejection: not rejected (the decision never committed), nothing to do; rejected,
 * the buyer's task settled as the operator's rejection (a second settle of it is a no-op).
 */
export function rejectionResolver(
  deps: MerchandisingDeps,
  decided: (row: MediaBuyRow) => Promise<void>,
): WriteResolver {
  return {
    kind: rejectionKind,
    leaseMs: 3 * rejectionLeaseMs,
    async establish(intent): Promise<Established> {
      const row = await recordOf(deps, intent.subjectId);
      if (row?.approvalStatus === 'rejected') await decided(row);
      return { settled: 'recorded' };
    },
  };
}

/** The buy an approval's or rejection's intent is about (`{storefrontId}/{mediaBuyId}`). */
function recordOf(deps: MerchandisingDeps, subjectId: string) {
  const slash = subjectId.indexOf('/');
  return deps.mediaBuys.findRecord(Number(subjectId.slice(0, slash)), subjectId.slice(slash + 1));
}

/** The forward an approval started has its legs saved: its write is done. */
export const settleApprovedForward = (deps: MerchandisingDeps, row: BuyOfIntent) =>
  settleOpen(deps, row, approvalKind);

/**
 * Establishes an approval's forward: not approved (the decision never committed, or was a
 * rejection), nothing to do; a source's write of it still open, looked at again later (that
 * write's own resolver records its leg); legs saved, the buy's outcome decided (the buyer's task
 * settles); none, the buy forwarded now, then decided.
 */
export function approvalResolver(
  deps: MerchandisingDeps,
  decided: (row: MediaBuyRow, summary: ForwardSummary) => Promise<void>,
): WriteResolver {
  const budgetMs = deps.transactBudgetMs ?? defaultTransactBudgetMs;
  return {
    kind: approvalKind,
    leaseMs: 3 * (2 * budgetMs + 5000),
    async establish(intent): Promise<Established> {
      const row = await recordOf(deps, intent.subjectId);
      if (!row || row.approvalStatus !== 'approved') return { settled: 'recorded' };
      const open = await deps.writes.openOf([intent.subjectId]);
      if (open.some((i) => i.kind === forwardKind || i.kind === updateKind)) {
        return { unknown: 'A source’s part of the forward is still being established' };
      }
      const legs = row.forwardResult ?? [];
      if (legs.length > 0) {
        if (hasUnknownLegs({ legs })) return { unknown: 'A source’s part is in doubt' };
        const summary = summaryOf(legs);
        await decided(await deps.mediaBuys.saveForward(row, summary), summary);
        return { settled: 'recorded' };
      }
      const { summary, saved } = await forwardApproved(deps, row, (forwarded) =>
        deps.mediaBuys.saveForward(row, forwarded),
      );
      await decided(saved, summary);
      return { settled: 'resent' };
    },
  };
}
