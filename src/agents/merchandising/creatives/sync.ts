import type {
  AccountReference,
  CreativeAsset,
  SyncCreativesResponse,
  SyncCreativesSuccess,
} from '@adcp/sdk/types';
import type { BuyerAccount } from '../../../modules/inventory-sources/index.js';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import type { ForwardSummary } from '../../../modules/orders/index.js';

import { AdcpError } from '@adcp/sdk/server';
import { archiveNotConfirmed } from '../../../upstream/index.js';
import { agentRequest, assertCallerMayTransact } from '../caller.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../deps.js';
import { upstreamIdempotencyKey } from '../buys/create/forward.js';
import { unassignArchived } from './withdrawal.js';
import { askEach } from '../../../sources/fan-out.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { creativeStatusHeld, speaks31 } from '../../adcp31/index.js';
import { formatLimitRefusal } from './format-limits.js';
import { formatLimitsWaitMs, formatsNamed } from './lists.js';
import { provenanceRefusals } from './provenance/gate.js';
import type { ProvenanceRefusal } from './provenance/policy.js';
import { rehearsing, requestedAssignments } from './sync-request.js';
import { withAssignments } from './sync-assignments.js';
import { runRecorded } from '../buys/workflow/runner.js';
import {
  creativeLegOf,
  creativeSummaryOf,
  creativesSubject,
  creativeSyncRecords,
} from './sync-writes.js';

/**
 * sync_creatives through a storefront. Every creative is kept in the storefront's library
 * (inline-transport sources get them on packages from here). creativeApproval manual queues a
 * new creative for review (`pending_review`); a decided one reports its decision. In auto
 * mode, or once approved, creatives go to every source that keeps a creative library.
 *
 * A creative sent with `status: "archived"` is the buyer withdrawing it (core/creative-asset.json
 * `status`; enums/creative-status.json: "archived by the buyer and excluded from default
 * queries"): it is marked archived, taken off the buyer's packages (withdrawal.ts) and
 * sent on, archived, to the library sources that got it. Synced again without that status, it
 * is unarchived (store.upsertCreative).
 */
export async function syncCreatives(
  deps: MerchandisingDeps,
  creatives: CreativeAsset[],
  account: { accountId: string; reference?: AccountReference; sandbox?: boolean },
  idempotencyKey: string | undefined,
): Promise<SyncCreativesSuccess['creatives']> {
  const { accountId } = account;
  const { storefront } = agentRequest();
  const principal = assertCallerMayTransact(storefront.id);
  const manual = storefront.creativeApproval === 'manual';
  const scope = sandboxScope(storefront.id, principal.customerId);
  const unchecked = speaks31() ? await refuseOverFormatLimits(deps, creatives) : new Map();
  // A dry run is judged as a sync is, and changes nothing (sync-request.ts).
  const gate = { sandbox: account.sandbox === true, scope, rehearsal: rehearsing() };
  // Creatives meet the creative policies of the products they can serve on (creatives/provenance/gate.ts).
  const refused = await provenanceRefusals(deps, creatives, gate);
  if (gate.rehearsal) {
    const answered = withWarnings(await rehearsal(deps, creatives, refused, manual), unchecked);
    return withAssignments(deps, requestedAssignments(), answered, creatives, {
      accountId,
      gate,
    });
  }
  const rows = [];
  for (const creative of creatives) {
    // Not kept: a creative the policy refuses is neither stored nor sent on.
    if (refused.has(creative.creative_id)) continue;
    const { row, created } = await deps.creativeReviews.upsertCreative({
      storefrontId: storefront.id,
      buyerCustomerId: principal.customerId,
      creativeId: creative.creative_id,
      accountId,
      submittedPayload: creative,
      status: creative.status === 'archived' ? 'archived' : manual ? 'pending' : 'approved',
    });
    rows.push({ row, created });
  }
  const approved = rows.filter(({ row }) => row.status === 'approved').map(({ row }) => row);
  // The storefront keeps an approved creative whatever its sources answer; a source that did
  // not take it (down, or refusing the account named, source-kinds/agent/accounts.ts) is said per creative,
  // so the buyer does not believe the seller holds it.
  let notTaken: string[] = [];
  if (approved.length > 0) {
    const summary = await forwardCreatives(deps, approved, idempotencyKey ?? `sync-${Date.now()}`, {
      account: account.reference,
    });
    notTaken = summary.legs.flatMap((leg) => (leg.error ? [leg.error.message] : []));
  }
  const withdrawn = await withdraw(
    deps,
    rows.filter(({ row }) => row.status === 'archived').map(({ row }) => row),
    account.reference,
  );
  const answered = rows.map(({ row, created }) => answerOf(row, created, withdrawn, notTaken));
  const ordered = withWarnings(
    refused.size === 0 ? answered : inSentOrder(creatives, answered, refused),
    unchecked,
  );
  // The request's assignments, put on the packages they name (sync-assignments.ts).
  const assignments = requestedAssignments();
  if (assignments.length === 0) return ordered;
  return withAssignments(deps, assignments, ordered, creatives, { accountId, gate });
}

