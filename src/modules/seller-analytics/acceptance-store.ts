import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { Posture } from '../postures/index.js';
import { postureAcceptances } from './tables.js';

/** The postures the storefront's seller accepted, oldest acceptance first. */
export async function acceptedPostures(
  db: Db,
  storefrontId: number,
): Promise<Array<{ posture: Posture; acceptedAt: Date }>> {
  return db
    .select({ posture: postureAcceptances.posture, acceptedAt: postureAcceptances.acceptedAt })
    .from(postureAcceptances)
    .where(eq(postureAcceptances.storefrontId, storefrontId))
    .orderBy(asc(postureAcceptances.acceptedAt));
}

/** Accepts `posture` (again: the first acceptance stands); answers the acceptance. */
export async function acceptPosture(
  db: Db,
  input: { storefrontId: number; posture: Posture; acceptedBy: number | null },
): Promise<{ posture: Posture; acceptedAt: Date }> {
  await db.insert(postureAcceptances).values(input).onConflictDoNothing();
  const [row] = await db
    .select({ posture: postureAcceptances.posture, acceptedAt: postureAcceptances.acceptedAt })
    .from(postureAcceptances)
    .where(
      columnsEqual(postureAcceptances, {
        storefrontId: input.storefrontId,
        posture: input.posture,
      }),
    );
  return row!;
}

/** Withdraws the acceptance of `posture`; answers whether there was one. */
export async function withdrawPosture(
  db: Db,
  storefrontId: number,
  posture: Posture,
): Promise<boolean> {
  const removed = await db
    .delete(postureAcceptances)
    .where(columnsEqual(postureAcceptances, { storefrontId, posture }))
    .returning({ posture: postureAcceptances.posture });
  return removed.length > 0;
}

/**
 * Makes `posture` the storefront's one accepted posture (hosted's learned default), or accepts
 * none (null): every other acceptance is withdrawn, an acceptance of `posture` itself keeps its
 * date. Locked per storefront for the transaction, so two concurrent pins end with one of them.
 */
export async function setOnlyAccepted(
  db: Db,
  input: { storefrontId: number; posture: Posture | null; acceptedBy: number | null },
): Promise<{ posture: Posture; acceptedAt: Date } | null> {
  return db.transaction(async (tx) => {
    const key = input.storefrontId % 2_147_483_647;
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${key}::int)`);
    const { storefrontId, posture, acceptedBy } = input;
    await tx
      .delete(postureAcceptances)
      .where(
        posture === null
          ? eq(postureAcceptances.storefrontId, storefrontId)
          : and(
              eq(postureAcceptances.storefrontId, storefrontId),
              ne(postureAcceptances.posture, posture),
            ),
      );
    if (posture === null) return null;
    return acceptPosture(tx, { storefrontId, posture, acceptedBy });
  });
}
/** This module's advisory-lock space (pg_advisory_xact_lock's first key). */
const LOCK_SPACE = 40_471;
