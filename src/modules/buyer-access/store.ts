import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { preparedPerDb } from '../../platform/db/prepared.js';
import { buyerCredentials, buyerInterest, oauthStates } from './tables.js';

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

/** A customer's credentials at some agents, one prepared statement for any number of them. */
const credentialsAt = preparedPerDb((db) =>
  db
    .select()
    .from(buyerCredentials)
    .where(
      and(
        eq(buyerCredentials.customerId, sql.placeholder('customerId')),
        sql`${buyerCredentials.agentId} = any(${sql.placeholder('agentIds')}::text[])`,
      ),
    )
    .orderBy(asc(buyerCredentials.id))
    .prepare('buyer_credentials_for_agents'),
);

export async function credentialsForAgents(
  db: Db,
  customerId: number,
  agentIds: string[],
): Promise<CredentialRow[]> {
  if (agentIds.length === 0) return [];
  return credentialsAt(db).execute({ customerId, agentIds });
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

export async function findCredential(db: Db, id: number, customerId: number) {
  const [row] = await db
    .select()
    .from(buyerCredentials)
    .where(columnsEqual(buyerCredentials, { id, customerId }));
  return row;
}

export async function updateCredential(
  db: Db,
  id: number,
  patch: Partial<NewCredential>,
): Promise<CredentialRow> {
  const [row] = await db
    .update(buyerCredentials)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(buyerCredentials.id, id))
    .returning();
  return row as CredentialRow;
}

export async function deleteCredential(db: Db, id: number, customerId: number) {
  const [row] = await db
    .delete(buyerCredentials)
    .where(columnsEqual(buyerCredentials, { id, customerId }))
    .returning();
  return row;
}

export async function insertOAuthState(db: Db, input: typeof oauthStates.$inferInsert) {
  await db.insert(oauthStates).values(input);
}

/**
 * Takes a pending state exactly once, only before it expires, and (when given) only for the
 * customer that started it, so nobody else can burn another customer's flow.
 */
export async function consumeOAuthState(db: Db, state: string, now: Date, customerId?: number) {
  const [row] = await db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthStates.state, state),
        isNull(oauthStates.usedAt),
        gt(oauthStates.expiresAt, now),
        ...(customerId !== undefined ? [eq(oauthStates.customerId, customerId)] : []),
      ),
    )
    .returning();
  return row;
}