/**
 * A dry run's answer: what the sync would say of each creative, nothing kept, sent or withdrawn.
 * Its action from the library as it stands (`created`, else `updated`) and its status as
 * store.upsertCreative would set it (archived when sent archived; else the status it holds, or
 * the review mode's for a new or unarchived one). The assignments are judged after, as a sync
 * judges them, without the update placing them (sync-assignments.ts).
 */
async function rehearsal(
  deps: MerchandisingDeps,
  creatives: CreativeAsset[],
  refused: Map<string, ProvenanceRefusal>,
  manual: boolean,
): Promise<SyncCreativesSuccess['creatives']> {
  const { storefront, principal } = agentRequest();
  const kept = creatives.filter((creative) => !refused.has(creative.creative_id));
  const library = await deps.creativeReviews.creativesOf(
    storefront.id,
    principal.customerId,
    kept.map((creative) => creative.creative_id),
  );
  const heldById = new Map(library.map((row) => [row.creativeId, row] as const));
  const answered = kept.map((creative) => {
    const held = heldById.get(creative.creative_id);
    const status = rehearsedStatus(creative.status === 'archived', held?.status, manual);
    const row = { creativeId: creative.creative_id, status, reviewerNotes: held?.reviewerNotes };
    return answerOf(row, held === undefined, [], []);
  });
  return inSentOrder(creatives, answered, refused);
}

/** The status a sync would give a creative: store.upsertCreative's rule, stored nowhere. */
function rehearsedStatus(
  archiving: boolean,
  held: CreativeRow['status'] | undefined,
  manual: boolean,
): CreativeRow['status'] {
  if (archiving) return 'archived';
  if (held !== undefined && held !== 'archived') return held;
  return manual ? 'pending' : 'approved';
}

/** The answer in the order the buyer sent the creatives, the refused ones failed. */
function inSentOrder(
  creatives: CreativeAsset[],
  answered: SyncCreativesSuccess['creatives'],
  refused: Map<string, ProvenanceRefusal>,
): SyncCreativesSuccess['creatives'] {
  const byId = new Map(answered.map((entry) => [entry.creative_id, entry]));
  return creatives.flatMap((creative) => {
    const refusal = refused.get(creative.creative_id);
    const entry = refusal
      ? { creative_id: creative.creative_id, action: 'failed' as const, errors: [refusal] }
      : byId.get(creative.creative_id);
    return entry ? [entry] : [];
  });
}

/**
 * A 3.1 caller's creatives against the limits of the formats they name, as the storefront lists
 * them (its sandbox's and its sources', lists.ts formatsNamed; format-limits.ts): the
 * first creative over one refuses the whole sync, nothing kept or sent (3.1 sync_creatives'
 * default `validation_mode`, strict, "fails entire sync on any validation error"). A 3.0
 * caller's are left to the source, as before 3.1 (its release has no CREATIVE_VALUE_NOT_ALLOWED).
 * Answers, per creative, why its format's limits were not checked (a source too slow to list it).
 */
async function refuseOverFormatLimits(
  deps: MerchandisingDeps,
  creatives: CreativeAsset[],
): Promise<Map<string, string>> {
  const { formats, late } = await formatsNamed(deps, creatives);
  for (const [index, creative] of creatives.entries()) {
    const refusal = formatLimitRefusal({ ...creative }, index, formats);
    // enums/error-code.json: both are correctable (the buyer fixes the asset and resubmits).
    if (refusal) throw new AdcpError(refusal.code, { ...refusal, recovery: 'correctable' });
  }
  const unchecked = new Map<string, string>();
  for (const creative of creatives) {
    const id = creative.format_id as { agent_url?: string; id?: string } | undefined;
    const sources = late.get(`${id?.agent_url}\n${id?.id}`);
    if (!sources) continue;
    unchecked.set(
      creative.creative_id,
      `Format ${id?.id} was not checked against its limits: ${sources.join(', ')} did not list it within ${formatLimitsWaitMs(deps)} ms; its seller judges the creative`,
    );
  }
  return unchecked;
}

/** The advisory of a creative whose format's limits were not checked, on its answer. */
function withWarnings(
  answered: SyncCreativesSuccess['creatives'],
  unchecked: Map<string, string>,
): SyncCreativesSuccess['creatives'] {
  if (unchecked.size === 0) return answered;
  return answered.map((entry) => {
    const warning = unchecked.get(entry.creative_id);
    if (!warning || entry.action === 'failed') return entry;
    return { ...entry, warnings: [...(entry.warnings ?? []), warning] };
  });
}

