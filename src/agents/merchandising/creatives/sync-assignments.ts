import { createHash } from 'node:crypto';
import type { CreativeAsset, SyncCreativesSuccess } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { forwardedBuys } from '../buys/forwarded-buys.js';
import { assignmentsOnPackage, sameRouting, storedOnPackage } from '../buys/package-creatives.js';
import { applyMediaBuyUpdate } from '../buys/update/update.js';
import { parseProductId } from '../products/product-ids.js';
import {
  assignmentMessage,
  packagePolicyRefusal,
  type PolicyGate,
  productOfPackage,
} from './provenance/package.js';
import type { SyncAssignment } from './sync-request.js';

/*
 * sync_creatives' `assignments` taking effect: each creative is put on its package the way an
 * update_media_buy assigning it would (buys/update/update.ts applyMediaBuyUpdate, one update per buy:
 * the package's creatives as the storefront knows them plus the new ones, replacement
 * semantics, sent to the package's source with the manifests inline where it keeps no library),
 * so the package carries it on get_media_buys and reports it in delivery. Answered per creative
 * (creative/sync-creatives-response.json): `assigned_to` (the packages it is now on) and
 * `assignment_errors` (package id → "CODE: message"). One bad assignment never fails the rest:
 * - a package that is not one of the buyer's buys under this account, another buyer's included,
 *   is PACKAGE_NOT_FOUND, said the same way whether or not it exists;
 * - a creative neither in this sync nor in the buyer's library is CREATIVE_NOT_FOUND; one the
 *   sync refused, or archived, is not assigned (INVALID_STATE);
 * - a creative its package's product policy refuses keeps its library entry; that assignment
 *   alone is refused with the policy's code (creatives/provenance/package.ts);
 * - a creative the package carries is not judged again: re-sent on the same weight and
 *   placements it asks no source, on new ones the package's source gets them;
 * - a source that refuses the update refuses the assignments to its packages, with its words.
 */

type Row = SyncCreativesSuccess['creatives'][number];
type Pending = { assignment: SyncAssignment; row: MediaBuyRow };

/** `answered` with the outcome of `assignments` on each creative they name. */
export async function withAssignments(
  deps: MerchandisingDeps,
  assignments: SyncAssignment[],
  answered: Row[],
  sent: CreativeAsset[],
  account: { accountId: string; gate: PolicyGate },
): Promise<Row[]> {
  const outcome = new Map<string, { to: string[]; errors: Record<string, string> }>();
  const note = (a: SyncAssignment, error?: string) => {
    const entry = outcome.get(a.creative_id) ?? { to: [], errors: {} };
    if (error === undefined) entry.to.push(a.package_id);
    else entry.errors[a.package_id] = error;
    outcome.set(a.creative_id, entry);
  };
  // Answered in the order the assignments name the creatives.
  for (const { creative_id: id } of assignments) outcome.set(id, { to: [], errors: {} });
  const payloads = await assignable(deps, assignments, answered, sent);
  const packages = await packagesOf(deps, account.accountId);
  const pending: Pending[] = [];
  for (const assignment of assignments) {
    const { creative_id: creativeId, package_id: packageId } = assignment;
    const creative =
      payloads.get(creativeId) ?? `CREATIVE_NOT_FOUND: Creative ${creativeId} not found`;
    const row = packages.get(packageId);
    if (typeof creative === 'string') note(assignment, creative);
    else if (!row) note(assignment, `PACKAGE_NOT_FOUND: Package ${packageId} not found`);
    else if (onPackage(row, assignment)) {
      // Already on the package: not judged again; sent only when its weight or placements change.
      if (sameRouting(onPackage(row, assignment)!, assignment)) note(assignment);
      else pending.push({ assignment, row });
    } else {
      const productId = productOfPackage(row, packageId);
      const refusal = await packagePolicyRefusal(deps, creative, productId, account.gate);
      if (!refusal) pending.push({ assignment, row });
      else
        note(
          assignment,
          `${refusal.code}: ${assignmentMessage(creativeId, { packageId }, refusal)}`,
        );
    }
  }
  // A dry run answers what would be assigned, and sends nothing (sync-request.ts).
  const placed = account.gate.rehearsal
    ? pending.map(({ assignment }) => [assignment, undefined] as const)
    : await assignOnBuys(deps, pending);
  for (const [assignment, error] of placed) note(assignment, error);
  return answerRows(answered, outcome);
}

/**
 * Each named creative's manifest when it can be assigned, else why not: the sync's own
 * creatives as it kept them, and the buyer's library for the rest.
 */
async function assignable(
  deps: MerchandisingDeps,
  assignments: SyncAssignment[],
  answered: Row[],
  sent: CreativeAsset[],
): Promise<Map<string, Record<string, unknown> | string>> {
  const found = new Map<string, Record<string, unknown> | string>();
  for (const row of answered) {
    const creative = sent.find((c) => c.creative_id === row.creative_id);
    if (row.action === 'failed' || !creative) {
      found.set(
        row.creative_id,
        `INVALID_STATE: Creative ${row.creative_id} was not accepted by this sync`,
      );
    } else if (row.status === 'archived') {
      found.set(row.creative_id, `INVALID_STATE: Creative ${row.creative_id} is archived`);
    } else found.set(row.creative_id, { ...creative });
  }
  const others = [...new Set(assignments.map((a) => a.creative_id))].filter((id) => !found.has(id));
  if (others.length === 0) return found;
  const { storefront, principal } = agentRequest();
  const library = await deps.creativeReviews.creativesOf(
    storefront.id,
    principal.customerId,
    others,
  );
  for (const id of others) {
    const row = library.find((r) => r.creativeId === id);
    found.set(
      id,
      !row
        ? `CREATIVE_NOT_FOUND: Creative ${id} not found`
        : row.status === 'archived'
          ? `INVALID_STATE: Creative ${id} is archived; sync it again without status "archived" before assigning it`
          : row.status === 'rejected'
            ? `CREATIVE_REJECTED: Creative ${id} was rejected`
            : { ...row.submittedPayload },
    );
  }
  return found;
}

