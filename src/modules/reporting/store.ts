import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { rowsOf } from '../../platform/db/migrate.js';
import { deliveryMetrics, type Metrics } from '../delivery/index.js';
import { wholeBlocksOf } from './period.js';

/**
 * Every reporting query. Reporting owns no table: it reads delivery_daily and its rollup
 * delivery_rollup (module delivery), campaigns and campaign_media_buys (campaigns),
 * advertisers (advertisers) and logged_events (event-sources), read-only. Figures are summed in
 * SQL; money columns are numeric, so sums are exact to the cent whatever grouping produced them.
 */

/** What a report covers: always one customer; the filters a caller gave. */
export interface Scope {
  customerId: number;
  advertiserId?: number;
  campaignId?: string;
  mediaBuyId?: string;
  startDay?: string;
  endDay?: string;
}

/** Summed figures of a group of delivery rows in one currency. */
export interface Sums extends Metrics {
  currency: string;
}

/** Each delivery metric's column, read back as a number: counts as float8, money as exact text. */
const metricAs = (expression: (column: string) => string) =>
  deliveryMetrics
    .map((m) => `${expression(m.column)}::${m.money ? 'text' : 'float8'} as ${m.column}`)
    .join(', ');
const metricColumnNames = deliveryMetrics.map((m) => m.column).join(', ');
const leafSums = sql.raw(deliveryMetrics.map((m) => `sum(${m.column}) as ${m.column}`).join(', '));
const dayMetrics = sql.raw(metricAs((column) => column));

export type Level = 'total' | 'advertiser' | 'campaign' | 'mediaBuy' | 'package';

export interface GroupSums extends Sums {
  level: Level;
  advertiserId: number | null;
  campaignId: string | null;
  mediaBuyId: string | null;
  packageId: string | null;
}

export interface DayRow extends Sums {
  day: string;
  advertiserId: number;
  campaignId: string;
  mediaBuyId: string;
  packageId: string;
}

const sums = sql.raw(`currency, ${metricAs((column) => `sum(${column})`)}`);

/** The scope's owner and id filters (no days), on delivery_daily or delivery_rollup. */
function ownedBy(scope: Scope, alias = ''): SQL[] {
  const c = (name: string) => sql.raw(`${alias}${name}`);
  const parts = [sql`${c('customer_id')} = ${scope.customerId}`];
  if (scope.advertiserId !== undefined)
    parts.push(sql`${c('advertiser_id')} = ${scope.advertiserId}`);
  if (scope.campaignId !== undefined) parts.push(sql`${c('campaign_id')} = ${scope.campaignId}`);
  if (scope.mediaBuyId !== undefined) parts.push(sql`${c('media_buy_id')} = ${scope.mediaBuyId}`);
  return parts;
}

function where(scope: Scope, alias = ''): SQL {
  const parts = ownedBy(scope, alias);
  const day = sql.raw(`${alias}day`);
  if (scope.startDay) parts.push(sql`${day} >= ${scope.startDay}::date`);
  if (scope.endDay) parts.push(sql`${day} <= ${scope.endDay}::date`);
  return sql.join(parts, sql` and `);
}

const groupAndMetrics = sql.raw(
  `advertiser_id, campaign_id, media_buy_id, package_id, currency, ${metricColumnNames}`,
);

/**
 * The scope's delivery as rows to sum: the blocks of ten days (thirds of months) lying wholly
 * inside the period from delivery_rollup, the edge days from delivery_daily. Their sums equal
 * the daily rows' to the cent (numeric on both sides; the database keeps each block equal to
 * its days, migration 0022).
 */
function deliveryRows(scope: Scope): SQL {
  const { blocks, days } = wholeBlocksOf(scope);
  const branches = days.map(
    (period) =>
      sql`select ${groupAndMetrics} from delivery_daily where ${where({ ...scope, ...period })}`,
  );
  if (blocks) {
    const parts = [...ownedBy(scope), sql`days > 0`];
    if (blocks.from) parts.push(sql`period_start >= ${blocks.from}::date`);
    if (blocks.to) parts.push(sql`period_start <= ${blocks.to}::date`);
    branches.push(
      sql`select ${groupAndMetrics} from delivery_rollup where ${sql.join(parts, sql` and `)}`,
    );
  }
  return sql.join(branches, sql` union all `);
}

