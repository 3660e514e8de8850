import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { eventSources, loggedEvents } from './tables.js';

export type EventSourceRow = typeof eventSources.$inferSelect;
export type NewEventSource = typeof eventSources.$inferInsert;
export type NewLoggedEvent = typeof loggedEvents.$inferInsert;

const live = isNull(eventSources.archivedAt);

/** Every source of one advertiser, archived ones included (sync compares against them all). */
export function allSourcesOf(tx: Db, advertiserId: number): Promise<EventSourceRow[]> {
  return tx.select().from(eventSources).where(eq(eventSources.advertiserId, advertiserId));
}

/** Live sources of several advertisers (the advertiser's nested GET). */
export function liveSourcesOf(db: Db, advertiserIds: number[]): Promise<EventSourceRow[]> {
  if (advertiserIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(eventSources)
    .where(and(inArray(eventSources.advertiserId, advertiserIds), live))
    .orderBy(asc(eventSources.advertiserId), asc(eventSources.eventSourceId));
}

export async function pageLiveSources(
  db: Db,
  advertiserId: number,
  page: { take: number; skip: number },
): Promise<{ rows: EventSourceRow[]; total: number }> {
  const where = and(eq(eventSources.advertiserId, advertiserId), live);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(eventSources)
      .where(where)
      .orderBy(asc(eventSources.eventSourceId))
      .limit(page.take)
      .offset(page.skip),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(eventSources)
      .where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

export async function findLiveSource(db: Db, advertiserId: number, eventSourceId: string) {
  const [row] = await db
    .select()
    .from(eventSources)
    .where(
      and(
        eq(eventSources.advertiserId, advertiserId),
        eq(eventSources.eventSourceId, eventSourceId),
        live,
      ),
    );
  return row;
}

/**
 * Locks the advertiser's sources for one sync, so two syncs of the same advertiser apply one
 * after the other (each compares against what the previous one wrote).
 */
export async function lockSourcesOf(tx: Db, advertiserId: number): Promise<void> {
  // Two int4 keys: this module's constant, then the advertiser id folded into int4 (a collision
  // only serializes two advertisers' syncs, it never mixes them).
  const key = advertiserId % 2_147_483_647;
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${key}::int)`);
}
const LOCK_SPACE = 40_417;

export async function insertSource(tx: Db, input: NewEventSource): Promise<void> {
  await tx.insert(eventSources).values(input);
}

export async function updateSource(
  tx: Db,
  id: number,
  values: Partial<NewEventSource>,
): Promise<void> {
  await tx.update(eventSources).set(values).where(eq(eventSources.id, id));
}

/**
 * Inserts a batch of events; an event id the source already logged is left as it was. Returns
 * how many rows were new.
 */
export async function insertEvents(tx: Db, rows: NewLoggedEvent[]): Promise<number> {
  let inserted = 0;
  // 14 columns a row: 1,000 rows stay well under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < rows.length; i += 1000) {
    const written = await tx
      .insert(loggedEvents)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing({ target: [loggedEvents.sourceRowId, loggedEvents.eventId] })
      .returning({ id: loggedEvents.id });
    inserted += written.length;
  }
  return inserted;
}

export interface SourceHealthUpdate {
  lastEventAt?: Date;
  lastEventType?: string;
  lastError?: string;
}

/** Health after one log-event call: newest event time wins, whatever order batches arrive in. */
export async function recordHealth(
  tx: Db,
  sourceRowId: number,
  at: Date,
  update: SourceHealthUpdate,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (update.lastEventAt) {
    set.lastEventReceivedAt = at;
    set.lastEventAt = sql`greatest(${eventSources.lastEventAt}, ${update.lastEventAt.toISOString()}::timestamptz)`;
    set.lastEventType = sql`case when ${eventSources.lastEventAt} is null or ${eventSources.lastEventAt} <= ${update.lastEventAt.toISOString()}::timestamptz then ${update.lastEventType ?? null} else ${eventSources.lastEventType} end`;
  }
  if (update.lastError) {
    set.lastError = update.lastError;
    set.lastErrorAt = at;
  }
  if (Object.keys(set).length === 0) return;
  await tx.update(eventSources).set(set).where(eq(eventSources.id, sourceRowId));
}

export interface SummaryWindow {
  advertiserId: number;
  start: Date;
  end: Date;
  includeTest: boolean;
}

function windowWhere(w: SummaryWindow) {
  const where = [
    eq(loggedEvents.advertiserId, w.advertiserId),
    gte(loggedEvents.eventTime, w.start),
    lt(loggedEvents.eventTime, w.end),
  ];
  if (!w.includeTest) where.push(eq(loggedEvents.isTest, false));
  return and(...where);
}

/** Event counts per UTC hour of event time. */
export async function countByHour(db: Db, w: SummaryWindow) {
  const hour = sql<string>`to_char(date_trunc('hour', ${loggedEvents.eventTime} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00.000"Z"')`;
  return db
    .select({ hour, count: sql<number>`count(*)`.mapWith(Number) })
    .from(loggedEvents)
    .where(windowWhere(w))
    .groupBy(hour)
    .orderBy(hour);
}

/** Event counts per UTC day, event source and event type. */
export async function countByDaySourceType(db: Db, w: SummaryWindow) {
  const day = sql<string>`to_char(${loggedEvents.eventTime} at time zone 'UTC', 'YYYY-MM-DD')`;
  return db
    .select({
      day,
      eventSourceId: eventSources.eventSourceId,
      eventType: loggedEvents.eventType,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(loggedEvents)
    .innerJoin(eventSources, eq(eventSources.id, loggedEvents.sourceRowId))
    .where(windowWhere(w))
    .groupBy(day, eventSources.eventSourceId, loggedEvents.eventType)
    .orderBy(day, eventSources.eventSourceId, loggedEvents.eventType);
}