/** The buyer's placed buys under this account, by storefront package id. */
async function packagesOf(deps: MerchandisingDeps, accountId: string) {
  const rows = (await forwardedBuys(deps)).filter((row) => row.accountId === accountId);
  return new Map(
    rows.flatMap((row) =>
      (row.forwardResult ?? []).flatMap((leg) =>
        (leg.packages ?? []).map((p) => [p.packageId, row] as const),
      ),
    ),
  );
}

/**
 * One update_media_buy per buy putting its pending creatives on their packages (what each
 * package carries kept); answers each assignment's error, or undefined when its source took it.
 */
async function assignOnBuys(
  deps: MerchandisingDeps,
  pending: Pending[],
): Promise<Array<[SyncAssignment, string | undefined]>> {
  const byBuy = new Map<MediaBuyRow, SyncAssignment[]>();
  for (const { assignment, row } of pending)
    byBuy.set(row, [...(byBuy.get(row) ?? []), assignment]);
  const results: Array<[SyncAssignment, string | undefined]> = [];
  for (const [row, assigned] of byBuy) {
    const packages = [...new Set(assigned.map((a) => a.package_id))].map((packageId) => ({
      package_id: packageId,
      creative_assignments: replacedOn(row, packageId, assigned),
    }));
    const key = createHash('sha256')
      .update(
        `${agentRequest().idempotencyKey ?? ''}\n${row.mediaBuyId}@${row.updatedAt.getTime()}`,
      )
      .update(`\n${JSON.stringify(packages)}`)
      .digest('base64url')
      .slice(0, 32);
    try {
      const { outcomes } = await applyMediaBuyUpdate(deps, row.mediaBuyId, {
        media_buy_id: row.mediaBuyId,
        idempotency_key: `assign.${key}`,
        packages,
      });
      for (const a of assigned) {
        const refused = outcomes.find(
          (o) => !o.ok && parseProductId(a.package_id, [o.source.sourceId]) !== undefined,
        );
        results.push([
          a,
          refused && !refused.ok ? `${refused.error.code}: ${refused.error.message}` : undefined,
        ]);
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const said = `${typeof code === 'string' ? code : 'SERVICE_UNAVAILABLE'}: ${(error as Error).message}`;
      for (const a of assigned) results.push([a, said]);
    }
  }
  return results;
}

/** The creative's assignment on the package the assignment names, if it carries it. */
const onPackage = (row: MediaBuyRow, a: SyncAssignment) =>
  storedOnPackage(row, a.package_id).find((held) => held.creative_id === a.creative_id);

/**
 * A package's assignments once the sync's are put on it (package-update.json replaces the list):
 * what it carries, each on its own weight and placements, a re-sent one on its new terms, then
 * the new ones.
 */
function replacedOn(row: MediaBuyRow, packageId: string, assigned: SyncAssignment[]) {
  const asked = new Map(
    assigned
      .filter((a) => a.package_id === packageId)
      .map(({ package_id: _p, ...assignment }) => [assignment.creative_id, assignment] as const),
  );
  const carried = assignmentsOnPackage(row, packageId);
  const held = new Set(carried.map((a) => a.creative_id));
  return [
    ...carried.map((a) => asked.get(a.creative_id) ?? a),
    ...[...asked.values()].filter((a) => !held.has(a.creative_id)),
  ];
}

/**
 * The sync's answer with each creative's assignment outcome, in the order sent; a creative named
 * only in `assignments` answers after them: `unchanged` from the library, or `failed` unknown.
 */
function answerRows(
  answered: Row[],
  outcome: Map<string, { to: string[]; errors: Record<string, string> }>,
): Row[] {
  const outcomeOf = (id: string) => {
    const entry = outcome.get(id);
    if (!entry) return {};
    const failed = Object.keys(entry.errors).length > 0;
    return { assigned_to: entry.to, ...(failed && { assignment_errors: entry.errors }) };
  };
  const rows: Row[] = answered.map((row) => ({ ...row, ...outcomeOf(row.creative_id) }));
  for (const id of outcome.keys()) {
    if (answered.some((row) => row.creative_id === id)) continue;
    const entry = outcome.get(id)!;
    const unknown = Object.values(entry.errors).some((e) => e.startsWith('CREATIVE_NOT_FOUND'));
    rows.push(
      unknown
        ? {
            creative_id: id,
            action: 'failed',
            errors: [{ code: 'CREATIVE_NOT_FOUND', message: `Creative ${id} not found` }],
            ...outcomeOf(id),
          }
        : { creative_id: id, action: 'unchanged', ...outcomeOf(id) },
    );
  }
  return rows;
}
