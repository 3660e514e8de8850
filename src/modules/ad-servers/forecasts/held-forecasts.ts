import type { ForecastRow } from './forecasts-store.js';

/*
 * The forecasts of a held product set (product-set.ts), held between get_products calls. Each
 * call read the cached forecast of every answered product (one query over up to 100 ids) and
 * made new products with their availability, so the storefront checked a new answer against
 * AdCP's product schema on every call (it checks a held answer once). Now, per held set (the
 * very array product-set.ts holds, so per database, connection, inventory version and ask):
 * - the rows are read again after `rowsTtlMs`, or at once after a forecast write of this process
 *   (`wrote`: a refresh asked for, a forecast saved or failed). Another instance's write shows
 *   within `rowsTtlMs`; forecasts are an hour fresh and answered with their age, so 2 s is moot.
 * - the products with their availability are made once per whole second of the clock (their
 *   age is in seconds), and only when no forecast is due (a due one is asked for on that call).
 */

const rowsTtlMs = 2_000;

export interface HeldRows<P> {
  rows: ForecastRow[];
  readAt: number;
  generation: number;
  second?: number;
  viewed?: P[];
}

export function createHeldForecasts<P extends object>() {
  const held = new WeakMap<readonly P[], HeldRows<P>>();
  let generation = 0;
  return {
    /** A forecast row was written here: every held read is read again. */
    wrote(): void {
      generation++;
    },

    /** The rows of `products` (held, or read now). */
    async rows(
      products: readonly P[],
      nowMs: number,
      read: () => Promise<ForecastRow[]>,
    ): Promise<HeldRows<P>> {
      const entry = held.get(products);
      if (entry && entry.generation === generation && nowMs - entry.readAt < rowsTtlMs) {
        return entry;
      }
      // A read racing a write is kept under the generation it started in: read again next call.
      const started = generation;
      const fresh: HeldRows<P> = { rows: await read(), readAt: nowMs, generation: started };
      held.set(products, fresh);
      return fresh;
    },

    /** The products with their availability for this second, made once per second. */
    viewed(entry: HeldRows<P>, second: number, make: () => P[]): P[] {
      if (entry.viewed && entry.second === second) return entry.viewed;
      entry.viewed = make();
      entry.second = second;
      return entry.viewed;
    },
  };
}
