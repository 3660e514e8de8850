import type {
  InventorySource,
  SourceAnswer,
  SourceCall,
} from '../../../modules/inventory-sources/index.js';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import type { WriteIntent } from '../../../modules/seller-writes/index.js';
import { mediaBuyStatuses, onlyBuyWithPackages } from '../../../sources/answers.js';
import type { MerchandisingDeps } from '../deps.js';

type Buy = Record<string, unknown>;

/**
 * A storefront's create_media_buy whose answer was lost, looked up at its source among the buys
 * there that no buy of this buyer on the storefront already records from this source: the one
 * carrying the request's `po_number`, when the buyer gave one (several carrying it: the one of
 * them with exactly the request's packages, product and budget each). Otherwise, and only for a
 * write the source ran but answered out of its own schema (`byPackages`: recovery may not send
 * it again), the one with exactly the request's packages. Two such buys, or none, find nothing:
 * the outcome stays unknown rather than a guess, and a buy another of the buyer's buys already
 * records is never adopted twice.
 */
export async function lookUpLostBuy(
  deps: MerchandisingDeps,
  port: InventorySource,
  intent: WriteIntent,
  row: MediaBuyRow,
  call: SourceCall,
  byPackages: boolean,
): Promise<(SourceAnswer<Buy> & { ok: true }) | undefined> {
  const po = intent.request['po_number'];
  if (typeof po !== 'string' && !byPackages) return undefined;
  const listed = await port.getMediaBuys({ status_filter: [...mediaBuyStatuses] }, call);
  if (!listed.ok) return undefined;
  const buys = listed.data.media_buys as unknown[] as Buy[];
  const known = await knownAt(deps, row, port.source.sourceId);
  const unclaimed = buys.filter(
    (b) => typeof b['media_buy_id'] === 'string' && !known.has(b['media_buy_id']),
  );
  const found =
    typeof po === 'string'
      ? byPo(unclaimed, po, intent, byPackages)
      : onlyBuyWithPackages(unclaimed, intent.request['packages']);
  if (!found) return undefined;
  return { ok: true, data: found, ...(listed.account && { account: listed.account }) };
}

/**
 * The buy carrying the buyer's PO. A buyer may give one PO to several buys: of those, the one with
 * the request's packages. A source that does not echo `po_number` (3.1.19's get_media_buys has no
 * such field; a linked storefront echoes it) leaves only the packages, among its buys that carry
 * no PO, and only where recovery may not send the write again.
 */
function byPo(unclaimed: Buy[], po: string, intent: WriteIntent, byPackages: boolean) {
  const carrying = unclaimed.filter((b) => b['po_number'] === po);
  if (carrying.length === 1) return carrying[0];
  if (carrying.length > 1) return onlyBuyWithPackages(carrying, intent.request['packages']);
  if (!byPackages) return undefined;
  return onlyBuyWithPackages(
    unclaimed.filter((b) => b['po_number'] === undefined),
    intent.request['packages'],
  );
}

/** The source's buy ids this buyer's buys on the storefront already record. */
async function knownAt(deps: MerchandisingDeps, row: MediaBuyRow, sourceId: string) {
  const rows = await deps.mediaBuys.recordsOf(row.storefrontId, row.buyerCustomerId);
  const ids = new Set<string>();
  for (const r of rows) {
    for (const leg of r.forwardResult ?? []) {
      if (leg.sourceId === sourceId && leg.upstreamMediaBuyId) ids.add(leg.upstreamMediaBuyId);
    }
  }
  return ids;
}
