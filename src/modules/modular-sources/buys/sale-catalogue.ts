import type { Db } from '../../../platform/db/database.js';
import {
  type AskSource,
  prepareCandidate,
  type PreparedCandidate,
  readAsk,
  type Ranked,
  topForAsk,
} from '../../../sources/brief/index.js';
import type { FormatOption } from '../feeds/avail.js';
import { saleOrder, saleRevisions, saleStatics } from './avails-store.js';

/**
 * The avails a modular source sells, as the brief matcher reads them, held between calls: a
 * get_products over 10,000 avails read and read again every one of them on every call (rows,
 * then the matcher's reading of each), most of its cost. What the matcher reads of an avail
 * (name, collection, channel, formats, flight) is written only by a feed commit, which stamps
 * the revision it applied; so a held avail is good while its row still carries the revision it
 * was read at, whatever instance wrote what since (no clearing to miss). A call reads only the
 * order of the avails on sale (ids, capacity order) and the revisions that wrote them, then the
 * avails it does not hold yet.
 */

type SaleItem = { id: number };
interface Held {
  revisionId: string;
  prepared: PreparedCandidate<SaleItem>;
}

/** Held avails by source (row ids are the source's own: keyed by owner), then by row id. */
const held = new Map<number, Map<number, Held>>();
let heldCount = 0;
/** Bounded: past this many avails held, everything is dropped and read again as asked. */
const heldLimit = 200_000;
const readChunk = 5_000;

export const formatIdOf = (f: FormatOption) => f.format_option_id ?? f.format_kind;

async function read(db: Db, ids: number[], into: Map<number, Held>) {
  for (let i = 0; i < ids.length; i += readChunk) {
    for (const a of await saleStatics(db, ids.slice(i, i + readChunk))) {
      if (!into.has(a.id)) heldCount++;
      into.set(a.id, {
        revisionId: a.revisionId,
        prepared: prepareCandidate(
          { id: a.id },
          {
            name: a.name,
            tags: [a.collectionName],
            channels: a.channel ? [a.channel] : undefined,
            formatIds: a.formatOptions.map(formatIdOf),
            available: { start: a.startTime, end: a.endTime },
          },
        ),
      });
    }
  }
}

/**
 * The best `limit` avails on sale for the ask (row ids), ranked by the one brief matcher over
 * their name, collection, channel, formats and flight, ties by capacity left then avail id.
 */
export async function rankedSale(
  db: Db,
  inventorySourceId: number,
  options: {
    brief?: string | undefined;
    filters?: AskSource['filters'];
    channels?: string[] | undefined;
    limit: number;
    now: Date;
  },
): Promise<Ranked<SaleItem>[]> {
  const { ids, revisions } = await saleOrder(db, inventorySourceId, options);
  if (!ids.length) return [];
  // One revision wrote them all (the usual case): no map of 10,000 ids to build per call.
  const only = revisions.length === 1 ? revisions[0]! : undefined;
  const revisionOf = new Map<number, string>();
  if (only === undefined) {
    for (const r of await saleRevisions(db, inventorySourceId, options))
      for (const id of r.ids) revisionOf.set(id, r.revisionId);
  }
  if (heldCount > heldLimit) {
    held.clear();
    heldCount = 0;
  }
  let mine = held.get(inventorySourceId);
  if (!mine) held.set(inventorySourceId, (mine = new Map()));
  const have = mine;
  await read(
    db,
    ids.filter((id) => have.get(id)?.revisionId !== (only ?? revisionOf.get(id))),
    have,
  );
  // Every id is held now, as its revision wrote it (or a newer one, if rewritten meanwhile).
  const prepared = ids.flatMap((id) => {
    const h = have.get(id);
    return h ? [h.prepared] : [];
  });
  const ask = readAsk({ brief: options.brief, filters: options.filters });
  return topForAsk(prepared, ask, options.limit);
}
