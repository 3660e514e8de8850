/*
 * Work on a source's products kept while the products themselves are kept (issue 49 item 6):
 * a source's answer held between calls (a feed mirror's set, a modular source's or an ad
 * server's product set, a reused agent answer) is one array of objects its holders never change,
 * and every step of get_products after it builds new objects rather than changing those it is
 * given (pricing, postures, the 3.1 layer). So what the storefront derives from them alone is
 * the same on every call while they are held, and is derived once:
 *
 * - `relabeledOnce`: a source's checked products as this storefront names them;
 * - `rankedOnce`: the ranking of one ask over the very same product objects.
 *
 * Keyed by the objects themselves (weakly, or by ids only a held object keeps), never by what a
 * caller says they are: an entry answers only a caller that already holds those objects, so no
 * buyer reads another's work through it (a buyer's own prices are its own objects).
 */

import { isRecord } from '../../../platform/is-record.js';

// Outside production every kept product is frozen, with its `ext` and `ext.interchange` (what a
// relabel or a ranking makes anew): a later step that changed one in place instead of copying it
// would change every later answer, and throws in the suite instead.
const checked = process.env['NODE_ENV'] !== 'production';

/** `list` as kept for later calls: outside production, each product in it frozen (see above). */
export function sharedOnly<L>(list: L): L {
  if (!checked || !Array.isArray(list)) return list;
  for (const item of list as unknown[]) {
    if (!isRecord(item)) continue;
    const ext = item['ext'];
    if (isRecord(ext)) {
      if (isRecord(ext['interchange'])) Object.freeze(ext['interchange']);
      Object.freeze(ext);
    }
    Object.freeze(item);
  }
  return list;
}

/** What one storefront derived from one source's checked products, by storefront and source. */
const relabeled = new WeakMap<readonly object[], Map<string, unknown[]>>();
/**
 * The same per product: a source's answer is often a new array of mostly the same products (a
 * modular source after one booking, an ad server's forecasts of the second), each relabeled
 * once. One key per product (a source's products are one storefront's), the last one made.
 */
const relabeledItem = new WeakMap<object, { key: string; made: unknown }>();

/**
 * `make(product)` for each product, once per `products` array and `key` (storefront and source)
 * while held, and once per product and key while the product is.
 */
export function relabeledOnce<P extends object>(
  products: readonly P[],
  key: string,
  make: (product: P) => P,
): P[] {
  let byKey = relabeled.get(products);
  if (!byKey) relabeled.set(products, (byKey = new Map()));
  let made = byKey.get(key) as P[] | undefined;
  if (made) return made;
  made = new Array<P>(products.length);
  for (let i = 0; i < products.length; i++) {
    const product = products[i]!;
    const kept = relabeledItem.get(product);
    if (kept?.key === key) {
      made[i] = kept.made as P;
      continue;
    }
    const one = make(product);
    relabeledItem.set(product, { key, made: one });
    made[i] = one;
  }
  byKey.set(key, sharedOnly(made));
  return made;
}

// Ids only ever given to an object that holds them (a WeakMap entry), so an id names one object
// for as long as any ranking keyed by it could be asked for again.
const ids = new WeakMap<object, number>();
let lastId = 0;
const idOf = (item: object): number => {
  let id = ids.get(item);
  if (id === undefined) ids.set(item, (id = ++lastId));
  return id;
};

/** How many rankings are kept: an ask is kept while it is among the last this many asked. */
const keptRankings = 64;
const rankings = new Map<string, unknown>();

/**
 * `rank(items)` for one ask (`askKey`: everything besides the items the ranking reads), kept for
 * the same items in the same order: the last `keptRankings` asks, least recently asked dropped.
 * Ranking is a pure function of the items and the ask, and the ranked copies it makes are never
 * changed after (answer-page.ts): a kept one is the same answer.
 */
export function rankedOnce<T extends object, R>(
  items: readonly T[],
  askKey: string,
  rank: (items: readonly T[]) => R,
): R {
  const key = `${askKey}\u0000${items.map(idOf).join(',')}`;
  const kept = rankings.get(key) as R | undefined;
  if (kept !== undefined) {
    rankings.delete(key);
    rankings.set(key, kept);
    return kept;
  }
  const made = rank(items);
  if (checked && isRecord(made)) for (const list of Object.values(made)) sharedOnly(list);
  rankings.set(key, made);
  if (rankings.size > keptRankings) rankings.delete(rankings.keys().next().value!);
  return made;
}
