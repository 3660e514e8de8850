/**
 * What a previewed revision would do once committed, read before anything is: the avails it adds,
 * the ones it updates, and (a full replacement) every avail on sale now that it would take off
 * sale; and how the file's format cells were read, one line per distinct cell.
 */
import type { Db } from '../../../platform/db/database.js';
import { formatCells, stagedCounts, unlistedAvails } from './impact-store.js';
import type { RevisionRow } from './revisions-store.js';

/** How many avails a commit takes off sale are named in the preview; the count covers all. */
export const shownOffSale = 200;
/** How many distinct format cells the preview's mapping lists. */
export const shownFormatMappings = 200;

/** The commit's effect on what is on sale (only a PREVIEW revision has staged avails to compare). */
export async function commitImpactOf(db: Db, inventorySourceId: number, revision: RevisionRow) {
  const replacing = revision.deliverySemantics === 'FULL_REPLACEMENT';
  const counts = await stagedCounts(db, inventorySourceId, revision.id);
  const leaving = replacing ? await offSale(db, inventorySourceId, revision.id) : undefined;
  return {
    deliverySemantics: revision.deliverySemantics as 'FULL_REPLACEMENT' | 'PATCH_UPSERT',
    newAvailCount: counts.added,
    updatedAvailCount: counts.updated,
    offSaleCount: leaving?.count ?? 0,
    offSale: leaving?.rows ?? [],
  };
}

async function offSale(db: Db, inventorySourceId: number, revisionRowId: string) {
  // The same set the commit retires: active avails of the source the revision does not list.
  const { count, rows } = await unlistedAvails(db, inventorySourceId, revisionRowId, shownOffSale);
  return {
    count,
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
  const rows = await formatCells(db, revisionRowId, shownFormatMappings);
  return rows.map((r) => ({
    written: r.written,
    formatIds: r.options.map((o) => o.format_option_id ?? o.format_kind),
    formatKinds: r.options.map((o) => o.format_kind),
    rowCount: Number(r.n),
  }));
}
