import { TestControllerError, type SeedCreativeParams } from '@adcp/sdk/testing';
import type { CreativeAsset } from '@adcp/sdk/types';
import type { CreativeRow, CreativeStatus } from '../../../modules/creative-reviews/index.js';
import { creativeStatus31 } from '../creatives/lists.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { sandboxAccountPrefix } from '../accounts/ids.js';
import { sandboxSourceId } from './source.js';

/** The creative states the storefront's library keeps, by AdCP's name (enums/creative-status). */
const stateOf: Record<string, CreativeStatus> = {
  pending_review: 'pending',
  approved: 'approved',
  suspended: 'suspended',
  rejected: 'rejected',
  archived: 'archived',
};

/** A creative-event reason code's shape (enums/creative-event-reason-code.json, open to new ones). */
const reasonCodePattern = /^[a-z][a-z0-9_]{0,63}$/;

/** Where a seeded creative's format lives when its fixture names no agent. */
const sandboxFormatAgent = 'https://sandbox.interchange.invalid/mcp';

/**
 * A creative of the caller's library, and whether the controller may set any status on it (a
 * sandbox one: of a sandbox account, or one that reached no real source and is not waiting for
 * the operator's review) or only take it out of service (a live one: forcing it approved would
 * let a buyer approve its own creative past the operator). Another buyer's is NOT_FOUND.
 */
async function creativeOf(deps: MerchandisingDeps, creativeId: string) {
  const { storefront, principal } = agentRequest();
  const [row] = await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, [
    creativeId,
  ]);
  if (!row) throw new TestControllerError('NOT_FOUND', `No creative ${creativeId} of yours here`);
  const live = (row.forwardResult ?? []).some((leg) => leg.sourceId !== sandboxSourceId);
  const sandbox =
    row.accountId.startsWith(sandboxAccountPrefix) || (!live && row.status !== 'pending');
  return { row, sandbox };
}

/**
 * What the controller may do to a live creative (one a real source holds, or the operator is
 * reviewing): take it out of service in the caller's library (suspended, rejected, archived),
 * restore a suspended one (it was approved before: the suspension overrode no decision), or
 * confirm the status it has; never make it approved past the operator (a pending one) or over a
 * decision (a rejected or revoked one). The source keeps what it holds: the library's status is
 * what list_creatives and the buys' creative health report (dependency_impairment).
 */
function assertLiveMove(row: CreativeRow, to: CreativeStatus, creativeId: string): void {
  if (['suspended', 'rejected', 'archived', row.status].includes(to)) return;
  if (row.status === 'suspended' && to === 'approved') return;
  throw new TestControllerError(
    'FORBIDDEN',
    `Creative ${creativeId} is live (a source holds it, or the operator is reviewing it): the test controller may take it out of service, not approve it`,
  );
}

/**
 * enums/creative-status.json's moves around `suspended`: only an approved creative is suspended
 * (a recoverable dependency loss), and a suspended one goes back to approved or on to rejected.
 */
function assertTransition(from: CreativeStatus, to: CreativeStatus, creativeId: string): void {
  const previous = creativeStatus31[from];
  const refuse = (why: string) => {
    throw new TestControllerError('INVALID_TRANSITION', `Creative ${creativeId} ${why}`, previous);
  };
  if (from === to) return;
  if (to === 'suspended' && from !== 'approved') {
    refuse(`is ${previous}: only an approved creative can be suspended`);
  }
  if (from === 'suspended' && to !== 'approved' && to !== 'rejected') {
    refuse(`is suspended: it returns to approved or goes on to rejected`);
  }
}

/**
 * force_creative_status, answered ahead of @adcp/sdk's controller (whose 3.0.6 enum has no
 * `suspended`, and which passes on no reason but `rejection_reason`): the creative's state in
 * the caller's library, as list_creatives and the buys' creative approvals and impairments
 * report it, with the seller's reason (`reason_code`, `reason_detail` or a rejection's
 * `rejection_reason`). `processing` is a state this library never holds, so it is refused as a
 * parameter. A live creative only leaves service, returns from a suspension or keeps its status
 * (assertLiveMove).
 */
