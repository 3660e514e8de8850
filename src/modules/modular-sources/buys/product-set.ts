import type { Db } from '../../../platform/db/database.js';
import { databaseTag } from '../../../platform/db/database-tag.js';
import { saleVersionOf } from './avails-store.js';
import { formatsAgentUrlOf, type Product, productOf } from './products.js';
import { productsOnSale as madeOnSale } from './sale-catalogue.js';

/*
 * A modular source's get_products answer, held between calls: every product it has on sale
 * (sale-catalogue.ts), whatever the brief, since the storefront ranks and pages them all. Making
 * it read the order of every avail on sale (10,000 in a large feed: a scan and sort in
 * PostgreSQL) on every call, though what is on sale changes only when the source's avails are
 * written: a feed commit, a hold, a booking, a release. Each of those moves the source's
 * sale_version in its own transaction (a trigger on modular_avails: migration
 * modular_sale_version), so an answer is kept under the source's owner (its storefront and id),
 * that version and the formats agent its feed module names; a call reads the version (one row)
 * and makes the answer only when it has moved. Time is the one other thing that changes it (an
 * avail whose flight ended is no longer on sale): an answer is good until the first of its
 * avails ends, then made again (its products stay held). One answer per source, 256 sources at
 * most. The answer is one array, the same while held (the storefront's held work is keyed by
 * it), of products that are the same objects while their avails are unchanged.
 */

interface HeldAnswer {
  /** What it was made for: the database, the owner, the sale version, the formats agent. */
  key: string;
  products: Promise<Product[]>;
  builtAt: number;
  /** When the first answered avail's flight ends (then it is no longer on sale). */
  goodUntil: number;
}

const held = new Map<string, HeldAnswer>();
const heldSources = 256;

/**
 * get_products over a modular source: every product on sale, most capacity left first. Callers
 * copy, never change, the products.
 */
export async function productsOnSale(
  db: Db,
  inventorySourceId: number,
  options: { now: Date },
): Promise<Product[]> {
  const [sale, agentUrl] = await Promise.all([
    saleVersionOf(db, inventorySourceId),
    formatsAgentUrlOf(db, inventorySourceId),
  ]);
  const make = () =>
    madeOnSale(db, inventorySourceId, agentUrl, options.now, (avail) => productOf(avail, agentUrl));
  if (!sale) return (await make()).products;
  const source = `${databaseTag(db)}\n${inventorySourceId}`;
  const key = JSON.stringify([sale.storefrontId, sale.version, agentUrl]);
  const now = options.now.getTime();
  const kept = held.get(source);
  // Past the first answered avail's end (or a clock set back before it was made): made again.
  if (kept?.key === key && now < kept.goodUntil && now >= kept.builtAt) return kept.products;
  // Good until known: concurrent calls meanwhile share this one.
  const entry: HeldAnswer = {
    key,
    products: Promise.resolve([]),
    builtAt: now,
    goodUntil: Infinity,
  };
  const made = make();
  entry.products = made.then((m) => m.products);
  held.delete(source);
  if (held.size >= heldSources) held.delete(held.keys().next().value!);
  held.set(source, entry);
  try {
    const { endTimes } = await made;
    let goodUntil = Infinity;
    for (const end of endTimes) if (end < goodUntil) goodUntil = end;
    entry.goodUntil = goodUntil;
  } catch (error) {
    if (held.get(source) === entry) held.delete(source);
    throw error;
  }
  return entry.products;
}

/**
 * The products some avails became (hosted's `products` on an ingest): those of them on sale now,
 * as get_products and …/modular/products serve them (an avail whose flight ended is not on sale).
 */
export async function productsOfAvails(
  db: Db,
  inventorySourceId: number,
  availIds: Iterable<string>,
  options: { now: Date },
) {
  const wanted = new Set(availIds);
  const onSale = await productsOnSale(db, inventorySourceId, options);
  return onSale.filter((p) => wanted.has(p.product_id)).map((p) => ({ ...p }));
}
