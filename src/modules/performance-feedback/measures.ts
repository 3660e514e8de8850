import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { rowsOf } from '../../platform/db/migrate.js';

/** A placed buy as feedback reads it (campaign_media_buys and its campaign, read-only). */
export interface FeedbackBuy {
  mediaBuyId: string;
  customerId: number;
  advertiserId: number;
  salesAgentId: string;
  sellerMediaBuyId: string;
  currency: string;
  startTime: Date;
  endTime: Date;
  goals: Record<string, unknown>[];
}

/** An event source and type a goal counts (the goal's eventSources). */
export interface CountedEvent {
  eventSourceId: string;
  eventType: string;
}

type Row = Record<string, unknown>;

/** Placed buys (booked at a seller, never DRAFT/FAILED/REJECTED) of campaigns with goals. */
export async function placedBuysWithGoals(db: Db, afterId: string, limit: number) {
  const rows = rowsOf<Row>(
    await db.execute(sql`
    select b.id, b.customer_id, b.advertiser_id, b.sales_agent_id, b.seller_media_buy_id,
           b.currency, b.start_time, b.end_time, c.performance_config
      from campaign_media_buys b join campaigns c on c.id = b.campaign_id
     where b.seller_media_buy_id is not null
       and b.status not in ('DRAFT', 'FAILED', 'REJECTED')
       and c.performance_config is not null and b.id > ${afterId}
     order by b.id limit ${limit}`),
  );
  return rows.map((r): FeedbackBuy => ({
    mediaBuyId: String(r['id']),
    customerId: Number(r['customer_id']),
    advertiserId: Number(r['advertiser_id']),
    salesAgentId: String(r['sales_agent_id']),
    sellerMediaBuyId: String(r['seller_media_buy_id']),
    currency: String(r['currency']),
    startTime: new Date(r['start_time'] as string),
    endTime: new Date(r['end_time'] as string),
    goals:
      (r['performance_config'] as { optimizationGoals?: Row[] } | null)?.optimizationGoals ?? [],
  }));
}

/** What the seller reported the buy spent on the days in [start, end) (delivery_daily). */
export async function spendOf(db: Db, buy: FeedbackBuy, start: Date, end: Date) {
  const rows = rowsOf<Row>(
    await db.execute(sql`
    select coalesce(sum(spend), 0) as spend from delivery_daily
     where customer_id = ${buy.customerId} and media_buy_id = ${buy.mediaBuyId}
       and day >= ${start.toISOString().slice(0, 10)} and day < ${end.toISOString().slice(0, 10)}`),
  );
  return Number(rows[0]?.['spend'] ?? 0);
}

/** The advertiser's spend over all its placed buys on the days in [start, end). */
export async function advertiserSpendOf(db: Db, buy: FeedbackBuy, start: Date, end: Date) {
  const rows = rowsOf<Row>(
    await db.execute(sql`
    select coalesce(sum(spend), 0) as spend from delivery_daily
     where customer_id = ${buy.customerId} and advertiser_id = ${buy.advertiserId}
       and day >= ${start.toISOString().slice(0, 10)} and day < ${end.toISOString().slice(0, 10)}`),
  );
  return Number(rows[0]?.['spend'] ?? 0);
}

/**
 * The buyer's own conversions for the buy's advertiser in [start, end): non-test events logged
 * (log-event) by the advertiser's event sources whose source and type one of `counted` names.
 */
export async function conversionsOf(
  db: Db,
  buy: FeedbackBuy,
  counted: CountedEvent[],
  start: Date,
  end: Date,
) {
  if (counted.length === 0) return { count: 0, value: 0 };
  const matches = sql.join(
    counted.map(
      (c) => sql`(s.event_source_id = ${c.eventSourceId} and e.event_type = ${c.eventType})`,
    ),
    sql` or `,
  );
  const rows = rowsOf<Row>(
    await db.execute(sql`
    select count(*) as n, coalesce(sum(e.value), 0) as value
      from logged_events e join event_sources s on s.id = e.source_row_id
     where e.customer_id = ${buy.customerId} and e.advertiser_id = ${buy.advertiserId}
       and s.customer_id = ${buy.customerId} and not e.is_test
       and e.event_time >= ${start.toISOString()} and e.event_time < ${end.toISOString()}
       and (${matches})`),
  );
  return { count: Number(rows[0]?.['n'] ?? 0), value: Number(rows[0]?.['value'] ?? 0) };
}
