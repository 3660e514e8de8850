/**
 * Last-touch product-overlap attribution (seed 003, seller analytics). Each outcome event goes
 * to the most recent discovery run of the same buyer that showed at least one of the media
 * buy's products and ran no later than the event. Ties on the run timestamp go to the run
 * recorded last (higher id). Buyer identity is the authenticated buyer customer: the operator
 * and brand a buyer asserts are display data and never move another customer's buys.
 * Runs without a buyer customer, and events whose media buy lists no products, attribute
 * nothing.
 */
export interface AttributableRun {
  id: number;
  createdAt: Date;
  buyerCustomerId: number | null;
  productIds: readonly string[];
}

export interface AttributableEvent {
  id: number;
  createdAt: Date;
  buyerCustomerId: number;
  productIds: readonly string[];
}

/** Event id → run id, for every event that some run in `runs` takes. */
export function attributeEvents(
  runs: readonly AttributableRun[],
  events: readonly AttributableEvent[],
): Map<number, number> {
  // Per buyer, newest first (created_at, then id): the first overlapping run not after the
  // event is the last touch.
  const byBuyer = new Map<number, { run: AttributableRun; products: Set<string> }[]>();
  for (const run of runs) {
    if (run.buyerCustomerId === null) continue;
    const list = byBuyer.get(run.buyerCustomerId) ?? [];
    list.push({ run, products: new Set(run.productIds) });
    byBuyer.set(run.buyerCustomerId, list);
  }
  for (const list of byBuyer.values()) list.sort((a, b) => newerFirst(a.run, b.run));
  const attributed = new Map<number, number>();
  for (const event of events) {
    const candidates = byBuyer.get(event.buyerCustomerId);
    if (!candidates || event.productIds.length === 0) continue;
    const at = event.createdAt.getTime();
    for (const { run, products } of candidates) {
      if (run.createdAt.getTime() > at) continue;
      if (event.productIds.some((id) => products.has(id))) {
        attributed.set(event.id, run.id);
        break;
      }
    }
  }
  return attributed;
}

/** Newest first: later created_at, then higher id. */
export function newerFirst(
  a: { createdAt: Date; id: number },
  b: { createdAt: Date; id: number },
): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;
}
