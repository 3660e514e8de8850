import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { addCacheAnnouncer, clearEveryCache } from '../cache-clearing.js';
import type { Database } from './database.js';

const channel = 'interchange_cache_clear';

/**
 * Carries cache clearing between the instances of a fleet over PostgreSQL's LISTEN/NOTIFY: a
 * write here notifies (at most one notification per tick, however many caches it cleared), and
 * a notification from another instance clears every cache in this process. The listener holds
 * one connection of its own; when it drops (PostgreSQL restarted) it reconnects every second,
 * and clears everything once back, since notifications sent meanwhile were lost.
 */
export function startCacheNotifications(
  database: Pick<Database, 'url' | 'queryable'>,
  onError: (error: unknown) => void = () => undefined,
): { close(): Promise<void>; sent(): Promise<void> } {
  const instance = randomUUID();
  let pending = false;
  // The latest notification on its way: a response waits for it (sent()), so a client's next
  // request, on another instance, finds that instance's caches already cleared.
  let sending: Promise<void> | undefined;
  const removeAnnouncer = addCacheAnnouncer(() => {
    if (pending) return;
    pending = true;
    const current = new Promise<void>((resolve) => {
      setImmediate(() => {
        pending = false;
        database.queryable
          .query('select pg_notify($1, $2)', [channel, instance])
          .catch((error: unknown) => onError(error))
          .finally(() => {
            if (sending === current) sending = undefined;
            resolve();
          });
      });
    });
    sending = current;
  });

  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // The connection being opened: a close waits for it rather than cutting it off mid-handshake
  // (PostgreSQL logs a client that leaves during authentication as a protocol fault).
  let connecting: Promise<unknown> | undefined;
  const listen = async (afterLoss: boolean) => {
    const next = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5_000 });
    next.on('notification', (message) => {
      if (message.payload !== instance) clearEveryCache();
    });
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void listen(true), 1_000).unref();
    };
    next.on('error', lost);
    next.on('end', lost);
    client = next;
    const opened = next.connect().then(() => next.query(`listen ${channel}`));
    connecting = opened;
    try {
      await opened;
      if (afterLoss) clearEveryCache();
      if (closed) await next.end();
    } catch (error) {
      if (!afterLoss && !closed) onError(error);
      lost();
    }
  };
  void listen(false);

  return {
    /** Settles once the latest notification is sent (or failed), waiting at most a second. */
    sent: async () => {
      if (!sending) return;
      await Promise.race([sending, new Promise<void>((r) => setTimeout(r, 1_000).unref())]);
    },
    async close() {
      closed = true;
      removeAnnouncer();
      clearTimeout(retry);
      await connecting?.catch(() => undefined);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
