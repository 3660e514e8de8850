import type { Db } from '../../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { baselineIntact, type PreviewBaseline } from './baseline.js';
import {
  dropStaged,
  lockFeedHead,
  markCommitted,
  retireOtherRevisions,
  upsertStagedAvails,
} from './commit-store.js';
import { findRevision, type RevisionRow } from './revisions-store.js';

export interface CommitInput {
  feedId: string;
  previewBaseline: PreviewBaseline;
  /** The revision as the preview answered it: only its id and digest are compared (never re-read). */
  revision?: { revisionId: string; contentDigest: string } | undefined;
}

export interface Committed {
  revision: RevisionRow;
  replayed: boolean;
  ingested: number;
  /** Avails the commit took off sale (a replay applies nothing, so says nothing). */
  offSale?: number;
}

export const staleBaseline = (message: string) =>
  new AppError('unprocessable', message, { code: 'STALE_PREVIEW_BASELINE' });

/**
 * Promotes a previewed revision to the feed head, exactly as previewed: the baseline must be the
 * one this deployment signed (else 400: altered), name this source's feed and a revision of its
 * own, and the head must still be the one the preview saw (else 422 STALE_PREVIEW_BASELINE); the
 * source row is locked while it is checked and applied, so two commits never both pass. The
 * staged avails are upserted in one statement (capacity held or booked is kept); a full
 * replacement retires avails the revision no longer lists. Sent again, it answers the first
 * commit (replayed), applying nothing twice.
 */
export async function commitRevision(
  ctx: ModularContext,
  owned: OwnedModular,
  key: Buffer,
  input: CommitInput,
): Promise<Committed> {
  const baseline = input.previewBaseline;
  if (!baselineIntact(key, baseline)) {
    throw invalid(
      'previewBaseline was altered: send it exactly as the preview answered it',
      'previewBaseline',
    );
  }
  if (input.feedId !== owned.modular.feedId) throw notFound('Feed');
  if (
    baseline.sourceId !== owned.row.sourceId ||
    baseline.customerId !== owned.storefront.customerId
  ) {
    throw notFound('Feed revision');
  }
  if (input.revision && input.revision.revisionId !== baseline.revisionId) {
    throw invalid('revision is not the revision of this previewBaseline', 'revision.revisionId');
  }
  return ctx.db.transaction(async (tx) => {
    // The head is settled under this lock: a concurrent commit waits, then sees the new head.
    const head = await lockFeedHead(tx, owned.row.id);
    const revision = await findRevision(tx, owned.row.id, baseline.revisionId);
    if (!revision) throw notFound('Feed revision');
    if (revision.contentDigest !== baseline.payloadDigest) {
      throw invalid(
        'previewBaseline does not match the previewed payload',
        'previewBaseline.payloadDigest',
      );
    }
    if (input.revision && input.revision.contentDigest !== revision.contentDigest) {
      throw invalid(
        'revision.contentDigest differs from the previewed payload: preview the changed feed again',
        'revision.contentDigest',
      );
    }
    if (revision.commitStatus === 'COMMITTED') {
      return { revision, replayed: true, ingested: revision.parsedCount };
    }
    if (revision.commitStatus !== 'PREVIEW') {
      throw invalid(`Revision ${revision.revisionId} is ${revision.commitStatus}`, 'revision');
    }
    const current = head?.activeRevisionId ?? null;
    if (current !== baseline.activeRevisionId || current !== revision.baselineRevisionId) {
      throw staleBaseline(
        'The feed head moved since this preview (another revision was committed): preview again and commit that',
      );
    }
    if (revision.expiresAt < ctx.now()) {
      throw staleBaseline('This preview expired: preview the feed again');
    }
    if (revision.parsedCount === 0) {
      throw invalid(
        'The preview has no valid row to commit: fix the refused rows first',
        'revision',
      );
    }
    const { ingested, offSale } = await applyStaged(tx, owned, revision);
    const now = ctx.now();
    const committed = await markCommitted(tx, owned.row.id, revision, now);
    await ctx.deps.activity.record(
      {
        storefrontId: owned.storefront.id,
        action: 'UPDATE',
        resourceType: 'STOREFRONT_INVENTORY_SOURCE',
        resourceId: owned.row.sourceId,
        resourceName: owned.row.name,
        description: `Avails feed of ${owned.row.name}: revision ${revision.revisionId} committed (${ingested} avails, ${revision.rejectedCount} rows refused, ${offSale} taken off sale)`,
      },
      tx,
    );
    return { revision: committed, replayed: false, ingested, offSale };
  });
}

/** Upserts the revision's staged avails; a full replacement retires the ones it leaves out. */
async function applyStaged(
  tx: Db,
  owned: OwnedModular,
  revision: RevisionRow,
): Promise<{ ingested: number; offSale: number }> {
  const sourceRowId = owned.row.id;
  const ingested = await upsertStagedAvails(
    tx,
    { inventorySourceId: sourceRowId, storefrontId: owned.storefront.id },
    revision,
  );
  let offSale = 0;
  if (revision.deliverySemantics === 'FULL_REPLACEMENT') {
    // The preview listed exactly these (impact.ts): the head it was made on is the head
    // committed here.
    offSale = await retireOtherRevisions(tx, sourceRowId, revision.revisionId);
  }
  await dropStaged(tx, revision.id);
  return { ingested, offSale };
}
