import type { Db } from '../../platform/db/database.js';
import { isoDate } from '../../platform/formats.js';
import type { ActivityEntry, ActivityQuery, NewActivity } from './schemas.js';
import * as store from './store.js';
import type { ActivityRow } from './store.js';

export type ActivityService = ReturnType<typeof createActivityService>;

export function createActivityService(deps: { db: Db }) {
  return {
    /** Records one change; pass the caller's transaction so the entry commits with the change. */
    record: (entry: NewActivity, tx: Db = deps.db) => store.insertActivity(tx, entry),

    async list(storefrontId: number, query: ActivityQuery) {
      const { rows, total } = await store.listActivity(deps.db, storefrontId, query);
      return { logs: rows.map(entryView), total };
    },

    /** Latest entry per resource of a type (e.g. each inventory source). */
    async latestFor(storefrontId: number, resourceType: NewActivity['resourceType']) {
      const rows = await store.latestPerResource(deps.db, storefrontId, resourceType);
      return new Map([...rows].map(([id, row]) => [id, entryView(row)]));
    },
  };
}

function entryView(row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    timestamp: isoDate(row.createdAt),
    createdAt: isoDate(row.createdAt),
    action: row.action as ActivityEntry['action'],
    resourceType: row.resourceType as ActivityEntry['resourceType'],
    resourceId: row.resourceId,
    resourceName: row.resourceName,
    userId: row.userId,
    actorOrigin: row.actorOrigin as ActivityEntry['actorOrigin'],
    outcome: row.outcome as ActivityEntry['outcome'],
    changes: row.changes ?? null,
    description: row.description,
  };
}