function sumsOf(r: Record<string, unknown>): Sums {
  const sums = { currency: String(r['currency']) } as Sums;
  for (const m of deliveryMetrics) sums[m.key] = Number(r[m.column]);
  return sums;
}

const levels: Record<number, Level> = {
  // grouping(advertiser_id, campaign_id, media_buy_id, package_id): a bit set per column left out.
  0b0000: 'package',
  0b0001: 'mediaBuy',
  0b0011: 'campaign',
  0b0111: 'advertiser',
  0b1111: 'total',
};

/**
 * The summary's every level in one pass (GROUPING SETS): per currency, the total, each
 * advertiser, campaign, media buy and package of the scope.
 */
export async function summaryGroups(db: Db, scope: Scope): Promise<GroupSums[]> {
  // Leaves first (hashed, one row per package and currency), then the rollup over those few
  // rows: sorting every delivery row for the grouping sets cost 5x more (bench/README.md).
  const result = await db.execute(sql`
    with leaves as (
      select advertiser_id, campaign_id, media_buy_id, package_id, currency, ${leafSums}
      from (${deliveryRows(scope)}) delivery
      group by advertiser_id, campaign_id, media_buy_id, package_id, currency)
    select advertiser_id, campaign_id, media_buy_id, package_id,
      grouping(advertiser_id, campaign_id, media_buy_id, package_id) as g, ${sums}
    from leaves
    group by grouping sets (
      (currency),
      (advertiser_id, currency),
      (advertiser_id, campaign_id, currency),
      (advertiser_id, campaign_id, media_buy_id, currency),
      (advertiser_id, campaign_id, media_buy_id, package_id, currency))
    order by advertiser_id nulls first, campaign_id nulls first, media_buy_id nulls first,
      package_id nulls first, currency`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    ...sumsOf(r),
    level: levels[Number(r['g'])] as Level,
    advertiserId: r['advertiser_id'] === null ? null : Number(r['advertiser_id']),
    campaignId: (r['campaign_id'] as string | null) ?? null,
    mediaBuyId: (r['media_buy_id'] as string | null) ?? null,
    packageId: (r['package_id'] as string | null) ?? null,
  }));
}

/** The scope's totals per currency. */
export async function totalsByCurrency(db: Db, scope: Scope): Promise<Sums[]> {
  const result = await db.execute(sql`
    select ${sums} from (${deliveryRows(scope)}) delivery group by currency order by currency`);
  return rowsOf<Record<string, unknown>>(result).map(sumsOf);
}

