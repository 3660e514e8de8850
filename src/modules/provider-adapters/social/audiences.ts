import type { SyncAudiencesRequest, SyncAudiencesResponse } from '@adcp/sdk/types';
import type { SourceCall, SourceSocialRequest } from '../../inventory-sources/index.js';
import type { HashedMember, ProviderSocial } from '../contract.js';
import { buyerOf, type BuyScope } from '../buys/scope.js';
import { providerNameOf } from './names.js';
import * as store from './store.js';

/*
 * AdCP sync_audiences at an adapter source: each of the buyer's audiences becomes a customer
 * list in the connected account, named so a create whose answer was lost is found again, and
 * recorded under the buyer (store.ts) so another buyer's same audience_id is another
 * list. Members arrive hashed (AdCP carries SHA-256 digests); anything that is not a digest is
 * refused before it leaves us, so no raw identifier ever reaches the provider or our logs.
 */

type Audience = NonNullable<SyncAudiencesRequest['audiences']>[number];
type Member = NonNullable<Audience['add']>[number];
type Result = Extract<SyncAudiencesResponse, { audiences: unknown }>['audiences'][number];

/** Members in one sync of one audience: AdCP recommends at most 100,000 per call. */
export const maxMembersPerSync = 100_000;
const maxAudiencesPerSync = 100;

const sha256Hex = /^[0-9a-f]{64}$/;

/** A member as the provider matches it, or why it cannot be sent. */
function hashedMember(member: Member): HashedMember | string {
  const email = member.hashed_email?.toLowerCase() ?? null;
  const phone = member.hashed_phone?.toLowerCase() ?? null;
  if (email !== null && !sha256Hex.test(email)) return 'hashed_email is not a SHA-256 hex digest';
  if (phone !== null && !sha256Hex.test(phone)) return 'hashed_phone is not a SHA-256 hex digest';
  const uidEmail = member.uids?.find((u) => u.type === 'hashed_email')?.value.toLowerCase();
  if (uidEmail !== undefined && !sha256Hex.test(uidEmail)) {
    return 'a hashed_email uid is not a SHA-256 hex digest';
  }
  const maid = member.uids?.find((u) => u.type === 'maid')?.value ?? null;
  const hashed = { email: email ?? uidEmail ?? null, phone, maid };
  if (!hashed.email && !hashed.phone && !hashed.maid) {
    return 'a member needs hashed_email, hashed_phone or a maid uid';
  }
  return hashed;
}

function membersOf(audience: Audience): { add: HashedMember[]; remove: HashedMember[] } | Result {
  const removed = new Set((audience.remove ?? []).map((m) => m.external_id));
  // The same member in add and remove: remove wins (AdCP).
  const adding = (audience.add ?? []).filter((m) => !removed.has(m.external_id));
  if (adding.length + removed.size > maxMembersPerSync) {
    return failed(
      audience,
      `At most ${maxMembersPerSync} members per sync; send the rest in another`,
    );
  }
  const out = { add: [] as HashedMember[], remove: [] as HashedMember[] };
  for (const [list, members] of [
    ['add', adding],
    ['remove', audience.remove ?? []],
  ] as const) {
    for (const [i, member] of members.entries()) {
      const hashed = hashedMember(member);
      if (typeof hashed === 'string') return failed(audience, hashed, `${list}[${i}]`);
      out[list].push(hashed);
    }
  }
  return out;
}

function failed(audience: Audience, message: string, field?: string): Result {
  return {
    audience_id: audience.audience_id,
    action: 'failed',
    errors: [{ code: 'INVALID_REQUEST', message, ...(field && { field }) }],
  } as Result;
}

async function stateOf(social: ProviderSocial, scope: BuyScope, row: store.SocialObjectRow) {
  const details = row.details as { name?: string; total?: number; syncedAt?: string };
  const state = row.providerId
    ? await social.audienceState(scope.ctx, row.providerId)
    : { status: 'processing' as const, matched: null };
  return {
    audience_id: row.buyerRef,
    ...(details.name && { name: details.name }),
    ...(row.providerId && { seller_id: row.providerId }),
    status: state.status,
    total_uploaded_count: details.total ?? 0,
    ...(state.matched !== null && { matched_count: state.matched }),
    ...(details.syncedAt && { last_synced_at: details.syncedAt }),
  };
}

