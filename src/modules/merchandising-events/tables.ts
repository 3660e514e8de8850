import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export type MerchandisingEvent =
  | 'media_buy_submitted_for_approval'
  | 'media_buy_forwarded'
  | 'media_buy_forward_failed'
  | 'media_buy_rejected'
  | 'delivery_reported';

/** Outcome events of media buys, tied to the discovery run that showed the products. */
export const merchandisingEvents = pgTable(
  'merchandising_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    mediaBuyId: text('media_buy_id'),
    discoveryRunId: bigint('discovery_run_id', { mode: 'number' }),
    event: text('event').$type<MerchandisingEvent>().notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('merchandising_events_storefront_idx').on(t.storefrontId, t.createdAt)],
);
