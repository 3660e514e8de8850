import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { audioProductions, buyerModelCredentials } from './tables.js';

export type CredentialRow = typeof buyerModelCredentials.$inferSelect;
export type ProductionRow = typeof audioProductions.$inferSelect;
export type NewProduction = typeof audioProductions.$inferInsert;

/** Inserts a credential and answers its row; the sealed key is set next (it needs the id). */
export async function insertCredential(
  db: Db,
  row: Omit<typeof buyerModelCredentials.$inferInsert, 'keySealed'>,
): Promise<CredentialRow> {
  const [created] = await db
    .insert(buyerModelCredentials)
    .values({ ...row, keySealed: '' })
    .returning();
  return created!;
}

export async function updateCredential(
  db: Db,
  customerId: number,
  id: number,
  patch: Partial<typeof buyerModelCredentials.$inferInsert>,
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(buyerModelCredentials)
    .set({ ...patch, updatedAt: new Date() })
    .where(columnsEqual(buyerModelCredentials, { customerId, id }))
    .returning();
  return row;
}

export async function findCredential(db: Db, customerId: number, id: number) {
  const [row] = await db
    .select()
    .from(buyerModelCredentials)
    .where(columnsEqual(buyerModelCredentials, { customerId, id }));
  return row;
}

/** The customer's credentials assigned to the advertiser or to all its advertisers, newest first. */
export function credentialsFor(db: Db, customerId: number, advertiserId: number) {
  return db
    .select()
    .from(buyerModelCredentials)
    .where(
      and(
        eq(buyerModelCredentials.customerId, customerId),
        sql`(${buyerModelCredentials.isDefault} or ${buyerModelCredentials.advertiserIds} @> ${JSON.stringify([advertiserId])}::jsonb)`,
      ),
    )
    .orderBy(desc(buyerModelCredentials.updatedAt), desc(buyerModelCredentials.id));
}

export async function insertProduction(db: Db, row: NewProduction): Promise<ProductionRow> {
  const [created] = await db.insert(audioProductions).values(row).returning();
  return created!;
}

export async function updateProduction(
  db: Db,
  id: string,
  patch: Partial<NewProduction>,
): Promise<void> {
  await db
    .update(audioProductions)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(audioProductions.id, id));
}

/** Any customer's production by id: for the job, which carries only the id. */
export async function findProductionById(db: Db, id: string) {
  const [row] = await db.select().from(audioProductions).where(eq(audioProductions.id, id));
  return row;
}

export async function findProduction(db: Db, customerId: number, advertiserId: number, id: string) {
  const [row] = await db
    .select()
    .from(audioProductions)
    .where(columnsEqual(audioProductions, { customerId, advertiserId, id }));
  return row;
}

export function productionsOf(db: Db, customerId: number, advertiserId: number, limit: number) {
  return db
    .select()
    .from(audioProductions)
    .where(columnsEqual(audioProductions, { customerId, advertiserId }))
    .orderBy(desc(audioProductions.createdAt), desc(audioProductions.id))
    .limit(limit);
}

/** Productions not finished: resumed when the job queue starts. */
export function unfinishedProductions(db: Db) {
  return db
    .select({ id: audioProductions.id })
    .from(audioProductions)
    .where(inArray(audioProductions.status, ['QUEUED', 'PROCESSING']));
}
