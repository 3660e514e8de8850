import {
  TestControllerError,
  type ForceAdapter,
  type ForceCreativeStatusParams,
  type SeedCreativeParams,
} from '@adcp/sdk/testing';
import type { CreativeAsset } from '@adcp/sdk/types';
import type { ApprovalStatus } from '../../../modules/orders/index.js';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { sandboxAccountPrefix } from '../accounts/ids.js';
import { sandboxSourceId } from './source.js';

/** What a force scenario answers (comply-test-controller-response.json's transition arm). */
type StateTransitionSuccess = Awaited<ReturnType<ForceAdapter<ForceCreativeStatusParams>>>;

/** The creative states the storefront's library keeps, by AdCP's name (enums/creative-status). */
const stateOf: Record<string, ApprovalStatus> = {
  pending_review: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  archived: 'archived',
};
const wireOf: Record<ApprovalStatus, string> = {
  pending: 'pending_review',
  approved: 'approved',
  rejected: 'rejected',
  revoked: 'archived',
  archived: 'archived',
};

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
 * reviewing): take it out of service in the caller's library (rejected, archived), or confirm
 * the status it has, never make it approved past the operator (a pending one) or over a
 * decision (a rejected or revoked one). The source keeps what it holds: the library's status is
 * what list_creatives and the buys' creative health report (dependency_impairment).
 */
function assertLiveMove(row: CreativeRow, to: ApprovalStatus, creativeId: string): void {
  if (to === 'rejected' || to === 'archived' || to === row.status) return;
  throw new TestControllerError(
    'FORBIDDEN',
    `Creative ${creativeId} is live (a source holds it, or the operator is reviewing it): the test controller may take it out of service, not approve it`,
  );
}

/**
 * force_creative_status: the creative's state in the caller's library, as list_creatives and
 * the buys' creative approvals report it. Archived is final (INVALID_TRANSITION); `processing`
 * is a state this library never holds, so it is refused as a parameter. A live creative only
 * leaves service or keeps its status (assertLiveMove).
 */
export async function forceCreativeStatus(
  deps: MerchandisingDeps,
  params: ForceCreativeStatusParams,
): Promise<StateTransitionSuccess> {
  const { row, sandbox } = await creativeOf(deps, params.creative_id);
  const previous = wireOf[row.status];
  if (row.status === 'archived' && params.status !== 'archived') {
    throw new TestControllerError(
      'INVALID_TRANSITION',
      `Creative ${params.creative_id} is archived, a final status`,
      previous,
    );
  }
  const status = stateOf[params.status];
  if (!status) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      `This storefront keeps no creative in ${String(params.status).slice(0, 40)}`,
    );
  }
  if (!sandbox) assertLiveMove(row, status, params.creative_id);
  const reason = params.status === 'rejected' ? (params.rejection_reason ?? null) : null;
  await deps.creativeReviews.forceStatus(row.id, status, reason?.slice(0, 500) ?? null);
  return { success: true, previous_state: previous, current_state: params.status };
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
