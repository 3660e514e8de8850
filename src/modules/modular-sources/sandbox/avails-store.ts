import { and, asc, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import { availableSql, liveAvail } from '../buys/avails-store.js';
import type { Db } from '../../../platform/db/database.js';
import { modularAvails } from '../tables.js';

/**
 * Sandbox avails (issue 70, item 2): products a sandbox buyer seeded through the storefront's
 * comply_test_controller, held in the modular source's own avails as rows marked with that
 * buyer (`sandbox_customer_id`), so a sandbox buy of one books in the ledger like any avail.
 * Every read here is one buyer's; the seller's live reads leave them out (avails-store.ts).
 */

export type SandboxAvailRow = typeof modularAvails.$inferSelect;

/** What a seeded avail is made of (the row's other columns take their defaults). */
export interface SandboxAvailWrite {
  inventorySourceId: number;
  storefrontId: number;
  customerId: number;
  availId: string;
  name: string;
  channel: string | null;
  startTime: Date;
  endTime: Date;
  impressionsCapacity: number;
  cpm: number;
  currency: string;
  formatOptions: SandboxAvailRow['formatOptions'];
  publisherProperties: SandboxAvailRow['publisherProperties'];
  sourceMetadata: Record<string, unknown>;
}

/**
 * The stored id of a buyer's sandbox avail: a product it seeded, or its copy of the seller's avail
 * of that id (copies.ts). No feed names it, no other buyer shares it.
 */
export const sandboxStoredIdOf = (customerId: number, productId: string) =>
  `~sandbox.${customerId}.${productId}`;

const sandboxCollection = { id: '~sandbox', name: 'Sandbox fixtures' };

/**
 * Seeds (or re-seeds) the buyer's avail; answers false when the id is a live avail's (never
 * overwritten) or another buyer's.
 */
export async function upsertSandboxAvail(db: Db, write: SandboxAvailWrite): Promise<boolean> {
  const values = {
    inventorySourceId: write.inventorySourceId,
    storefrontId: write.storefrontId,
    availId: write.availId,
    collectionId: sandboxCollection.id,
    collectionName: sandboxCollection.name,
    name: write.name,
    channel: write.channel,
    startTime: write.startTime,
    endTime: write.endTime,
    impressionsCapacity: write.impressionsCapacity,
    cpm: write.cpm,
    currency: write.currency,
    formatOptions: write.formatOptions,
    publisherProperties: write.publisherProperties,
    sourceMetadata: write.sourceMetadata,
    revisionId: sandboxCollection.id,
    active: true,
    sandboxCustomerId: write.customerId,
    updatedAt: new Date(),
  };
  const { inventorySourceId: _i, availId: _a, storefrontId: _s, ...changed } = values;
  const written = await db
    .insert(modularAvails)
    .values(values)
    .onConflictDoUpdate({
      target: [modularAvails.inventorySourceId, modularAvails.availId],
      set: changed,
      setWhere: eq(modularAvails.sandboxCustomerId, write.customerId),
    })
    .returning({ id: modularAvails.id });
  return written.length > 0;
}

/** Sets the price of one of the buyer's avails; answers whether it had one by that id. */
export async function priceSandboxAvail(
  db: Db,
  where: { inventorySourceId: number; customerId: number; availId: string },
  price: { cpm: number; currency: string; sourceMetadata: Record<string, unknown> },
): Promise<boolean> {
  const updated = await db
    .update(modularAvails)
    .set({ ...price, updatedAt: new Date() })
    .where(
      and(
        eq(modularAvails.inventorySourceId, where.inventorySourceId),
        eq(modularAvails.sandboxCustomerId, where.customerId),
        eq(modularAvails.availId, where.availId),
      ),
    )
    .returning({ id: modularAvails.id });
  return updated.length > 0;
}

/**
 * Marks a sandbox avail that stands in for one of the seller's own in a sandbox buy
 * (sandbox/copies.ts), not a product the buyer seeded: never listed.
 */
export const copyOfKey = 'sandbox_copy_of';
const notACopy = sql`not (${modularAvails.sourceMetadata} ? ${copyOfKey})`;

/**
 * The buyer's sandbox avails on sale (active, not over), newest seed first (at most 200): the
 * ones named, or else the products it seeded (the stand-ins for the seller's own left out).
 */
export function sandboxAvailsOf(
  db: Db,
  inventorySourceId: number,
  customerId: number,
  now: Date,
  availIds?: string[],
): Promise<SandboxAvailRow[]> {
  return db
    .select()
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        eq(modularAvails.sandboxCustomerId, customerId),
        eq(modularAvails.active, true),
        gt(modularAvails.endTime, now),
        availIds ? inArray(modularAvails.availId, availIds) : notACopy,
      ),
    )
    .orderBy(sql`${modularAvails.updatedAt} desc`, asc(modularAvails.availId))
    .limit(200);
}

/** The seller's own avails (liveAvail) that are active and not over. */
const liveRunning = (inventorySourceId: number, now: Date) =>
  and(
    eq(modularAvails.inventorySourceId, inventorySourceId),
    liveAvail,
    eq(modularAvails.active, true),
    gt(modularAvails.endTime, now),
  );

/**
 * The seller's own avail on sale a seeded product is made like: one on `channel` (any channel
 * when null), most capacity first; undefined when the source sells none there.
 */
export async function liveAvailLike(
  db: Db,
  inventorySourceId: number,
  channel: string | null,
  now: Date,
): Promise<SandboxAvailRow | undefined> {
  const [row] = await db
    .select()
    .from(modularAvails)
    .where(
      and(
        liveRunning(inventorySourceId, now),
        channel === null ? undefined : eq(modularAvails.channel, channel),
      ),
    )
    .orderBy(sql`${modularAvails.impressionsCapacity} desc`, asc(modularAvails.availId))
    .limit(1);
  return row;
}

/** Whether `availId` is one of the seller's own avails (on sale or not): never a fixture's id. */
export async function isLiveAvailId(
  db: Db,
  inventorySourceId: number,
  availId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: modularAvails.id })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        liveAvail,
        eq(modularAvails.availId, availId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * The seller's own avail of that id on sale (active, not over), if there is one, with the
 * impressions it has left.
 */
export async function liveAvailOnSale(
  db: Db,
  inventorySourceId: number,
  availId: string,
  now: Date,
): Promise<(SandboxAvailRow & { available: number }) | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(modularAvails), available: sql<number>`${availableSql}::float8` })
    .from(modularAvails)
    .where(and(liveRunning(inventorySourceId, now), eq(modularAvails.availId, availId)))
    .limit(1);
  return row;
}
