/**
 * What a previewed revision would do once committed, read before anything is: the avails it adds,
 * the ones it updates, and (a full replacement) every avail on sale now that it would take off
 * sale; and how the file's format cells were read, one line per distinct cell.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import type { FormatOption } from './avail.js';
import type { RevisionRow } from './preview.js';

/** How many avails a commit takes off sale are named in the preview; the count covers all. */
export const shownOffSale = 200;
/** How many distinct format cells the preview's mapping lists. */
export const shownFormatMappings = 200;

type OffSaleRow = {
  avail_id: string;
  name: string;
  end_time: Date | string;
  held: number | string;
  booked: number | string;
};

/** The commit's effect on what is on sale (only a PREVIEW revision has staged avails to compare). */
export async function commitImpactOf(db: Db, inventorySourceId: number, revision: RevisionRow) {
  const replacing = revision.deliverySemantics === 'FULL_REPLACEMENT';
  const [counts] = rowsOf<{ added: number; updated: number }>(
    await db.execute(sql`
      select count(*) filter (where a.id is null)::int as added,
             count(*) filter (where a.id is not null)::int as updated
        from modular_staged_avails s
        left join modular_avails a
          on a.inventory_source_id = ${inventorySourceId} and a.avail_id = s.avail->>'availId'
       where s.revision_row_id = ${revision.id}`),
  );
  const leaving = replacing ? await offSale(db, inventorySourceId, revision.id) : undefined;
  return {
    deliverySemantics: revision.deliverySemantics as 'FULL_REPLACEMENT' | 'PATCH_UPSERT',
    newAvailCount: Number(counts?.added ?? 0),
    updatedAvailCount: Number(counts?.updated ?? 0),
    offSaleCount: leaving?.count ?? 0,
    offSale: leaving?.rows ?? [],
  };
}

async function offSale(db: Db, inventorySourceId: number, revisionRowId: string) {
  // The same set the commit retires: active avails of the source the revision does not list.
  const leaving = sql`
    from modular_avails a
   where a.inventory_source_id = ${inventorySourceId} and a.active
     and not exists (select 1 from modular_staged_avails s
                      where s.revision_row_id = ${revisionRowId}
                        and s.avail->>'availId' = a.avail_id)`;
  const [total] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n ${leaving}`),
  );
  const rows = rowsOf<OffSaleRow>(
    await db.execute(
      sql`select a.avail_id, a.name, a.end_time, a.held, a.booked ${leaving} order by a.avail_id limit ${shownOffSale}`,
    ),
  );
  return {
    count: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      availId: r.avail_id,
      name: r.name,
      endTime: new Date(r.end_time).toISOString(),
      // What buyers hold or booked stays theirs; only new sales stop.
      heldImpressions: Number(r.held),
      bookedImpressions: Number(r.booked),
    })),
  };
}

/** Each distinct format cell of the revision's accepted rows and the format ids it became. */
export async function formatMappingOf(db: Db, revisionRowId: string) {
  const rows = rowsOf<{ written: string; options: FormatOption[]; n: number }>(
    await db.execute(sql`
      select s.avail->>'formatsAsWritten' as written, s.avail->'formatOptions' as options,
             count(*)::int as n
        from modular_staged_avails s
       where s.revision_row_id = ${revisionRowId} and s.avail ? 'formatsAsWritten'
       group by 1, 2
       order by min(s.row_number)
       limit ${shownFormatMappings}`),
  );
  return rows.map((r) => ({
    written: r.written,
    formatIds: r.options.map((o) => o.format_option_id ?? o.format_kind),
    formatKinds: r.options.map((o) => o.format_kind),
    rowCount: Number(r.n),
  }));
}
