import { and, eq, gte, lt, not, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { eventSources, loggedEvents } from './tables.js';

/** An event source and type a goal counts (a campaign goal's eventSources). */
export interface CountedEvent {
  eventSourceId: string;
  eventType: string;
}

/**
 * A customer's advertiser's conversions in [start, end): non-test events logged (log-event) by
 * the advertiser's event sources whose source and type one of `counted` names, with their
 * summed value. Another customer's events never count.
 */
export function conversionsReader(db: Db) {
  return async (
    customerId: number,
    advertiserId: number,
    counted: CountedEvent[],
    start: Date,
    end: Date,
  ): Promise<{ count: number; value: number }> => {
    if (counted.length === 0) return { count: 0, value: 0 };
    const [row] = await db
      .select({
        count: sql<string>`count(*)`,
        value: sql<string>`coalesce(sum(${loggedEvents.value}), 0)`,
      })
      .from(loggedEvents)
      .innerJoin(eventSources, eq(eventSources.id, loggedEvents.sourceRowId))
      .where(
        and(
          eq(loggedEvents.customerId, customerId),
          eq(loggedEvents.advertiserId, advertiserId),
          eq(eventSources.customerId, customerId),
          not(loggedEvents.isTest),
          gte(loggedEvents.eventTime, start),
          lt(loggedEvents.eventTime, end),
          or(
            ...counted.map((c) =>
              and(
                eq(eventSources.eventSourceId, c.eventSourceId),
                eq(loggedEvents.eventType, c.eventType),
              ),
            ),
          ),
        ),
      );
    return { count: Number(row?.count ?? 0), value: Number(row?.value ?? 0) };
  };
}
