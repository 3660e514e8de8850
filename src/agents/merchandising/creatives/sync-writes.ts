import { hashPayload } from '@adcp/sdk/server';
import type { SyncCreativesResponse } from '@adcp/sdk/types';
import type {
  BuyerAccount,
  InventorySource,
  SourceAnswer,
} from '../../../modules/inventory-sources/index.js';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import type { ForwardLeg, ForwardSummary } from '../../../modules/orders/index.js';
import {
  type Established,
  resolverLeaseMs,
  type WriteResolver,
} from '../../../modules/seller-writes/index.js';
import { archiveNotConfirmed } from '../../../upstream/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../deps.js';
import {
  sourceVerdict,
  storedRequest,
  targetOfIntent,
  unknownLeg,
  type WriteSubject,
} from '../buys/source-writes.js';

/*
 * A buyer's creatives sent on to its storefront's library sources (sync_creatives) as seller
 * writes (buys/source-writes.ts): each source's request recorded before it is sent, and one
 * whose answer was lost (or whose process died) sent again under its key by recovery. A sync is
 * an upsert by creative id, so sending it again is how it is established: a source that took
 * it replays its answer or takes the same creative again. Never a creative the buyer changed
 * since: the later sync carries that one.
 */

export const creativeSyncKind = 'storefront.sync_creatives';
/** What a creative sync's forward writes (its step's `records`: buys/workflow/recorded.ts). */
export const creativeSyncRecords = { kind: creativeSyncKind, tool: 'sync_creatives' } as const;

/** What a creative sync is about: the buyer's creatives on the storefront. */
export function creativesSubject(
  first: Pick<CreativeRow, 'storefrontId' | 'buyerCustomerId'>,
  buyer: BuyerAccount,
  archive: boolean,
): WriteSubject {
  return {
    subjectId: `${first.storefrontId}/creatives/${first.buyerCustomerId}`,
    storefrontId: first.storefrontId,
    customerId: first.buyerCustomerId,
    expect: { buyer: { ...buyer }, archive },
  };
}

/** The leg of one source's answer to a sync: completed, failed (with why), or in doubt. */
export function creativeLegOf(
  sourceId: string,
  answer: SourceAnswer<SyncCreativesResponse>,
  unconfirmed?: (data: SyncCreativesResponse) => string | undefined,
): ForwardLeg {
  if (!answer.ok && sourceVerdict(answer).kind === 'unknown') {
    return unknownLeg(sourceId, answer.error);
  }
  const reason = answer.ok ? unconfirmed?.(answer.data) : answer.error.message;
  if (reason === undefined) return { sourceId, status: 'completed' };
  const code = answer.ok ? 'INVALID_STATE' : answer.error.code;
  return { sourceId, status: 'failed', error: { code, message: reason } };
}

/** A creative forward's summary: complete only once no leg failed or is in doubt. */
export function creativeSummaryOf(legs: ForwardLeg[]): ForwardSummary {
  const failed = legs.filter((leg) => leg.status === 'failed').length;
  const doubt = legs.some((leg) => leg.status === 'unknown');
  return {
    outcome:
      failed === 0 && !doubt ? 'all_completed' : failed === legs.length ? 'all_failed' : 'partial',
    legs,
    error:
      failed === 0 && !doubt
        ? null
        : legs.flatMap((l) => (l.error ? [`${l.sourceId}: ${l.error.message}`] : [])).join('; '),
  };
}

/** Whether an archive sync's answer confirms every creative in it archived (or says why not). */
const archiveCheck =
  (ids: string[]) =>
  (data: SyncCreativesResponse): string | undefined =>
    ids
      .map((id) => archiveNotConfirmed(data, id, { missingConfirms: true }))
      .find((reason) => reason !== undefined);

/**
 * Establishes a creative sync whose answer was lost: the creatives still as they were sent are
 * sent again to the source under the intent's key, and the source's leg recorded on each.
 */
export function creativeSyncResolver(deps: MerchandisingDeps): WriteResolver {
  const budgetMs = deps.transactBudgetMs ?? defaultTransactBudgetMs;
  return {
    kind: creativeSyncKind,
    leaseMs: resolverLeaseMs(budgetMs),
    async establish(intent): Promise<Established> {
      const { storefrontId, sourceId } = targetOfIntent(intent);
      const sent = (Array.isArray(intent.request['creatives']) ? intent.request['creatives'] : [])
        .filter(isRecord)
        .map((c) => ({ id: String(c['creative_id']), hash: hashPayload(c) }));
      const rows = await deps.creativeReviews.creativesOf(
        storefrontId,
        intent.customerId,
        sent.map((c) => c.id),
      );
      // A creative the buyer synced again since goes with that later sync, not this one.
      const current = rows.filter(
        (row) =>
          sent.find((c) => c.id === row.creativeId)?.hash === hashPayload(row.submittedPayload),
      );
      if (current.length === 0) return { settled: 'superseded' };
      const { sellable } = await deps.sources.of(storefrontId, intent.customerId);
      const port = sellable.find((p: InventorySource) => p.source.sourceId === sourceId);
      if (!port) return { unknown: `Inventory source ${sourceId} is not active on the storefront` };
      const expect = intent.expect ?? {};
      const buyer = (isRecord(expect['buyer']) ? expect['buyer'] : {}) as BuyerAccount;
      const answer = await port.syncCreatives(storedRequest(intent, 'syncCreatives'), {
        customerId: intent.customerId,
        account: buyer,
        budgetMs,
      });
      const leg = creativeLegOf(
        sourceId,
        answer,
        expect['archive'] === true ? archiveCheck(sent.map((c) => c.id)) : undefined,
      );
      if (leg.status === 'unknown') return { unknown: leg.error?.message ?? 'No answer' };
      for (const row of current) {
        const legs = [...(row.forwardResult ?? []).filter((l) => l.sourceId !== sourceId), leg];
        await deps.creativeReviews.saveCreativeForward(row, creativeSummaryOf(legs));
      }
      return { settled: leg.status === 'completed' ? 'resent' : 'resent_refused' };
    },
  };
}
