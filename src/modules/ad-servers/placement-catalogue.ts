import type { Db } from '../../platform/db/database.js';
import {
  activePlacementOrder,
  activePlacementRuns,
  placementsForMatching,
} from './sync/inventory-store.js';

/**
 * A connection's active placements (id, name, description), held between calls: a get_products
 * over 10,000 synced placements read every one on every call. Only the sync writes a placement
 * (sync/inventory-store.ts upsertPage), stamping the run that wrote it; so a held placement is
 * good while its row still carries that run, whatever instance synced since (no clearing to
 * miss). A call reads the ids in order and the runs that wrote them, then the placements it does
 * not hold yet.
 */

export interface Placement {
  id: string;
  name: string;
  description: string | null;
}
interface Held {
  runId: string;
  placement: Placement;
}

/** Held placements by source (ids are the ad server's: keyed by owner), then by placement id. */
const held = new Map<number, Map<string, Held>>();
let heldCount = 0;
/** Bounded: past this many placements held, everything is dropped and read again as asked. */
const heldLimit = 200_000;
const readChunk = 5_000;

/** Every active placement of the source, in placement id order. */
export async function activePlacements(db: Db, inventorySourceId: number): Promise<Placement[]> {
  const { ids, runs } = await activePlacementOrder(db, inventorySourceId);
  if (!ids.length) return [];
  const runOf = new Map<string, string>();
  if (runs.length === 1) for (const id of ids) runOf.set(id, runs[0]!);
  else {
    for (const r of await activePlacementRuns(db, inventorySourceId))
      for (const id of r.ids) runOf.set(id, r.runId);
  }
  if (heldCount > heldLimit) {
    held.clear();
    heldCount = 0;
  }
  let mine = held.get(inventorySourceId);
  if (!mine) held.set(inventorySourceId, (mine = new Map()));
  const missing = ids.filter((id) => mine.get(id)?.runId !== runOf.get(id));
  for (let i = 0; i < missing.length; i += readChunk) {
    const chunk = missing.slice(i, i + readChunk);
    for (const p of await placementsForMatching(db, inventorySourceId, chunk)) {
      if (!mine.has(p.id)) heldCount++;
      mine.set(p.id, {
        runId: p.runId,
        placement: { id: p.id, name: p.name, description: p.description },
      });
    }
  }
  // Every id is held now, as its run wrote it (or a newer one, if synced meanwhile).
  return ids.flatMap((id) => {
    const h = mine.get(id);
    return h ? [h.placement] : [];
  });
}
