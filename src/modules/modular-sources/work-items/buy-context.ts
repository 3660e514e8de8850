import type { Db } from '../../../platform/db/database.js';
import type { Buys } from '../buys/service.js';
import type { BuyRow } from '../buys/store.js';
import type { ModularContext, ModularRow } from '../context.js';
import { availNamesIn, buysIn, holdDeadlinesOf } from './buy-context-store.js';
import type { WorkItemRow } from './store.js';
import type { WorkItemBuy } from '../../inventory-sources/index.js';
import { cents } from '../../../sources/money.js';

/**
 * What a person working an item needs to know of its media buy, read from the buy as it is now
 * (not the item's payload, which keeps the buy as it was opened): whose buy (the buyer's name),
 * the brand, PO, budget, flight, products, its status, and when its hold lapses (the item's
 * deadline while the booking waits for confirmation). An item another source kind opened
 * (source-queue.ts) is about a buy this module does not hold: it shows the buy as that source
 * gave it, with the buyer's name as it is now.
 */
export type BuyContext = WorkItemBuy;

export interface BuyContextDeps {
  db: Db;
  now: () => Date;
  flow: Pick<Buys, 'statusOf'>;
  /** Buyer customers' names (module identity); absent: names are null. */
  customerNames?: ((ids: number[]) => Promise<Map<number, string>>) | undefined;
  /** A source's setup, to read a buy's status as the source derives it. */
  modularOf: (inventorySourceId: number) => Promise<ModularRow | undefined>;
}

/** The module's own collaborators as a context reader needs them. */
export const buyContextDeps = (ctx: ModularContext, flow: Pick<Buys, 'statusOf'>) => ({
  db: ctx.db,
  now: ctx.now,
  flow,
  customerNames: ctx.deps.customerNames,
  modularOf: ctx.modularOf,
});

/** Each item's buy context by item id (items about no buy are left out). */
export async function buyContextsOf(
  deps: BuyContextDeps,
  items: WorkItemRow[],
): Promise<Map<string, BuyContext>> {
  const about = items.filter((i) => i.mediaBuyId !== null);
  if (about.length === 0) return new Map();
  const buyIds = [...new Set(about.map((i) => i.mediaBuyId!))];
  const sourceIds = [...new Set(about.map((i) => i.inventorySourceId))];
  const buys = await buysIn(deps.db, sourceIds, buyIds);
  const holds = await holdDeadlinesOf(deps.db, buyIds);
  const availIds = [...new Set(buys.flatMap((b) => b.packages.map((p) => p.availId)))];
  const avails = await availNamesIn(deps.db, sourceIds, availIds);
  const given = new Map(
    about.flatMap((i) => (isBuy(i.payload['mediaBuy']) ? [[i.id, i.payload['mediaBuy']]] : [])),
  );
  const buyerIds = [
    ...buys.map((b) => b.buyerCustomerId),
    ...[...given.values()].map((b) => b.buyer.customerId),
  ];
  const names = (await deps.customerNames?.([...new Set(buyerIds)])) ?? new Map<number, string>();
  const setups = new Map<number, ModularRow | undefined>();
  for (const id of sourceIds) setups.set(id, await deps.modularOf(id));

  const availName = new Map(avails.map((a) => [`${a.inventorySourceId}\n${a.availId}`, a.name]));
  const holdOf = new Map(holds.map((h) => [h.mediaBuyId, h.at]));
  const byBuy = new Map<string, BuyContext>();
  for (const buy of buys) {
    const setup = setups.get(buy.inventorySourceId);
    const hold = holdOf.get(buy.id);
    byBuy.set(`${buy.inventorySourceId}\n${buy.id}`, {
      mediaBuyId: buy.id,
      status: setup ? deps.flow.statusOf(buy, setup, deps.now()) : buy.status,
      buyer: { customerId: buy.buyerCustomerId, name: names.get(buy.buyerCustomerId) ?? null },
      brandDomain: buy.brandDomain,
      poNumber: buy.poNumber,
      budget: budgetOf(buy),
      flight: { startTime: buy.startTime.toISOString(), endTime: buy.endTime.toISOString() },
      products: buy.packages.map((p) => ({
        packageId: p.packageId,
        availId: p.availId,
        name: availName.get(`${buy.inventorySourceId}\n${p.availId}`) ?? null,
        impressions: p.impressions,
        budget: p.budget,
        cpm: p.cpm,
        currency: p.currency,
      })),
      holdExpiresAt: hold ? new Date(hold).toISOString() : null,
    });
  }
  const out = new Map<string, BuyContext>();
  for (const item of about) {
    const found = byBuy.get(`${item.inventorySourceId}\n${item.mediaBuyId}`);
    const snapshot = given.get(item.id);
    if (found) out.set(item.id, found);
    else if (snapshot) {
      const name = names.get(snapshot.buyer.customerId) ?? snapshot.buyer.name;
      out.set(item.id, { ...snapshot, buyer: { ...snapshot.buyer, name } });
    }
  }
  return out;
}

/** The buy's budget: its packages' budgets, in their (one) currency, to the cent. */
const budgetOf = (buy: BuyRow) => ({
  amount: cents(buy.packages.reduce((sum, p) => sum + p.budget, 0)),
  currency: buy.packages[0]?.currency ?? 'USD',
});

/** A buy another source kind gave with its item (its payload's `mediaBuy`). */
const isBuy = (value: unknown): value is WorkItemBuy =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as WorkItemBuy).mediaBuyId === 'string' &&
  typeof (value as WorkItemBuy).buyer?.customerId === 'number' &&
  Array.isArray((value as WorkItemBuy).products);