export async function countDayRows(db: Db, scope: Scope): Promise<number> {
  const result = await db.execute(
    sql`select count(*)::int as n from delivery_daily where ${where(scope)}`,
  );
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** Where a page of day rows ends; the next page starts after it. */
export interface DayCursor {
  day: string;
  mediaBuyId: string;
  packageId: string;
}

/**
 * Leaf-by-day rows in (day, media buy, package) order, `limit` at a time after `after` (keyset
 * paging: a download streams page by page instead of holding the report in memory).
 */
export async function dayRows(
  db: Db,
  scope: Scope,
  limit: number,
  after?: DayCursor,
): Promise<DayRow[]> {
  const keyset = after
    ? sql` and (day, media_buy_id, package_id) > (${after.day}::date, ${after.mediaBuyId}, ${after.packageId})`
    : sql``;
  const result = await db.execute(sql`
    select day::text as day, advertiser_id, campaign_id, media_buy_id, package_id, currency,
      ${dayMetrics}
    from delivery_daily where ${where(scope)}${keyset}
    order by delivery_daily.day, delivery_daily.media_buy_id, package_id limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    ...sumsOf(r),
    day: String(r['day']),
    advertiserId: Number(r['advertiser_id']),
    campaignId: String(r['campaign_id']),
    mediaBuyId: String(r['media_buy_id']),
    packageId: String(r['package_id']),
  }));
}

/** The span of days the scope has delivery on (for an open period). */
export async function daySpan(db: Db, scope: Scope) {
  const result = await db.execute(sql`
    select min(day)::text as first, max(day)::text as last from delivery_daily where ${where(scope)}`);
  const row = rowsOf<{ first: string | null; last: string | null }>(result)[0];
  return { first: row?.first ?? undefined, last: row?.last ?? undefined };
}

export interface Names {
  advertisers: Map<number, string>;
  campaigns: Map<string, string>;
  mediaBuys: Map<
    string,
    {
      name: string;
      status: string;
      budget: number;
      currency: string;
      products: Map<string, { productId: string; productName: string }>;
    }
  >;
}

/** Names (and a buy's status, budget, products) of the ids a report mentions, the owner's only. */
export async function namesOf(
  db: Db,
  customerId: number,
  ids: { advertisers: number[]; campaigns: string[]; mediaBuys: string[] },
): Promise<Names> {
  const names: Names = { advertisers: new Map(), campaigns: new Map(), mediaBuys: new Map() };
  const list = <T>(values: T[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  const advertisers = async () => {
    if (ids.advertisers.length === 0) return;
    const result = await db.execute(sql`select id, name from advertisers
      where customer_id = ${customerId} and id in (${list(ids.advertisers)})`);
    for (const r of rowsOf<{ id: number; name: string }>(result))
      names.advertisers.set(Number(r.id), r.name);
  };
  const campaigns = async () => {
    if (ids.campaigns.length === 0) return;
    const result = await db.execute(sql`select id, name from campaigns
      where customer_id = ${customerId} and id in (${list(ids.campaigns)})`);
    for (const r of rowsOf<{ id: string; name: string }>(result)) names.campaigns.set(r.id, r.name);
  };
  const mediaBuys = async () => {
    if (ids.mediaBuys.length === 0) return;
    const result = await db.execute(sql`select id, name, status, budget, currency, packages
      from campaign_media_buys where customer_id = ${customerId} and id in (${list(ids.mediaBuys)})`);
    type BuyRow = {
      id: string;
      name: string;
      status: string;
      budget: number;
      currency: string;
      packages: { productId: string; productName: string; packageId?: string }[] | string;
    };
    for (const r of rowsOf<BuyRow>(result)) {
      const packages = typeof r.packages === 'string' ? JSON.parse(r.packages) : r.packages;
      const products = new Map<string, { productId: string; productName: string }>();
      for (const p of packages as { productId: string; productName: string; packageId?: string }[])
        if (p.packageId)
          products.set(p.packageId, { productId: p.productId, productName: p.productName });
      names.mediaBuys.set(r.id, {
        name: r.name,
        status: r.status,
        budget: Number(r.budget),
        currency: r.currency,
        products,
      });
    }
  };
  // Three independent reads: on PostgreSQL they run side by side on the pool.
  await Promise.all([advertisers(), campaigns(), mediaBuys()]);
  return names;
}

/** The filter ids as the caller owns them: which of advertiser, campaign and buy exist and agree. */
export async function filterOwners(
  db: Db,
  customerId: number,
  filter: { advertiserId?: number; campaignId?: string; mediaBuyId?: string },
) {
  // The three lookups are independent: asked side by side, as namesOf asks its names.
  const [advertisers, campaigns, buys] = await Promise.all([
    filter.advertiserId === undefined
      ? undefined
      : db.execute(sql`select 1 from advertisers
          where customer_id = ${customerId} and id = ${filter.advertiserId}`),
    filter.campaignId === undefined
      ? undefined
      : db.execute(sql`select advertiser_id from campaigns
          where customer_id = ${customerId} and id = ${filter.campaignId}`),
    filter.mediaBuyId === undefined
      ? undefined
      : db.execute(sql`select advertiser_id, campaign_id from campaign_media_buys
          where customer_id = ${customerId} and id = ${filter.mediaBuyId}`),
  ]);
  const sameAdvertiser = (id: number) =>
    filter.advertiserId === undefined || Number(id) === filter.advertiserId;
  const campaign = campaigns ? rowsOf<{ advertiser_id: number }>(campaigns)[0] : undefined;
  const buy = buys ? rowsOf<{ advertiser_id: number; campaign_id: string }>(buys)[0] : undefined;
  return {
    advertiser: advertisers === undefined || rowsOf(advertisers).length > 0,
    campaign:
      campaigns === undefined || (campaign !== undefined && sameAdvertiser(campaign.advertiser_id)),
    mediaBuy:
      buys === undefined ||
      (buy !== undefined &&
        sameAdvertiser(buy.advertiser_id) &&
        (filter.campaignId === undefined || buy.campaign_id === filter.campaignId)),
  };
}

/** The advertiser's own conversion events, by day and attributed campaign (null: unattributed). */
export interface EventConversionRow {
  day: string;
  advertiserId: number;
  campaignId: string | null;
  currency: string | null;
  count: number;
  value: number;
}

/**
 * Conversion events (outcome types, test events left out) of the scope's advertisers in the
 * period. An event is attributed to a campaign when exactly one of its advertiser's campaigns
 * with a booked buy has a flight covering the event's time; otherwise it stays at the
 * advertiser. A media-buy filter has no events: nothing ties an event to one buy.
 */
export async function eventConversions(
  db: Db,
  scope: Scope,
  outcomeTypes: readonly string[],
): Promise<EventConversionRow[]> {
  if (scope.mediaBuyId !== undefined) return [];
  const parts = [
    sql`e.customer_id = ${scope.customerId}`,
    sql`not e.is_test`,
    sql`e.event_type in (${sql.join(
      outcomeTypes.map((t) => sql`${t}`),
      sql`, `,
    )})`,
  ];
  if (scope.advertiserId !== undefined) parts.push(sql`e.advertiser_id = ${scope.advertiserId}`);
  // Days are UTC days whatever the session's time zone.
  if (scope.startDay) {
    parts.push(sql`e.event_time >= (${scope.startDay}::date)::timestamp at time zone 'UTC'`);
  }
  if (scope.endDay) {
    parts.push(sql`e.event_time < (${scope.endDay}::date + 1)::timestamp at time zone 'UTC'`);
  }
  const campaignFilter =
    scope.campaignId !== undefined ? sql` where campaign_id = ${scope.campaignId}` : sql``;
  const result = await db.execute(sql`
    select day, advertiser_id, campaign_id, currency, count(*)::int as n,
      coalesce(sum(value), 0)::float8 as value
    from (
      select (e.event_time at time zone 'UTC')::date::text as day, e.advertiser_id,
        att.campaign_id, e.currency, e.value
      from logged_events e
      left join lateral (
        select case when count(*) = 1 then min(c.id) end as campaign_id
        from campaigns c
        where c.customer_id = e.customer_id and c.advertiser_id = e.advertiser_id
          and e.event_time >= c.flight_start and e.event_time < c.flight_end
          and exists (select 1 from campaign_media_buys b
            where b.campaign_id = c.id and b.seller_media_buy_id is not null)
      ) att on true
      where ${sql.join(parts, sql` and `)}
    ) attributed${campaignFilter}
    group by day, advertiser_id, campaign_id, currency
    order by day, advertiser_id, campaign_id nulls first, currency nulls first`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    day: String(r['day']),
    advertiserId: Number(r['advertiser_id']),
    campaignId: (r['campaign_id'] as string | null) ?? null,
    currency: (r['currency'] as string | null) ?? null,
    count: Number(r['n']),
    value: Number(r['value']),
  }));
}