/** What the buyer is told of one creative the storefront kept. */
function answerOf(
  row: Pick<CreativeRow, 'creativeId' | 'status'> & { reviewerNotes?: string | null | undefined },
  created: boolean,
  withdrawn: string[],
  notTaken: string[],
) {
  if (row.status === 'archived') {
    // Withdrawal problems are reported, never swallowed: the buyer keeps its creative and
    // retries rather than believing it stopped serving.
    return withdrawn.length === 0
      ? { creative_id: row.creativeId, action: 'updated' as const, status: 'archived' as const }
      : {
          creative_id: row.creativeId,
          action: 'failed' as const,
          errors: withdrawn.map((message) => ({ code: 'SERVICE_UNAVAILABLE', message })),
        };
  }
  if (row.status === 'pending')
    return {
      creative_id: row.creativeId,
      action: created ? ('created' as const) : ('updated' as const),
      status: 'pending_review' as const,
    };
  if (row.status === 'suspended') {
    // Re-synced while suspended: kept so (as a rejected one stays rejected); it serves again
    // once the seller restores it (3.1 reads `suspended`, 3.0 its nearest status).
    return {
      creative_id: row.creativeId,
      action: created ? ('created' as const) : ('updated' as const),
      ...creativeStatusHeld('suspended', speaks31()),
    };
  }
  if (row.status === 'rejected') {
    return {
      creative_id: row.creativeId,
      action: 'failed' as const,
      status: 'rejected' as const,
      ...(row.reviewerNotes && {
        errors: [{ code: 'CREATIVE_REJECTED', message: row.reviewerNotes }],
      }),
    };
  }
  return {
    creative_id: row.creativeId,
    action: created ? ('created' as const) : ('updated' as const),
    status: 'approved' as const,
    ...(notTaken.length > 0 && { warnings: notTaken }),
  };
}

/**
 * Withdraws archived creatives: off the buyer's packages first (what serves), then archived at
 * the library sources that had taken them. Answers what failed.
 */
async function withdraw(
  deps: MerchandisingDeps,
  archived: CreativeRow[],
  reference: AccountReference | undefined,
): Promise<string[]> {
  if (archived.length === 0) return [];
  const problems = await unassignArchived(deps, new Set(archived.map((row) => row.creativeId)));
  // Sent to the sources only if it ever was (a creative still pending review never left); a
  // failed leg, of the first forward or of an earlier archive, is tried again.
  const forwarded = archived.filter((row) => (row.forwardResult?.length ?? 0) > 0);
  if (forwarded.length > 0) {
    // A new key per archiving (updatedAt moves with every sync): archived again after an
    // unarchive, the source must not replay the earlier answer.
    const key = forwarded.map((row) => `${row.creativeId}@${row.updatedAt.getTime()}`).join(',');
    // A source that reports one in another status (approved…) has not withdrawn it: its leg
    // fails, and the next archive asks it again. An answer not naming it is accepted here:
    // @adcp/sdk's example sellers answer sync_creatives under ids of their own, and what serves
    // (the packages) was already cleared above.
    const summary = await forwardCreatives(
      deps,
      forwarded,
      `archive-${key}`,
      { account: reference },
      (data) =>
        forwarded
          .map((row) => archiveNotConfirmed(data, row.creativeId, { missingConfirms: true }))
          .find((reason) => reason !== undefined),
    );
    if (summary.error) problems.push(summary.error);
  }
  return problems;
}

/**
 * Sends creatives to every active source that keeps a creative library (seed 003 transport),
 * each asked with its account for `buyer` (source-kinds/agent/accounts.ts), and records each
 * source's leg on every creative. `unconfirmed`, when given, reads a source's answer and says
 * why it did not do what was asked (its leg then fails). A leg whose answer was lost is
 * `unknown` until recovery sent it again (sync-writes.ts).
 */
export async function forwardCreatives(
  deps: MerchandisingDeps,
  rows: CreativeRow[],
  buyerKey: string,
  buyer: BuyerAccount,
  unconfirmed?: (data: SyncCreativesResponse) => string | undefined,
): Promise<ForwardSummary> {
  const first = rows[0];
  if (!first) return { outcome: 'all_completed', legs: [], error: null };
  const { sellable } = await deps.sources.of(first.storefrontId, first.buyerCustomerId);
  const sources = sellable.filter((port) => port.creativeTransport === 'library');
  const call = {
    customerId: first.buyerCustomerId,
    account: buyer,
    budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
  };
  // Each source's request is recorded before it is sent, settled once the legs are kept on
  // every creative (workflow/recorded.ts); one in doubt is recovery's (sync-writes.ts).
  return runRecorded(
    'forward creatives',
    creativeSyncRecords,
    async (writes) => {
      const sent = writes.about(deps, creativesSubject(first, buyer, unconfirmed !== undefined));
      const outcomes = await askEach<SyncCreativesResponse>(sources, (port) => {
        const asked = {
          creatives: rows.map((row) => row.submittedPayload),
          idempotency_key: upstreamIdempotencyKey(
            first.storefrontId,
            first.buyerCustomerId,
            buyerKey,
            port.source.sourceId,
          ),
        };
        return sent.send(port, asked, () => port.syncCreatives(asked, call));
      });
      const summary = creativeSummaryOf(
        outcomes.map((o) => creativeLegOf(o.source.sourceId, o, unconfirmed)),
      );
      await Promise.all(rows.map((row) => deps.creativeReviews.saveCreativeForward(row, summary)));
      sent.kept(summary.legs);
      return summary;
    },
    deps.onError,
  );
}
