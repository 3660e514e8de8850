import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import { sellerAnalyticsRollup, sellerAnalyticsWatermarks } from '../tables.js';

export type RollupRow = typeof sellerAnalyticsRollup.$inferSelect;

/** The last event id folded into the rollup for the storefront (0 before the first fold). */
export async function watermarkOf(db: Db, storefrontId: number): Promise<number> {
  const [row] = await db
    .select({ eventId: sellerAnalyticsWatermarks.eventId })
    .from(sellerAnalyticsWatermarks)
    .where(eq(sellerAnalyticsWatermarks.storefrontId, storefrontId));
  return row?.eventId ?? 0;
}

export function rollupRowsOf(db: Db, runIds: number[]): Promise<RollupRow[]> {
  if (runIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(sellerAnalyticsRollup)
    .where(inArray(sellerAnalyticsRollup.runId, runIds));
}

const latestFirst = sql`order by t.created_at desc, t.id desc`;

/**
 * The storefront's events with ids in (from, upto], each with its last-touch run (null when
 * none): the SQL twin of attribution.ts.
 */
const attributedEvents = (storefrontId: number, from: number, upto: number | null) => sql`
        select e.id, e.created_at, e.event, e.media_buy_id, e.detail,
          (select dr.id from discovery_runs dr
            where dr.storefront_id = e.storefront_id
              and dr.buyer_customer_id = e.buyer_customer_id
              and dr.created_at <= e.created_at
              and jsonb_exists_any(dr.product_ids, mb.product_ids)
            order by dr.created_at desc, dr.id desc limit 1) as run_id
        from merchandising_events e
        join lateral (
          select array(
            select distinct p->>'product_id'
            from jsonb_array_elements(case when jsonb_typeof(b.submitted_payload->'packages') = 'array'
              then b.submitted_payload->'packages' else '[]'::jsonb end) p
            where jsonb_typeof(p) = 'object' and p->>'product_id' is not null
          ) as product_ids
          from storefront_media_buys b
          where b.storefront_id = e.storefront_id and b.media_buy_id = e.media_buy_id
        ) mb on true
        where e.storefront_id = ${storefrontId} and e.id > ${from} ${upto === null ? sql`` : sql`and e.id <= ${upto}`}
`;

/**
 * Per run of the storefront with attributed events: its latest attributed event type, over the
 * rollup and the events past the watermark (attributed in SQL, nothing written).
 */
export async function latestEventPerRun(
  db: Db,
  storefrontId: number,
  watermark: number,
): Promise<Map<number, string>> {
  const rows = rowsOf<{ run_id: string | number; event: string }>(
    await db.execute(sql`
      select distinct on (run_id) run_id, event from (
        select run_id, latest_event as event, latest_at as at, latest_event_id as id
        from seller_analytics_rollup where storefront_id = ${storefrontId}
        union all
        select t.run_id, t.event, t.created_at, t.id
        from (${attributedEvents(storefrontId, watermark, null)}) t
        where t.run_id is not null
      ) x
      order by run_id, at desc, id desc`),
  );
  return new Map(rows.map((r) => [Number(r.run_id), r.event]));
}
const isDelivery = sql`filter (where t.event = 'delivery_reported')`;

/**
 * Folds up to `batch` events of the storefront created before `cutoff`, past its watermark,
 * into the rollup: each attributed in SQL by the same rule as attribution.ts (latest run of
 * the same buyer customer, created no later than the event, sharing a product with the buy;
 * ties to the higher id). The watermark row is locked for the fold, so concurrent readers
 * fold each event exactly once; with `wait: false` a fold already under way makes this return 0
 * at once. Returns how many events were folded (0: caught up or busy).
 */
export async function foldEvents(
  db: Db,
  storefrontId: number,
  cutoff: Date,
  batch: number,
  options: { wait: boolean } = { wait: true },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx
      .insert(sellerAnalyticsWatermarks)
      .values({ storefrontId, eventId: 0 })
      .onConflictDoNothing();
    // A reader does not queue behind a fold in progress: it skips and reads what is folded.
    const [mark] = rowsOf<{ event_id: string | number }>(
      await tx.execute(sql`select event_id from seller_analytics_watermarks
        where storefront_id = ${storefrontId} for update ${options.wait ? sql`` : sql`skip locked`}`),
    );
    if (!mark) return 0;
    const from = Number(mark.event_id);
    const [next] = rowsOf<{ upto: string | number | null; n: string | number }>(
      await tx.execute(sql`select max(id) as upto, count(*) as n from (
        select id from merchandising_events
        where storefront_id = ${storefrontId} and id > ${from} and created_at < ${cutoff}
        order by id limit ${batch}) s`),
    );
    const upto = next?.upto === null || next?.upto === undefined ? null : Number(next.upto);
    if (upto === null) return 0;
    await tx.execute(sql`
      insert into seller_analytics_rollup as r (run_id, media_buy_id, storefront_id,
        submitted_count, forwarded_count, forward_failed_count, rejected_count,
        delivery_reported_count, latest_event, latest_at, latest_event_id,
        delivery_at, delivery_event_id, delivery_detail)
      select t.run_id, t.media_buy_id, ${storefrontId},
        count(*) filter (where t.event = 'media_buy_submitted_for_approval'),
        count(*) filter (where t.event = 'media_buy_forwarded'),
        count(*) filter (where t.event = 'media_buy_forward_failed'),
        count(*) filter (where t.event = 'media_buy_rejected'),
        count(*) ${isDelivery},
        (array_agg(t.event ${latestFirst}))[1],
        (array_agg(t.created_at ${latestFirst}))[1],
        (array_agg(t.id ${latestFirst}))[1],
        (array_agg(t.created_at ${latestFirst}) ${isDelivery})[1],
        (array_agg(t.id ${latestFirst}) ${isDelivery})[1],
        (array_agg(t.detail ${latestFirst}) ${isDelivery})[1]
      from (${attributedEvents(storefrontId, from, upto)}
      ) t
      where t.run_id is not null
      group by t.run_id, t.media_buy_id
      on conflict (run_id, media_buy_id) do update set
        submitted_count = r.submitted_count + excluded.submitted_count,
        forwarded_count = r.forwarded_count + excluded.forwarded_count,
        forward_failed_count = r.forward_failed_count + excluded.forward_failed_count,
        rejected_count = r.rejected_count + excluded.rejected_count,
        delivery_reported_count = r.delivery_reported_count + excluded.delivery_reported_count,
        latest_event = case when (excluded.latest_at, excluded.latest_event_id) > (r.latest_at, r.latest_event_id)
          then excluded.latest_event else r.latest_event end,
        latest_event_id = case when (excluded.latest_at, excluded.latest_event_id) > (r.latest_at, r.latest_event_id)
          then excluded.latest_event_id else r.latest_event_id end,
        latest_at = greatest(r.latest_at, excluded.latest_at),
        delivery_detail = case when excluded.delivery_at is not null and (r.delivery_at is null
            or (excluded.delivery_at, excluded.delivery_event_id) > (r.delivery_at, r.delivery_event_id))
          then excluded.delivery_detail else r.delivery_detail end,
        delivery_event_id = case when excluded.delivery_at is not null and (r.delivery_at is null
            or (excluded.delivery_at, excluded.delivery_event_id) > (r.delivery_at, r.delivery_event_id))
          then excluded.delivery_event_id else r.delivery_event_id end,
        delivery_at = case when excluded.delivery_at is not null and (r.delivery_at is null
            or excluded.delivery_at > r.delivery_at)
          then excluded.delivery_at else r.delivery_at end`);
    await tx
      .update(sellerAnalyticsWatermarks)
      .set({ eventId: upto, updatedAt: new Date() })
      .where(and(eq(sellerAnalyticsWatermarks.storefrontId, storefrontId)));
    return Number(next!.n);
  });
}
