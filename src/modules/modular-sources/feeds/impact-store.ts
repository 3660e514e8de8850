import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import type { FormatOption } from './avail.js';

/** The reads behind a preview's commit impact and format mapping (impact.ts). */

export type OffSaleRow = {
  avail_id: string;
  name: string;
  end_time: Date | string;
  held: number | string;
  booked: number | string;
};

/** How many of a revision's staged avails are new to the source, and how many update one. */
export async function stagedCounts(db: Db, inventorySourceId: number, revisionRowId: string) {
  const [counts] = rowsOf<{ added: number; updated: number }>(
    await db.execute(sql`
      select count(*) filter (where a.id is null)::int as added,
             count(*) filter (where a.id is not null)::int as updated
        from modular_staged_avails s
        left join modular_avails a
          on a.inventory_source_id = ${inventorySourceId} and a.avail_id = s.avail->>'availId'
       where s.revision_row_id = ${revisionRowId}`),
  );
  return { added: Number(counts?.added ?? 0), updated: Number(counts?.updated ?? 0) };
}

/**
 * The source's active avails the revision does not list (the set a full replacement's commit
 * retires): how many, and the first `limit` by avail id.
 */
export async function unlistedAvails(
  db: Db,
  inventorySourceId: number,
  revisionRowId: string,
  limit: number,
): Promise<{ count: number; rows: OffSaleRow[] }> {
  const leaving = sql`
    from modular_avails a
   where a.inventory_source_id = ${inventorySourceId} and a.active
     and a.sandbox_customer_id is null
     and not exists (select 1 from modular_staged_avails s
                      where s.revision_row_id = ${revisionRowId}
                        and s.avail->>'availId' = a.avail_id)`;
  const [total] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n ${leaving}`),
  );
  const rows = rowsOf<OffSaleRow>(
    await db.execute(
      sql`select a.avail_id, a.name, a.end_time, a.held, a.booked ${leaving} order by a.avail_id limit ${limit}`,
    ),
  );
  return { count: Number(total?.n ?? 0), rows };
}

/** Each distinct format cell of the revision's accepted rows (first `limit`, in file order). */
export async function formatCells(db: Db, revisionRowId: string, limit: number) {
  return rowsOf<{ written: string; options: FormatOption[]; n: number }>(
    await db.execute(sql`
      select s.avail->>'formatsAsWritten' as written, s.avail->'formatOptions' as options,
             count(*)::int as n
        from modular_staged_avails s
       where s.revision_row_id = ${revisionRowId} and s.avail ? 'formatsAsWritten'
       group by 1, 2
       order by min(s.row_number)
       limit ${limit}`),
  );
}
