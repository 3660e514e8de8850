import type { Db } from '../../../platform/db/database.js';
import { isoDate } from '../../../platform/formats.js';
import * as store from './product-issues-store.js';
import type { ProductIssue } from '../schemas.js';

/** What one answer of a source showed of its products, for its seller. */
export interface ProductCheckReport {
  /** The source's global row id. */
  inventorySourceId: number;
  /** Its products AdCP's schema refused, by the source's own id. */
  refused: ReadonlyArray<{ productId: string; field: string; message: string }>;
  /** Its products that passed (AdCP products; only their ids are read, and only when needed). */
  passed: ReadonlyArray<{ product_id: string }>;
  /** The answer listed everything the source offers (no brief, no filter): a product not in it is gone. */
  complete: boolean;
}

interface Known {
  field: string;
  message: string;
  /** When it was last written (by any instance, as far as this one knows). */
  writtenAt: number;
}

/** How stale this process's picture of the recorded issues may get (another instance writes). */
const refreshEveryMs = 60_000;
/** An unchanged issue's last sighting is written at most this often. */
const rewriteEveryMs = 60_000;
/** An issue not seen for this long is no longer shown, and is pruned. */
export const issueRetentionMs = 7 * 86_400_000;
const pruneEveryMs = 3_600_000;
/** Bounds on what is recorded: per source and answer, and held in memory. */
const maxPerSource = 100;
const maxKnown = 20_000;

/**
 * The seller's record of products left out of buyers' answers (readiness shows it). Cheap on
 * the hot path: this process keeps the recorded issues in memory, read again from the database
 * at most once a minute (other instances write too), and writes only a change (a product newly
 * refused, or refused on another field; one valid again or gone) or an unchanged issue's last
 * sighting once a minute. An answer with nothing refused, of a source with nothing recorded,
 * costs a map lookup. All state is in the database; instances converge within a minute.
 */
export function createProductIssueLog(db: Db, now: () => Date) {
  let known = new Map<number, Map<string, Known>>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let prunedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  async function load(at: number): Promise<void> {
    if (at - prunedAt >= pruneEveryMs) {
      prunedAt = at;
      await store.pruneIssues(db, new Date(at - issueRetentionMs));
    }
    const rows = await store.listOpenIssues(db, new Date(at - issueRetentionMs), maxKnown);
    const next = new Map<number, Map<string, Known>>();
    for (const row of rows) {
      let ofSource = next.get(row.inventorySourceId);
      if (!ofSource) next.set(row.inventorySourceId, (ofSource = new Map()));
      ofSource.set(row.productId, {
        field: row.field,
        message: row.message,
        writtenAt: row.lastSeenAt.getTime(),
      });
    }
    known = next;
    loadedAt = at;
  }

  async function fresh(at: number): Promise<void> {
    if (at - loadedAt < refreshEveryMs) return;
    loading ??= load(at).finally(() => (loading = undefined));
    await loading;
  }

  return async function noteProductCheck(report: ProductCheckReport): Promise<void> {
    const at = now().getTime();
    if (report.refused.length === 0 && at - loadedAt < refreshEveryMs) {
      // The common case: nothing refused, and nothing recorded for the source to clear.
      if (!known.get(report.inventorySourceId)?.size) return;
    }
    await fresh(at);
    const recorded = known.get(report.inventorySourceId) ?? new Map<string, Known>();
    const refused = new Map<string, { productId: string; field: string; message: string }>();
    for (const r of report.refused) {
      if (refused.size >= maxPerSource) break;
      if (!refused.has(r.productId)) refused.set(r.productId, r);
    }
    const toWrite = [...refused.values()].filter((r) => {
      const before = recorded.get(r.productId);
      return (
        !before ||
        before.field !== r.field ||
        before.message !== r.message ||
        at - before.writtenAt >= rewriteEveryMs
      );
    });
    let toClear: string[] = [];
    if (recorded.size > 0) {
      // Every refused id, not only those within the per-source bound: none of them is cleared.
      const stillRefused = new Set(report.refused.map((r) => r.productId));
      const passed = new Set(report.passed.map((p) => p.product_id));
      toClear = [...recorded.keys()].filter(
        (id) => !stillRefused.has(id) && (report.complete || passed.has(id)),
      );
    }
    if (toWrite.length === 0 && toClear.length === 0) return;
    // Noted before writing, so concurrent answers do not write the same change again; a failed
    // write makes the next answer read the database afresh.
    for (const r of toWrite) recorded.set(r.productId, { ...r, writtenAt: at });
    for (const id of toClear) recorded.delete(id);
    known.set(report.inventorySourceId, recorded);
    try {
      await Promise.all([
        store.upsertIssues(db, report.inventorySourceId, toWrite, new Date(at)),
        store.deleteIssues(db, report.inventorySourceId, toClear),
      ]);
    } catch (error) {
      loadedAt = Number.NEGATIVE_INFINITY;
      throw error;
    }
  };
}

/** The open issues of these sources, by source row id, oldest first (readiness). */
export async function productIssuesOf(
  db: Db,
  inventorySourceIds: number[],
  at: Date,
): Promise<Map<number, ProductIssue[]>> {
  const rows = await store.listIssuesOf(
    db,
    inventorySourceIds,
    new Date(at.getTime() - issueRetentionMs),
    inventorySourceIds.length * maxPerSource,
  );
  const out = new Map<number, ProductIssue[]>();
  for (const row of rows) {
    const list = out.get(row.inventorySourceId) ?? [];
    list.push({
      productId: row.productId,
      field: row.field,
      message: row.message,
      firstSeenAt: isoDate(row.firstSeenAt),
      lastSeenAt: isoDate(row.lastSeenAt),
    });
    out.set(row.inventorySourceId, list);
  }
  return out;
}
