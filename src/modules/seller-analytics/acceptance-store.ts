import { and, asc, eq } from 'drizzle-orm';
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
      and(
        eq(postureAcceptances.storefrontId, input.storefrontId),
        eq(postureAcceptances.posture, input.posture),
      ),
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
    .where(
      and(
        eq(postureAcceptances.storefrontId, storefrontId),
        eq(postureAcceptances.posture, posture),
      ),
    )
    .returning({ posture: postureAcceptances.posture });
  return removed.length > 0;
}