async function deleteOne(social: ProviderSocial, scope: BuyScope, row: store.SocialObjectRow) {
  if (row.providerId) await social.deleteAudience(scope.ctx, row.providerId);
  await store.deleteSocialObject(scope.db, row.id);
}

async function syncOne(
  social: ProviderSocial,
  scope: BuyScope,
  owner: store.SocialOwner,
  audience: Audience,
): Promise<Result> {
  if (audience.delete) {
    const row = await store.socialObject(scope.db, owner, 'audience', audience.audience_id);
    if (row) await deleteOne(social, scope, row);
    return { audience_id: audience.audience_id, action: 'deleted' } as Result;
  }
  const members = membersOf(audience);
  if ('action' in members) return members;
  const providerName = providerNameOf(owner, 'audience', audience.audience_id, audience.name);
  const { row, created } = await store.claimSocialObject(
    scope.db,
    owner,
    'audience',
    audience.audience_id,
    providerName,
    {},
  );
  let providerId = row.providerId;
  let change = { add: members.add, remove: members.remove };
  if (!providerId) {
    providerId = await social.findAudience(scope.ctx, row.providerName);
    if (!providerId) {
      const initial = social.membersAtCreate ? members.add : [];
      providerId = await social.createAudience(scope.ctx, {
        name: row.providerName,
        description: audience.description ?? null,
        initial,
      });
      change = { add: members.add.slice(initial.length), remove: members.remove };
    }
    await store.updateSocialObject(scope.db, row.id, { providerId });
  }
  if (change.add.length + change.remove.length > 0) {
    await social.changeMembers(scope.ctx, providerId, change);
  }
  const before = row.details as { total?: number };
  const details = {
    ...row.details,
    ...(audience.name !== undefined && { name: audience.name }),
    ...(audience.description !== undefined && { description: audience.description }),
    ...(audience.tags !== undefined && { tags: audience.tags }),
    ...(audience.audience_type !== undefined && { type: audience.audience_type }),
    total: (before.total ?? 0) + members.add.length,
    syncedAt: scope.now().toISOString(),
  };
  await store.updateSocialObject(scope.db, row.id, { details });
  const state = await stateOf(social, scope, { ...row, providerId, details });
  return {
    ...state,
    action: created ? 'created' : 'updated',
    uploaded_count: members.add.length,
  } as Result;
}

export async function syncAudiences(
  social: ProviderSocial,
  scope: BuyScope,
  request: SourceSocialRequest<SyncAudiencesRequest>,
  call: SourceCall,
): Promise<SyncAudiencesResponse> {
  const owner = { inventorySourceId: scope.row.id, buyerCustomerId: buyerOf(call) };
  const existing = await store.socialObjectsOf(scope.db, owner, 'audience');
  // No audiences (the SDK hands a discovery-only call over as an empty list): list the buyer's.
  if (!request.audiences?.length && !request.delete_missing) {
    const audiences = [];
    for (const row of existing) {
      audiences.push({ ...(await stateOf(social, scope, row)), action: 'unchanged' as const });
    }
    return { audiences } as SyncAudiencesResponse;
  }
  const asked = request.audiences ?? [];
  if (asked.length > maxAudiencesPerSync) {
    return {
      errors: [
        {
          code: 'INVALID_REQUEST',
          message: `At most ${maxAudiencesPerSync} audiences per sync`,
          field: 'audiences',
        },
      ],
    } as SyncAudiencesResponse;
  }
  const audiences: Result[] = [];
  for (const audience of asked) {
    audiences.push(await syncOne(social, scope, owner, audience));
  }
  if (request.delete_missing) {
    const named = new Set(asked.map((a) => a.audience_id));
    for (const row of existing.filter((r) => !named.has(r.buyerRef))) {
      await deleteOne(social, scope, row);
      audiences.push({ audience_id: row.buyerRef, action: 'deleted' } as Result);
    }
  }
  return { audiences } as SyncAudiencesResponse;
}
