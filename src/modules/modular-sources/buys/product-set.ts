import type { Db } from '../../../platform/db/database.js';
import { databaseTag } from '../../../platform/db/database-tag.js';
import { createReadCache } from '../../../platform/read-cache.js';
import { saleVersionOf } from './avails-store.js';
import { buildProductsForBrief, formatsAgentUrlOf, type Product } from './products.js';

/*
 * A modular source's get_products answer for an ask, held between calls. Building it read the
 * order of every avail on sale (10,000 in a large feed: a scan and sort in PostgreSQL), ranked
 * them and read the answered avails whole, on every call, though what is on sale changes only
 * when the source's avails are written: a feed commit, a hold, a booking, a release. Each of
 * those moves the source's sale_version in its own transaction (a trigger on modular_avails:
 * migration modular_sale_version), so a built answer is kept under the source's owner (its
 * storefront and id), that version, the formats agent its feed module names and the ask; a call
 * reads the version (one row) and builds only when it has moved. Time is the one other thing
 * that changes the answer (an avail whose flight ended is no longer on sale): an answer is good
 * until the first of its avails ends (one ending that was not answered changes nothing). The
 * fleet's cache clearing clears it too; an entry lives 5 minutes at most, 256 at most.
 */

interface HeldAnswer {
  products: Product[];
  builtAt: number;
  /** When the first answered avail's flight ends (then it is no longer on sale). */
  goodUntil: number;
}

const held = createReadCache(5 * 60_000, 256);

/**
 * get_products over a modular source (products.ts buildProductsForBrief), as built for what is
 * on sale as it stands. Callers copy, never change, the products.
 */
export async function productsForBrief(
  db: Db,
  inventorySourceId: number,
  options: Parameters<typeof buildProductsForBrief>[3],
): Promise<Product[]> {
  const [sale, agentUrl] = await Promise.all([
    saleVersionOf(db, inventorySourceId),
    formatsAgentUrlOf(db, inventorySourceId),
  ]);
  const build = async (): Promise<HeldAnswer> => {
    const { products, endTimes } = await buildProductsForBrief(
      db,
      inventorySourceId,
      agentUrl,
      options,
    );
    return { products, builtAt: options.now.getTime(), goodUntil: Math.min(...endTimes) };
  };
  if (!sale) return (await build()).products;
  const key = JSON.stringify([
    databaseTag(db),
    sale.storefrontId,
    inventorySourceId,
    sale.version,
    agentUrl,
    options.limit,
    options.brief ?? '',
    options.filters ?? {},
    options.channels ?? [],
  ]);
  const now = options.now.getTime();
  const answer = await held.get(key, build);
  // Past the first answered avail's end (or a clock set back before the build): built afresh
  // on every call until the held answer expires.
  if (now >= answer.goodUntil || now < answer.builtAt) return (await build()).products;
  return answer.products;
}
