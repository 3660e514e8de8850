import type { Db } from '../../../platform/db/database.js';
import type { FormatOption } from '../feeds/avail.js';
import { type AvailRow, availsByRowIds, saleOrder, saleRevisions } from './avails-store.js';

/**
 * The products a modular source has on sale, every one of them, in the source's own order (most
 * capacity left first), each made from its avail row and held between calls: a get_products
 * over 10,000 avails read every row whole and made every product on every call, most of its
 * cost. A product is what its row's feed revision wrote (name, collection, channel, formats,
 * flight, price, properties) and the impressions it has left, so a held product is good while its
 * row still carries that revision and that capacity, whatever instance wrote what since (no
 * clearing to miss). A call reads only the order of the avails on sale (ids, capacity left) and
 * the revisions that wrote them, then the rows it does not hold as they are now.
 *
 * Nothing is ranked or cut here (issue 71, item 1): the storefront ranks every source's products
 * with the one brief matcher and pages them, so what a buyer's cursor reaches is all of it.
 */

export interface HeldProduct<P> {
  revisionId: string;
  available: number;
  endTime: number;
  product: P;
}

/** Held products by source and formats agent (row ids are the source's own), then by row id. */
const held = new Map<string, Map<number, HeldProduct<unknown>>>();
let heldCount = 0;
/** Bounded: past this many products held, everything is dropped and made again as asked. */
const heldLimit = 200_000;
const readChunk = 5_000;

export const formatIdOf = (f: FormatOption) => f.format_option_id ?? f.format_kind;

/**
 * Every product on sale of the source, in its order (most capacity left, then avail id), with
 * when each one's flight ends; `make` turns an avail row into its product (products.ts).
 */
export async function productsOnSale<P>(
  db: Db,
  inventorySourceId: number,
  formatsAgentUrl: string,
  now: Date,
  make: (avail: AvailRow) => P,
): Promise<{ products: P[]; endTimes: number[] }> {
  const { ids, available, revisions } = await saleOrder(db, inventorySourceId, now);
  if (!ids.length) return { products: [], endTimes: [] };
  // One revision wrote them all (the usual case): no map of 10,000 ids to build per call.
  const only = revisions.length === 1 ? revisions[0]! : undefined;
  const revisionOf = new Map<number, string>();
  if (only === undefined) {
    for (const r of await saleRevisions(db, inventorySourceId, now))
      for (const id of r.ids) revisionOf.set(id, r.revisionId);
  }
  if (heldCount > heldLimit) {
    held.clear();
    heldCount = 0;
  }
  const key = `${inventorySourceId}\n${formatsAgentUrl}`;
  let mine = held.get(key) as Map<number, HeldProduct<P>> | undefined;
  if (!mine) held.set(key, (mine = new Map()));
  const stale = ids.filter((id, i) => {
    const h = mine.get(id);
    return !h || h.revisionId !== (only ?? revisionOf.get(id)) || h.available !== available[i];
  });
  for (let i = 0; i < stale.length; i += readChunk) {
    for (const row of await availsByRowIds(db, stale.slice(i, i + readChunk))) {
      if (!mine.has(row.id)) heldCount++;
      mine.set(row.id, {
        revisionId: row.revisionId,
        available: availableOf(row),
        endTime: row.endTime.getTime(),
        product: make(row),
      });
    }
  }
  // Avails no longer on sale are let go once they outnumber those on sale.
  if (mine.size > 2 * ids.length + 1_000) {
    const onSale = new Set(ids);
    for (const id of mine.keys()) {
      if (onSale.has(id)) continue;
      mine.delete(id);
      heldCount--;
    }
  }
  // Every id is held now, as it stands (or as a newer write left it, if written meanwhile).
  const products: P[] = [];
  const endTimes: number[] = [];
  for (const id of ids) {
    const h = mine.get(id);
    if (!h) continue;
    products.push(h.product);
    endTimes.push(h.endTime);
  }
  return { products, endTimes };
}

/** Impressions still for sale on an avail (as avails-store's availableSql counts them). */
export const availableOf = (avail: AvailRow) =>
  Math.max(0, avail.impressionsCapacity - avail.upstreamBooked - avail.held - avail.booked);
