import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { modularFeedRevisions, modularSources } from '../tables.js';
import { baselineIntact, type PreviewBaseline } from './baseline.js';
import type { RevisionRow } from './preview.js';

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
    const [head] = rowsOf<{ active_revision_id: string | null }>(
      await tx.execute(
        sql`select active_revision_id from modular_sources where inventory_source_id = ${owned.row.id} for update`,
      ),
    );
    const [revision] = await tx
      .select()
      .from(modularFeedRevisions)
      .where(
        and(
          eq(modularFeedRevisions.inventorySourceId, owned.row.id),
          eq(modularFeedRevisions.revisionId, baseline.revisionId),
        ),
      );
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
    const current = head?.active_revision_id ?? null;
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
    const [committed] = await tx
      .update(modularFeedRevisions)
      .set({ commitStatus: 'COMMITTED', committedAt: now })
      .where(eq(modularFeedRevisions.id, revision.id))
      .returning();
    await tx
      .update(modularSources)
      .set({ activeRevisionId: revision.revisionId, activeCommittedAt: now, updatedAt: now })
      .where(eq(modularSources.inventorySourceId, owned.row.id));
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
    return { revision: committed!, replayed: false, ingested, offSale };
  });
}

/** Upserts the revision's staged avails; a full replacement retires the ones it leaves out. */
async function applyStaged(
  tx: Db,
  owned: OwnedModular,
  revision: RevisionRow,
): Promise<{ ingested: number; offSale: number }> {
  const sourceRowId = owned.row.id;
  const upserted = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with staged as (
        select avail from modular_staged_avails where revision_row_id = ${revision.id}
      ), upserted as (
        insert into modular_avails as a (
          inventory_source_id, storefront_id, avail_id, collection_id, collection_name,
          collection_description, name, channel, start_time, end_time, impressions_capacity,
          upstream_booked, cpm, currency, format_options, publisher_properties, targeting,
          source_metadata, revision_id, active, updated_at)
        select ${sourceRowId}, ${owned.storefront.id}, avail->>'availId', avail->>'collectionId',
               avail->>'collectionName', avail->>'collectionDescription', avail->>'name',
               avail->>'channel', (avail->>'startTime')::timestamptz,
               (avail->>'endTime')::timestamptz, (avail->>'impressionsCapacity')::bigint,
               coalesce((avail->>'upstreamBookedImpressions')::bigint, 0),
               (avail->>'cpm')::numeric, avail->>'currency', avail->'formatOptions',
               avail->'publisherProperties', coalesce(avail->'targeting', '{}'::jsonb),
               coalesce(avail->'sourceMetadata', '{}'::jsonb), ${revision.revisionId}, true, now()
          from staged
        on conflict (inventory_source_id, avail_id) do update set
          collection_id = excluded.collection_id,
          collection_name = excluded.collection_name,
          collection_description = excluded.collection_description,
          name = excluded.name,
          channel = excluded.channel,
          start_time = excluded.start_time,
          end_time = excluded.end_time,
          impressions_capacity = excluded.impressions_capacity,
          upstream_booked = excluded.upstream_booked,
          cpm = excluded.cpm,
          currency = excluded.currency,
          format_options = excluded.format_options,
          publisher_properties = excluded.publisher_properties,
          targeting = excluded.targeting,
          source_metadata = excluded.source_metadata,
          revision_id = excluded.revision_id,
          active = true,
          updated_at = now()
        returning 1
      )
      select count(*)::int as n from upserted`),
  );
  let offSale = 0;
  if (revision.deliverySemantics === 'FULL_REPLACEMENT') {
    // Retired avails keep what is held or booked on them; they are no longer sold. The preview
    // listed exactly these (impact.ts): the head it was made on is the head committed here.
    const retired = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with retired as (
          update modular_avails set active = false, updated_at = now()
           where inventory_source_id = ${sourceRowId} and active and revision_id <> ${revision.revisionId}
          returning 1)
        select count(*)::int as n from retired`),
    );
    offSale = Number(retired[0]?.n ?? 0);
  }
  await tx.execute(sql`delete from modular_staged_avails where revision_row_id = ${revision.id}`);
  return { ingested: Number(upserted[0]?.n ?? 0), offSale };
}
