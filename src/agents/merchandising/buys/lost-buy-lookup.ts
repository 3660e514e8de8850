import type {
  InventorySource,
  SourceAnswer,
  SourceCall,
} from '../../../modules/inventory-sources/index.js';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import type { WriteIntent } from '../../../modules/seller-writes/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { mediaBuyStatuses } from '../../../sources/answers.js';
import type { MerchandisingDeps } from '../deps.js';

type Buy = Record<string, unknown>;

/** A package's identity at its source for a look-up: its product and its budget. */
const packageKey = (p: unknown) =>
  isRecord(p) ? `${String(p['product_id'])}\u0000${Number(p['budget'])}` : '';

const packagesOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(packageKey) : []).sort();

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * A storefront's create_media_buy whose answer was lost, looked up at its source: the buy that
 * carries the request's `po_number`, when the buyer gave one. Without one, and only for a write
 * the source ran but answered out of its own schema (`byPackages`: recovery may not send it
 * again), the one buy there with exactly the request's packages (product and budget each) that
 * no buy of this buyer on the storefront already records from this source. Two such buys, or
 * none, find nothing: the outcome stays unknown rather than a guess.
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
  let found: Buy | undefined;
  if (typeof po === 'string') {
    found = buys.find((b) => b['po_number'] === po);
  } else {
    const wanted = packagesOf(intent.request['packages']);
    const known = await knownAt(deps, row, port.source.sourceId);
    const matches = buys.filter(
      (b) =>
        typeof b['media_buy_id'] === 'string' &&
        !known.has(b['media_buy_id']) &&
        sameList(packagesOf(b['packages']), wanted),
    );
    found = matches.length === 1 ? matches[0] : undefined;
  }
  if (!found) return undefined;
  return { ok: true, data: found, ...(listed.account && { account: listed.account }) };
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
