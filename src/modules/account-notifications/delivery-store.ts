import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { feedWebhookDeliveries } from './tables.js';

export type FeedDeliveryRow = typeof feedWebhookDeliveries.$inferSelect;
export type NewFeedDelivery = Omit<
  typeof feedWebhookDeliveries.$inferInsert,
  'status' | 'attempts' | 'createdAt' | 'deliveredAt' | 'lastStatusCode' | 'lastError'
>;

const d = feedWebhookDeliveries;

/**
 * The delivery log of account-level webhooks (wholesale feed and creative lifecycle events): one
 * row per event per subscriber.
 */
export function createFeedDeliveries(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Records deliveries to make; one already recorded under the same id is kept. */
    async record(rows: NewFeedDelivery[]): Promise<void> {
      if (rows.length === 0) return;
      await db.insert(d).values(rows).onConflictDoNothing();
    },
    async find(id: string): Promise<FeedDeliveryRow | undefined> {
      const [row] = await db.select().from(d).where(eq(d.id, id));
      return row;
    },
    /** One attempt's outcome; `final` settles the row delivered or failed. */
    async recordAttempt(
      id: string,
      outcome: {
        delivered: boolean;
        statusCode: number | null;
        error: string | null;
        final: boolean;
      },
    ): Promise<void> {
      await db
        .update(d)
        .set({
          attempts: sql`${d.attempts} + 1`,
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error?.slice(0, 500) ?? null,
          ...(outcome.delivered && { status: 'delivered' as const, deliveredAt: new Date() }),
          ...(!outcome.delivered && outcome.final && { status: 'failed' as const }),
        })
        .where(eq(d.id, id));
    },
    /**
     * A buyer's latest creative lifecycle deliveries (`creative.*`) about these creatives on a
     * storefront, newest first, at most `limit` of them.
     */
    async creativeDeliveriesOf(
      storefrontId: number,
      buyerCustomerId: number,
      creativeIds: string[],
      limit = 200,
    ): Promise<FeedDeliveryRow[]> {
      if (creativeIds.length === 0) return [];
      return db
        .select()
        .from(d)
        .where(
          and(
            eq(d.storefrontId, storefrontId),
            eq(d.buyerCustomerId, buyerCustomerId),
            like(d.notificationType, 'creative.%'),
            inArray(sql<string>`${d.payload}->>'creative_id'`, creativeIds),
          ),
        )
        .orderBy(desc(d.createdAt), desc(d.id))
        .limit(limit);
    },
    /** A buyer's latest deliveries on a storefront (newest first). */
    async latestOf(storefrontId: number, buyerCustomerId: number, limit = 50) {
      return db
        .select()
        .from(d)
        .where(columnsEqual(d, { storefrontId, buyerCustomerId }))
        .orderBy(desc(d.createdAt))
        .limit(limit);
    },
  };
}

export type FeedDeliveries = ReturnType<typeof createFeedDeliveries>;
