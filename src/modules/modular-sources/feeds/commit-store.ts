import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import { modularFeedRevisions, modularSources } from '../tables.js';
import type { RevisionRow } from './revisions-store.js';

/** The writes that promote a previewed revision to the feed head (commit.ts), each in its `tx`. */

/**
 * Locks the source's setup row until the transaction ends and answers its feed head (null: none
 * yet; undefined: no such source). A concurrent commit waits here, then sees the new head.
 */
export async function lockFeedHead(
  tx: Db,
  inventorySourceId: number,
): Promise<{ activeRevisionId: string | null } | undefined> {
  const [head] = rowsOf<{ active_revision_id: string | null }>(
    await tx.execute(
      sql`select active_revision_id from modular_sources where inventory_source_id = ${inventorySourceId} for update`,
    ),
  );
  return head && { activeRevisionId: head.active_revision_id };
}

/**
 * Upserts the revision's staged avails in one statement, answering how many: an avail already
 * listed is updated in place and put back on sale, keeping what is held or booked on it. A row
 * that leaves its audience or content empty takes its collection's: what the first row of that
 * collection in the file to say one says (a terse rate-card line inherits what its package is).
 */
export async function upsertStagedAvails(
  tx: Db,
  owner: { inventorySourceId: number; storefrontId: number },
  revision: Pick<RevisionRow, 'id' | 'revisionId'>,
): Promise<number> {
  const upserted = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with rows as (
        select row_number, avail from modular_staged_avails where revision_row_id = ${revision.id}
      ), said as (
        select avail->>'collectionId' as collection_id,
               (array_agg(avail->>'audience' order by row_number)
                  filter (where coalesce(avail->>'audience', '') <> ''))[1] as audience,
               (array_agg(avail->>'content' order by row_number)
                  filter (where coalesce(avail->>'content', '') <> ''))[1] as content
          from rows group by 1
      ), staged as (
        select r.avail, coalesce(r.avail->>'audience', s.audience) as audience,
               coalesce(r.avail->>'content', s.content) as content
          from rows r join said s on s.collection_id = r.avail->>'collectionId'
      ), upserted as (
        insert into modular_avails as a (
          inventory_source_id, storefront_id, avail_id, collection_id, collection_name,
          collection_description, name, channel, start_time, end_time, impressions_capacity,
          upstream_booked, cpm, currency, format_options, publisher_properties, targeting,
          countries, audience, content, source_metadata, revision_id, active, updated_at)
        select ${owner.inventorySourceId}, ${owner.storefrontId}, avail->>'availId', avail->>'collectionId',
               avail->>'collectionName', avail->>'collectionDescription', avail->>'name',
               avail->>'channel', (avail->>'startTime')::timestamptz,
               (avail->>'endTime')::timestamptz, (avail->>'impressionsCapacity')::bigint,
               coalesce((avail->>'upstreamBookedImpressions')::bigint, 0),
               (avail->>'cpm')::numeric, avail->>'currency', avail->'formatOptions',
               avail->'publisherProperties', coalesce(avail->'targeting', '{}'::jsonb),
               coalesce(avail->'countries', '[]'::jsonb), audience, content,
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
          countries = excluded.countries,
          audience = excluded.audience,
          content = excluded.content,
          source_metadata = excluded.source_metadata,
          revision_id = excluded.revision_id,
          active = true,
          updated_at = now()
        returning 1
      )
      select count(*)::int as n from upserted`),
  );
  return Number(upserted[0]?.n ?? 0);
}

/**
 * Takes off sale the source's active avails another revision last wrote, answering how many.
 * Retired avails keep what is held or booked on them; they are no longer sold. A sandbox buyer's
 * seeded avails are no revision's, and stay.
 */
export async function retireOtherRevisions(
  tx: Db,
  inventorySourceId: number,
  revisionId: string,
): Promise<number> {
  const retired = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with retired as (
        update modular_avails set active = false, updated_at = now()
         where inventory_source_id = ${inventorySourceId} and active and revision_id <> ${revisionId}
           and sandbox_customer_id is null
        returning 1)
      select count(*)::int as n from retired`),
  );
  return Number(retired[0]?.n ?? 0);
}

/** Deletes a revision's staged avails (once applied, they are the avails themselves). */
export async function dropStaged(tx: Db, revisionRowId: string): Promise<void> {
  await tx.execute(sql`delete from modular_staged_avails where revision_row_id = ${revisionRowId}`);
}

/** Marks the revision COMMITTED and makes it the source's feed head; answers the revision. */
export async function markCommitted(
  tx: Db,
  inventorySourceId: number,
  revision: Pick<RevisionRow, 'id' | 'revisionId'>,
  at: Date,
): Promise<RevisionRow> {
  const [committed] = await tx
    .update(modularFeedRevisions)
    .set({ commitStatus: 'COMMITTED', committedAt: at })
    .where(eq(modularFeedRevisions.id, revision.id))
    .returning();
  await tx
    .update(modularSources)
    .set({ activeRevisionId: revision.revisionId, activeCommittedAt: at, updatedAt: at })
    .where(eq(modularSources.inventorySourceId, inventorySourceId));
  return committed!;
}
