import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const postures = [
  'hold_value',
  'value_preserving_compromise',
  'tradeoff_ladder',
  'direct_fit',
  'price_first',
  'wholesale_mirror',
] as const;
export type Posture = (typeof postures)[number];

/**
 * The negotiation posture a discovery run used, and the history-derived recommendation in
 * force when it ran. Kept beside discovery_runs (not a column of it) so this module owns what
 * it adds; the storefront agent records a row per run through `recordRunPosture`. Runs without
 * a row have no selected posture and are not comparable for adherence.
 */
export const discoveryRunPostures = pgTable(
  'discovery_run_postures',
  {
    discoveryRunId: bigint('discovery_run_id', { mode: 'number' }).primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    selectedPosture: text('selected_posture').$type<Posture>(),
    recommendedPosture: text('recommended_posture').$type<Posture>(),
    rationale: text('rationale'),
    evidence: jsonb('evidence').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('discovery_run_postures_storefront_idx').on(t.storefrontId)],
);
