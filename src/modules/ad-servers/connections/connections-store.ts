import { eq } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { adServerConnections } from '../tables.js';

/*
 * Every query on ad-server connections: which ad server a source is on, its non-secret config,
 * its sealed credentials (never opened here) and its provisioning state.
 */

export type ConnectionRow = typeof adServerConnections.$inferSelect;
export type NewConnection = typeof adServerConnections.$inferInsert;

/** The connection of an inventory source, if it has one. */
export async function findConnection(
  db: Db,
  inventorySourceId: number,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(adServerConnections)
    .where(eq(adServerConnections.inventorySourceId, inventorySourceId));
  return row;
}

/** The connection of an inventory source only if it belongs to the storefront. */
export async function findOwnedConnection(
  db: Db,
  inventorySourceId: number,
  storefrontId: number,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(adServerConnections)
    .where(columnsEqual(adServerConnections, { inventorySourceId, storefrontId }));
  return row;
}

/** Records a new connection (inside the transaction that registers its inventory source). */
export async function insertConnection(db: Db, values: NewConnection): Promise<void> {
  await db.insert(adServerConnections).values(values);
}

/** Saves fields of a connection as given (a caller that stamps updatedAt passes it); answers the row. */
export async function updateConnection(
  db: Db,
  inventorySourceId: number,
  fields: Partial<NewConnection>,
): Promise<ConnectionRow> {
  const [row] = await db
    .update(adServerConnections)
    .set(fields)
    .where(eq(adServerConnections.inventorySourceId, inventorySourceId))
    .returning();
  return row!;
}

/** The inventory sources whose connection is active (the scheduled sync's list). */
export async function activeConnectionIds(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: adServerConnections.inventorySourceId })
    .from(adServerConnections)
    .where(eq(adServerConnections.provisioningStatus, 'active'));
  return rows.map((r) => r.id);
}
