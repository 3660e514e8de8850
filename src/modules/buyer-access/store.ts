import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { buyerCredentials, buyerInterest } from './tables.js';

export type CredentialRow = typeof buyerCredentials.$inferSelect;
export type NewCredential = typeof buyerCredentials.$inferInsert;

/**
 * Registers a credential; registering the same (customer, agent, account) again replaces its
 * secret and status (a rotation), keeping its id.
 */
export async function upsertCredential(db: Db, input: NewCredential): Promise<CredentialRow> {
  const [row] = await db
    .insert(buyerCredentials)
    .values(input)
    .onConflictDoUpdate({
      target: [
        buyerCredentials.customerId,
        buyerCredentials.agentId,
        buyerCredentials.accountIdentifier,
      ],
      set: {
        authType: input.authType,
        authSealed: input.authSealed ?? null,
        status: input.status,
        statusReason: input.statusReason ?? null,
        accountType: input.accountType ?? 'CLIENT',
        ...(input.advertiserId !== undefined && { advertiserId: input.advertiserId }),
        registeredBy: input.registeredBy ?? null,
        checkedAt: input.checkedAt ?? null,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row as CredentialRow;
}

export async function listCredentials(db: Db, customerId: number): Promise<CredentialRow[]> {
  return db
    .select()
    .from(buyerCredentials)
    .where(eq(buyerCredentials.customerId, customerId))
    .orderBy(asc(buyerCredentials.id));
}

export async function credentialsForAgents(
  db: Db,
  customerId: number,
  agentIds: string[],
): Promise<CredentialRow[]> {
  if (agentIds.length === 0) return [];
  return db
    .select()
    .from(buyerCredentials)
    .where(
      and(eq(buyerCredentials.customerId, customerId), inArray(buyerCredentials.agentId, agentIds)),
    )
    .orderBy(asc(buyerCredentials.id));
}

export async function insertInterest(
  db: Db,
  input: typeof buyerInterest.$inferInsert,
): Promise<typeof buyerInterest.$inferSelect> {
  const [row] = await db.insert(buyerInterest).values(input).returning();
  return row as typeof buyerInterest.$inferSelect;
}

export async function latestInterest(db: Db, customerId: number) {
  const [row] = await db
    .select()
    .from(buyerInterest)
    .where(eq(buyerInterest.customerId, customerId))
    .orderBy(desc(buyerInterest.submittedAt), desc(buyerInterest.id))
    .limit(1);
  return row;
}

/** Interest submissions naming a storefront, newest first. */
export async function interestIn(db: Db, storefrontId: number) {
  return db
    .select()
    .from(buyerInterest)
    .where(sql`${buyerInterest.storefrontIds} @> ${JSON.stringify([storefrontId])}::jsonb`)
    .orderBy(desc(buyerInterest.submittedAt), desc(buyerInterest.id));
}
