import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { type ForwardLeg, type StoredAssignment, storefrontMediaBuys } from './tables.js';

export type MediaBuyRow = typeof storefrontMediaBuys.$inferSelect;
export type NewMediaBuy = typeof storefrontMediaBuys.$inferInsert;

export const buyKey = (storefrontId: number, mediaBuyId: string) =>
  columnsEqual(storefrontMediaBuys, { storefrontId, mediaBuyId });

export async function insertMediaBuy(db: Db, row: NewMediaBuy): Promise<MediaBuyRow> {
  const [created] = await db.insert(storefrontMediaBuys).values(row).returning();
  return created!;
}

export async function findMediaBuy(
  db: Db,
  storefrontId: number,
  mediaBuyId: string,
): Promise<MediaBuyRow | undefined> {
  const [row] = await db.select().from(storefrontMediaBuys).where(buyKey(storefrontId, mediaBuyId));
  return row;
}

export function listMediaBuysOf(
  db: Db,
  storefrontId: number,
  customerId: number,
  mediaBuyIds?: string[],
): Promise<MediaBuyRow[]> {
  return db
    .select()
    .from(storefrontMediaBuys)
    .where(
      and(
        eq(storefrontMediaBuys.storefrontId, storefrontId),
        eq(storefrontMediaBuys.buyerCustomerId, customerId),
        mediaBuyIds ? inArray(storefrontMediaBuys.mediaBuyId, mediaBuyIds) : undefined,
      ),
    )
    .orderBy(desc(storefrontMediaBuys.createdAt), desc(storefrontMediaBuys.id));
}

export async function updateMediaBuy(
  db: Db,
  id: number,
  patch: Partial<NewMediaBuy>,
): Promise<MediaBuyRow> {
  const [row] = await db
    .update(storefrontMediaBuys)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(storefrontMediaBuys.id, id))
    .returning();
  return row!;
}

/**
 * Records package assignments replaced by update_media_buy, and the creatives packages took
 * inline by it. Merged into the stored maps in one statement, so two updates of different
 * packages never lose each other's change.
 */
export async function mergeCreativeAssignments(
  db: Db,
  id: number,
  assignments: Record<string, StoredAssignment[]>,
  inline: Record<string, string[]> = {},
): Promise<void> {
  await db
    .update(storefrontMediaBuys)
    .set({
      creativeAssignments: sql`${storefrontMediaBuys.creativeAssignments} || ${JSON.stringify(assignments)}::jsonb`,
      inlineCreatives: sql`${storefrontMediaBuys.inlineCreatives} || ${JSON.stringify(inline)}::jsonb`,
      updatedAt: sql`now()`,
    })
    .where(eq(storefrontMediaBuys.id, id));
}

/**
 * Records the media-buy status each source last answered for its leg (an update_media_buy
 * that canceled the buy answers `canceled`), by source id. One statement over the stored legs,
 * so a concurrent write of another column or leg is not lost.
 */
export async function setLegStatuses(
  db: Db,
  id: number,
  statuses: Record<string, string>,
): Promise<void> {
  const given = JSON.stringify(statuses);
  await db
    .update(storefrontMediaBuys)
    .set({
      forwardResult: sql`(
        select jsonb_agg(
          case when ${given}::jsonb ? (leg->>'sourceId')
            then leg || jsonb_build_object('mediaBuyStatus', ${given}::jsonb->>(leg->>'sourceId'))
            else leg end
          order by ord)
        from jsonb_array_elements(${storefrontMediaBuys.forwardResult}) with ordinality as legs(leg, ord)
      )`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(storefrontMediaBuys.id, id),
        sql`jsonb_typeof(${storefrontMediaBuys.forwardResult}) = 'array'`,
      ),
    );
}

/**
 * Records the budgets sources confirmed for packages (read back after an update), by storefront
 * package id, on the legs' packages. One statement over the stored legs, as setLegStatuses.
 */
export async function setPackageBudgets(
  db: Db,
  id: number,
  budgets: Record<string, number>,
): Promise<void> {
  const given = JSON.stringify(budgets);
  await db
    .update(storefrontMediaBuys)
    .set({
      forwardResult: sql`(
        select jsonb_agg(
          case when jsonb_typeof(leg->'packages') = 'array'
            then jsonb_set(leg, '{packages}', (
              select jsonb_agg(
                case when ${given}::jsonb ? (p->>'packageId')
                  then p || jsonb_build_object('budget', ${given}::jsonb->(p->>'packageId'))
                  else p end
                order by pord)
              from jsonb_array_elements(leg->'packages') with ordinality as ps(p, pord)
            ))
            else leg end
          order by ord)
        from jsonb_array_elements(${storefrontMediaBuys.forwardResult}) with ordinality as legs(leg, ord)
      )`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(storefrontMediaBuys.id, id),
        sql`jsonb_typeof(${storefrontMediaBuys.forwardResult}) = 'array'`,
      ),
    );
}

/**
 * Records one source's leg of a buy's forward, replacing that source's leg or adding it, in one
 * statement (recovery establishes legs of one buy in parallel).
 */
export async function putLeg(db: Db, id: number, leg: ForwardLeg): Promise<MediaBuyRow> {
  const given = JSON.stringify(leg);
  const [row] = await db
    .update(storefrontMediaBuys)
    .set({
      forwardResult: sql`(
        select coalesce(jsonb_agg(l order by ord), '[]'::jsonb) || ${given}::jsonb
        from jsonb_array_elements(coalesce(${storefrontMediaBuys.forwardResult}, '[]'::jsonb))
          with ordinality as legs(l, ord)
        where l->>'sourceId' <> ${leg.sourceId}
      )`,
      updatedAt: sql`now()`,
    })
    .where(eq(storefrontMediaBuys.id, id))
    .returning();
  return row!;
}

/** The latest buy a buyer recorded under an idempotency key on a storefront, if any. */
export async function findByKey(
  db: Db,
  storefrontId: number,
  customerId: number,
  idempotencyKey: string,
): Promise<MediaBuyRow | undefined> {
  const [row] = await db
    .select()
    .from(storefrontMediaBuys)
    .where(
      columnsEqual(storefrontMediaBuys, {
        storefrontId,
        buyerCustomerId: customerId,
        idempotencyKey,
      }),
    )
    .orderBy(desc(storefrontMediaBuys.id))
    .limit(1);
  return row;
}

/**
 * The storefront's buy with a leg waiting on the task `taskId` of its source `sourceId` (a source
 * took its part as a task), if any.
 */
export async function findWaitingOnTask(
  db: Db,
  storefrontId: number,
  sourceId: string,
  taskId: string,
): Promise<MediaBuyRow | undefined> {
  const leg = JSON.stringify([{ sourceId, status: 'submitted', upstreamTaskId: taskId }]);
  const [row] = await db
    .select()
    .from(storefrontMediaBuys)
    .where(
      and(
        eq(storefrontMediaBuys.storefrontId, storefrontId),
        sql`${storefrontMediaBuys.forwardResult} @> ${leg}::jsonb`,
      ),
    )
    .limit(1);
  return row;
}