export async function forceCreativeStatus(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { creative_id: creativeId, status: wanted, reason_code: code } = params;
  if (typeof creativeId !== 'string' || creativeId === '' || typeof wanted !== 'string') {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'force_creative_status requires params.creative_id and params.status',
    );
  }
  if (code !== undefined && (typeof code !== 'string' || !reasonCodePattern.test(code))) {
    throw new TestControllerError('INVALID_PARAMS', 'reason_code must be a creative event reason');
  }
  const { row, sandbox } = await creativeOf(deps, creativeId);
  const previous = creativeStatus31[row.status];
  if (row.status === 'archived' && wanted !== 'archived') {
    throw new TestControllerError(
      'INVALID_TRANSITION',
      `Creative ${creativeId} is archived, a final status`,
      previous,
    );
  }
  const status = stateOf[wanted];
  if (!status) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      `This storefront keeps no creative in ${wanted.slice(0, 40)}`,
    );
  }
  assertTransition(row.status, status, creativeId);
  if (!sandbox) assertLiveMove(row, status, creativeId);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const detail = text(params['reason_detail']);
  const reason = status === 'rejected' ? (text(params['rejection_reason']) ?? detail) : detail;
  const kept = status === 'rejected' || status === 'suspended';
  const notes = kept ? (reason?.slice(0, 500) ?? null) : null;
  await deps.creativeReviews.forceStatus(row.id, status, notes, code ?? null);
  // A seller-side move: the account's lifecycle subscribers hear of it (creative-lifecycle.ts).
  await deps.creativeLifecycle?.statusChanged({
    storefrontId: row.storefrontId,
    buyerCustomerId: row.buyerCustomerId,
    accountId: row.accountId,
    creativeId,
    from: previous,
    to: creativeStatus31[status],
    reasonCode: code ?? null,
    reasonDetail: notes,
    observedAt: new Date(),
  });
  return { success: true, previous_state: previous, current_state: wanted };
}

/**
 * force_creative_purge (3.1; compliance/comply-test-controller-request.json): destroys a creative
 * of the caller's library, `soft` (the default the spec advises: a tombstone list_creatives shows
 * with include_purged) or `hard` (no content kept), for the seller's reason (`reason_code`, by
 * default retention_expired for a soft purge and legal_erasure for a hard one). The creative is
 * gone: not listed, not assignable, not sent inline; its buys read it offline (an impairment).
 * `creative.purged` fires to the account's subscribers that asked for it. A creative is purged
 * once: a purged one is NOT_FOUND, as another buyer's is. The answer is a state transition from
 * its last status to `purged`.
 */
export async function forceCreativePurge(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { creative_id: creativeId, purge_kind: wanted, reason_code: code } = params;
  if (typeof creativeId !== 'string' || creativeId === '') {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'force_creative_purge requires params.creative_id',
    );
  }
  if (wanted !== undefined && wanted !== 'soft' && wanted !== 'hard') {
    throw new TestControllerError('INVALID_PARAMS', 'purge_kind is soft or hard');
  }
  if (code !== undefined && (typeof code !== 'string' || !reasonCodePattern.test(code))) {
    throw new TestControllerError('INVALID_PARAMS', 'reason_code must be a creative event reason');
  }
  const { row } = await creativeOf(deps, creativeId);
  const kind = wanted ?? 'soft';
  const reason = code ?? (kind === 'hard' ? 'legal_erasure' : 'retention_expired');
  const detail = params['reason_detail'];
  const at = new Date();
  await deps.creativeReviews.purge(row, kind, reason, at);
  await deps.creativeLifecycle?.purged({
    storefrontId: row.storefrontId,
    buyerCustomerId: row.buyerCustomerId,
    accountId: row.accountId,
    creativeId,
    kind,
    reasonCode: reason,
    reasonDetail: typeof detail === 'string' ? detail : null,
    purgedAt: at,
  });
  return {
    success: true,
    previous_state: creativeStatus31[row.status],
    current_state: 'purged',
    message: `Creative ${creativeId} ${kind}-purged (${reason})`,
  };
}

/**
 * seed_creative (pagination_integrity's `fixtures.creatives`): a creative in the caller's
 * library under a sandbox account of its own, in the fixture's status (approved when it names
 * none), as sync_creatives would keep it; nothing is sent to a source. Re-seeding the same
 * fixture keeps it (the SDK's replay check refuses a divergent one).
 */
export async function seedCreative(
  deps: MerchandisingDeps,
  params: SeedCreativeParams,
): Promise<void> {
  const { storefront, principal } = agentRequest();
  const fixture = params.fixture;
  const status = stateOf[String(fixture['status'] ?? 'approved')];
  if (!status) throw new TestControllerError('INVALID_PARAMS', 'Unknown fixture.status');
  const format = (fixture['format_id'] ?? { id: 'display_300x250' }) as Record<string, unknown>;
  const payload = {
    ...fixture,
    creative_id: params.creative_id,
    name: typeof fixture['name'] === 'string' ? fixture['name'] : params.creative_id,
    format_id: { agent_url: sandboxFormatAgent, ...format },
    assets: (fixture['assets'] as CreativeAsset['assets'] | undefined) ?? {},
  } as CreativeAsset;
  const [existing] = await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, [
    params.creative_id,
  ]);
  if (existing && !existing.accountId.startsWith(sandboxAccountPrefix)) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      `creative_id ${params.creative_id} names a live creative of yours; seed another id`,
    );
  }
  const { row } = await deps.creativeReviews.upsertCreative({
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
    creativeId: params.creative_id,
    mediaBuyId: null,
    accountId: `${sandboxAccountPrefix}buyer_${principal.customerId}`,
    submittedPayload: payload,
    status,
  });
  if (row.status !== status) await deps.creativeReviews.forceStatus(row.id, status, null);
}
