import { and, asc, desc, eq, gt, gte, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { likeContaining } from '../../platform/db/like.js';
import { preparedPerDb } from '../../platform/db/prepared.js';
import { customersRead, storefrontMediaBuysRead } from '../order-views/index.js';
import { discoveryRunsRead, merchandisingEventsRead } from './read-tables.js';
import type { EventRecord, MerchandisingEventName, RunRecord } from './runs/facts.js';
import type { Posture } from '../postures/index.js';
import type { LeftOutRecord } from './runs/left-out.js';
import { discoveryRunLeftOut, discoveryRunPostures } from './tables.js';

const runColumns = {
  id: discoveryRunsRead.id,
  storefrontId: discoveryRunsRead.storefrontId,
  createdAt: discoveryRunsRead.createdAt,
  buyerCustomerId: discoveryRunsRead.buyerCustomerId,
  operatorDomain: discoveryRunsRead.operatorDomain,
  brandDomain: discoveryRunsRead.brandDomain,
  country: discoveryRunsRead.country,
  buyingMode: discoveryRunsRead.buyingMode,
  brief: discoveryRunsRead.brief,
  refine: discoveryRunsRead.refine,
  productIds: discoveryRunsRead.productIds,
  sourceOutcomes: discoveryRunsRead.sourceOutcomes,
  discountPercent: discoveryRunsRead.discountPercent,
  durationMs: discoveryRunsRead.durationMs,
  selectedPosture: discoveryRunPostures.selectedPosture,
  recommendedPosture: discoveryRunPostures.recommendedPosture,
  postureRationale: discoveryRunPostures.rationale,
  postureEvidence: discoveryRunPostures.evidence,
  leftOutTotal: discoveryRunLeftOut.total,
  leftOutByReason: discoveryRunLeftOut.byReason,
  leftOutSample: discoveryRunLeftOut.sample,
  runSelectedPosture: discoveryRunsRead.selectedPosture,
  runRecommendedPosture: discoveryRunsRead.recommendedPosture,
  runPostureRationale: discoveryRunsRead.postureRationale,
};

type RunRow = {
  [K in keyof typeof runColumns]: (typeof runColumns)[K]['_']['data'] | null;
};
/**
 * A run with its posture: a recorded posture row (recordRunPosture) wins over what the agent
 * wrote with the run itself.
 */
const toRun = ({
  runSelectedPosture,
  runRecommendedPosture,
  runPostureRationale,
  leftOutTotal,
  leftOutByReason,
  leftOutSample,
  ...row
}: RunRow): RunRecord => ({
  ...(row as RunRecord),
  leftOut:
    leftOutTotal === null
      ? null
      : { total: leftOutTotal, byReason: leftOutByReason ?? {}, sample: leftOutSample ?? [] },
  selectedPosture: row.selectedPosture ?? runSelectedPosture,
  recommendedPosture: row.recommendedPosture ?? runRecommendedPosture,
  postureRationale: row.postureRationale ?? runPostureRationale,
  postureEvidence: row.postureEvidence ?? [],
});

const runsFrom = (db: Db) =>
  db
    .select(runColumns)
    .from(discoveryRunsRead)
    .leftJoin(discoveryRunPostures, eq(discoveryRunPostures.discoveryRunId, discoveryRunsRead.id))
    .leftJoin(discoveryRunLeftOut, eq(discoveryRunLeftOut.discoveryRunId, discoveryRunsRead.id));

const newestFirst = [desc(discoveryRunsRead.createdAt), desc(discoveryRunsRead.id)];

/** The storefront's `limit` most recent runs, newest first (created_at, then id). */
export async function windowRuns(db: Db, storefrontId: number, limit: number) {
  const rows = await runsFrom(db)
    .where(eq(discoveryRunsRead.storefrontId, storefrontId))
    .orderBy(...newestFirst)
    .limit(limit);
  return rows.map(toRun);
}

export interface RunFilter {
  /** Only these run ids (a commercialResult filter resolved beforehand). */
  ids?: number[] | undefined;
  q?: string | undefined;
  buyingMode?: 'brief' | 'wholesale' | 'refine' | undefined;
  disposition?: 'responded' | 'declined_fit' | 'declined_policy' | 'not_live' | undefined;
}

function runFilter(storefrontId: number, filter: RunFilter): SQL | undefined {
  const shown = sql`jsonb_array_length(${discoveryRunsRead.productIds})`;
  return and(
    eq(discoveryRunsRead.storefrontId, storefrontId),
    filter.ids
      ? filter.ids.length
        ? inArray(discoveryRunsRead.id, filter.ids)
        : sql`false`
      : undefined,
    filter.q ? ilike(discoveryRunsRead.brief, likeContaining(filter.q)) : undefined,
    filter.buyingMode === 'brief'
      ? sql`coalesce(${discoveryRunsRead.buyingMode}, 'brief') = 'brief'`
      : filter.buyingMode
        ? eq(discoveryRunsRead.buyingMode, filter.buyingMode)
        : undefined,
    filter.disposition === 'responded'
      ? sql`${shown} > 0`
      : filter.disposition === 'declined_fit'
        ? sql`${shown} = 0`
        : // Policy declines and not-live runs are not recorded as runs here.
          filter.disposition
          ? sql`false`
          : undefined,
  );
}

/** One page of the storefront's runs, newest first, and how many match. */
export async function pageRuns(
  db: Db,
  storefrontId: number,
  filter: RunFilter,
  page: { skip: number; take: number },
) {
  const where = runFilter(storefrontId, filter);
  const [rows, [count]] = await Promise.all([
    runsFrom(db)
      .where(where)
      .orderBy(...newestFirst)
      .offset(page.skip)
      .limit(page.take),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(discoveryRunsRead)
      .where(where),
  ]);
  return { runs: rows.map(toRun), total: count?.n ?? 0 };
}

export async function findRun(db: Db, storefrontId: number, id: number) {
  const [row] = await runsFrom(db).where(columnsEqual(discoveryRunsRead, { storefrontId, id }));
  return row ? toRun(row) : undefined;
}

/**
 * Runs of these buyers on the storefront from `since` on, lean (for attribution): the runs
 * that may take an event away from an older run.
 */
export async function laterRunsOf(db: Db, storefrontId: number, buyers: number[], since: Date) {
  if (buyers.length === 0) return [];
  const rows = await runsFrom(db).where(
    and(
      eq(discoveryRunsRead.storefrontId, storefrontId),
      inArray(discoveryRunsRead.buyerCustomerId, buyers),
      gte(discoveryRunsRead.createdAt, since),
    ),
  );
  return rows.map(toRun);
}

/** Outcome events of these buyers on the storefront from `since` on, oldest first. */
export async function eventsSince(
  db: Db,
  storefrontId: number,
  buyers: number[],
  since: Date,
  afterId = 0,
): Promise<EventRecord[]> {
  if (buyers.length === 0) return [];
  const rows = await db
    .select({
      id: merchandisingEventsRead.id,
      createdAt: merchandisingEventsRead.createdAt,
      buyerCustomerId: merchandisingEventsRead.buyerCustomerId,
      mediaBuyId: merchandisingEventsRead.mediaBuyId,
      event: merchandisingEventsRead.event,
      detail: merchandisingEventsRead.detail,
    })
    .from(merchandisingEventsRead)
    .where(
      and(
        eq(merchandisingEventsRead.storefrontId, storefrontId),
        inArray(merchandisingEventsRead.buyerCustomerId, buyers),
        gte(merchandisingEventsRead.createdAt, since),
        gt(merchandisingEventsRead.id, afterId),
      ),
    )
    .orderBy(asc(merchandisingEventsRead.createdAt), asc(merchandisingEventsRead.id));
  return rows.map((r) => ({ ...r, event: r.event as MerchandisingEventName }));
}

/** Delivery reports of the storefront between two instants, oldest first, with their buy. */
export function deliveryReports(db: Db, storefrontId: number, from: Date, to: Date) {
  return db
    .select({
      event: merchandisingEventsRead,
      buy: storefrontMediaBuysRead,
      buyerName: customersRead.name,
    })
    .from(merchandisingEventsRead)
    .innerJoin(
      storefrontMediaBuysRead,
      and(
        eq(storefrontMediaBuysRead.storefrontId, merchandisingEventsRead.storefrontId),
        eq(storefrontMediaBuysRead.mediaBuyId, merchandisingEventsRead.mediaBuyId),
      ),
    )
    .leftJoin(customersRead, eq(customersRead.id, storefrontMediaBuysRead.buyerCustomerId))
    .where(
      and(
        eq(merchandisingEventsRead.storefrontId, storefrontId),
        eq(merchandisingEventsRead.event, 'delivery_reported'),
        gte(merchandisingEventsRead.createdAt, from),
        sql`${merchandisingEventsRead.createdAt} < ${to}`,
      ),
    )
    .orderBy(asc(merchandisingEventsRead.createdAt), asc(merchandisingEventsRead.id));
}

/** Records (or replaces) the posture a run used and the recommendation then in force. */
export async function upsertRunPosture(
  db: Db,
  row: {
    discoveryRunId: number;
    storefrontId: number;
    selectedPosture: Posture | null;
    recommendedPosture: Posture | null;
    rationale: string | null;
    evidence: string[];
  },
) {
  await db
    .insert(discoveryRunPostures)
    .values(row)
    .onConflictDoUpdate({
      target: discoveryRunPostures.discoveryRunId,
      set: {
        selectedPosture: row.selectedPosture,
        recommendedPosture: row.recommendedPosture,
        rationale: row.rationale,
        evidence: row.evidence,
      },
    });
}

/** Each buy's last delivery report before `before`: the baseline of a reporting period. */
export function deliveryBaselines(db: Db, storefrontId: number, before: Date) {
  return db
    .selectDistinctOn([merchandisingEventsRead.mediaBuyId], {
      mediaBuyId: merchandisingEventsRead.mediaBuyId,
      detail: merchandisingEventsRead.detail,
    })
    .from(merchandisingEventsRead)
    .where(
      and(
        eq(merchandisingEventsRead.storefrontId, storefrontId),
        eq(merchandisingEventsRead.event, 'delivery_reported'),
        sql`${merchandisingEventsRead.createdAt} < ${before}`,
      ),
    )
    .orderBy(
      merchandisingEventsRead.mediaBuyId,
      desc(merchandisingEventsRead.createdAt),
      desc(merchandisingEventsRead.id),
    );
}

/** Records what a run left out (once: a second write for the run is ignored). */
/**
 * Records what runs left out, one statement for the batch: a row is written only for a run of
 * the storefront named beside it (another storefront's run id writes nothing) and only once.
 * Answers, per row, whether it was written now.
 */
export const insertRunsLeftOut = preparedPerDb((db: Db) => {
  const written = db.$with('written', { id: sql<number>`id`.mapWith(Number).as('id') }).as(
    sql`insert into ${discoveryRunLeftOut} (discovery_run_id, storefront_id, total, by_reason, sample)
        select r.discovery_run_id, r.storefront_id, r.total, r.by_reason, r.sample
        from jsonb_to_recordset(${sql.placeholder('rows')}::jsonb)
          as r(discovery_run_id bigint, storefront_id integer, total integer, by_reason jsonb, sample jsonb)
        join ${discoveryRunsRead} d
          on d.id = r.discovery_run_id and d.storefront_id = r.storefront_id
        on conflict do nothing
        returning discovery_run_id as id`,
  );
  const statement = db
    .with(written)
    .select({ id: written.id })
    .from(written)
    .prepare('discovery_run_left_out_insert');
  return async (rows: Array<{ discoveryRunId: number; storefrontId: number } & LeftOutRecord>) => {
    const json = rows.map((row) => ({
      discovery_run_id: row.discoveryRunId,
      storefront_id: row.storefrontId,
      total: row.total,
      by_reason: row.byReason,
      sample: row.sample,
    }));
    const ids = new Set((await statement.execute({ rows: JSON.stringify(json) })).map((r) => r.id));
    return rows.map((row) => ids.has(row.discoveryRunId));
  };
});
