import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { addCacheAnnouncer, clearEveryCache } from '../cache-clearing.js';
import type { Database } from './database.js';

const clearChannel = 'interchange_cache_clear';
const ackChannel = 'interchange_cache_ack';
/** The listeners' application_name: how a writer counts the instances that must acknowledge. */
export const cacheListenerName = 'interchange-cache-listener';
const ackWaitMs = 1_000;

/**
 * Carries cache clearing between the instances of a fleet over PostgreSQL's LISTEN/NOTIFY: a
 * write here notifies (at most one notification per tick, however many caches it cleared), and
 * a notification from another instance clears every cache in this process, then acknowledges.
 * The writer counts the other listeners on its database when it notifies and `sent()` settles
 * once each has acknowledged (at most a second): "told" means cleared, not only sent, so a
 * client's next request on another instance never races the notification there. The listener
 * holds one connection of its own; when it drops (PostgreSQL restarted) it reconnects every
 * second, and clears everything once back, since notifications sent meanwhile were lost.
 */
export function startCacheNotifications(
  database: Pick<Database, 'url' | 'queryable'>,
  onError: (error: unknown) => void = () => undefined,
): { close(): Promise<void>; sent(): Promise<void> } {
  const instance = randomUUID();
  let sequence = 0;
  // Peers that acknowledged each of this instance's notifications, and what waits for them.
  // (An acknowledgement may come before the notifying query's own answer: recorded from the
  // moment the notification is on its way.)
  const acks = new Map<number, Set<string>>();
  const waiters = new Map<number, { expected: number; done: () => void }>();
  const settleIfAcked = (seq: number) => {
    const waiter = waiters.get(seq);
    if (waiter && (acks.get(seq)?.size ?? 0) >= waiter.expected) waiter.done();
  };

  let pending = false;
  // The latest notification on its way: a response waits for it (sent()).
  let sending: Promise<void> | undefined;
  let listenerPid = 0;
  const notify = async (seq: number) => {
    acks.set(seq, new Set());
    const { rows } = await database.queryable
      .query(
        `select pg_notify($1, $2),
           (select count(*)::int from pg_stat_activity
             where datname = current_database() and application_name = $3 and pid <> $4) as peers`,
        [clearChannel, `${instance}:${seq}`, cacheListenerName, listenerPid],
      )
      .catch((error: unknown) => {
        acks.delete(seq);
        throw error;
      });
    const expected = Number((rows[0] as { peers?: number } | undefined)?.peers ?? 0);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ackWaitMs).unref();
      const done = () => {
        clearTimeout(timer);
        waiters.delete(seq);
        acks.delete(seq);
        resolve();
      };
      waiters.set(seq, { expected, done });
      settleIfAcked(seq);
    });
  };
  const removeAnnouncer = addCacheAnnouncer(() => {
    if (pending) return;
    pending = true;
    const current = new Promise<void>((resolve) => {
      setImmediate(() => {
        pending = false;
        notify(++sequence)
          .catch((error: unknown) => onError(error))
          .finally(() => {
            if (sending === current) sending = undefined;
            resolve();
          });
      });
    });
    sending = current;
  });

  const received = (acknowledge: (payload: string) => void, message: pg.Notification) => {
    const [origin, seq, peer] = (message.payload ?? '').split(':');
    if (!origin || origin === instance) {
      if (message.channel !== ackChannel || !peer) return;
      // A peer cleared after one of this instance's notifications.
      const id = Number(seq);
      acks.get(id)?.add(peer);
      settleIfAcked(id);
      return;
    }
    if (message.channel !== clearChannel) return;
    clearEveryCache();
    acknowledge(`${origin}:${seq}:${instance}`);
  };

  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // The connection being opened: a close waits for it rather than cutting it off mid-handshake
  // (PostgreSQL logs a client that leaves during authentication as a protocol fault).
  let connecting: Promise<unknown> | undefined;
  const listen = async (afterLoss: boolean) => {
    const next = new pg.Client({
      connectionString: database.url,
      connectionTimeoutMillis: 5_000,
      application_name: cacheListenerName,
    });
    const acknowledge = acknowledger(next, onError);
    next.on('notification', (message) => received(acknowledge.add, message));
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void listen(true), 1_000).unref();
    };
    next.on('error', lost);
    next.on('end', lost);
    client = next;
    const opened = next
      .connect()
      .then(() => next.query(`listen ${clearChannel}; listen ${ackChannel}`))
      .then(() => next.query<{ pid: number }>('select pg_backend_pid() as pid'))
      .then(({ rows }) => (listenerPid = rows[0]?.pid ?? 0));
    connecting = opened;
    // Acknowledgements wait for the set-up queries: one query at a time on this connection.
    void opened.then(acknowledge.ready, () => undefined);
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
    /** Settles once every other instance cleared after the latest notification (at most ~1 s). */
    sent: async () => {
      if (!sending) return;
      await Promise.race([sending, new Promise<void>((r) => setTimeout(r, 2 * ackWaitMs).unref())]);
    },
    async close() {
      closed = true;
      removeAnnouncer();
      clearTimeout(retry);
      for (const waiter of [...waiters.values()]) waiter.done();
      await connecting?.catch(() => undefined);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/**
 * Acknowledges clears on the listener's own connection, one query at a time (pg queues a query
 * sent while another runs, which pg 9 removes): payloads that arrive while a query runs, or
 * before the connection's set-up is done, go together in the next one.
 */
function acknowledger(
  listener: pg.Client,
  onError: (error: unknown) => void,
): { add(payload: string): void; ready(): void } {
  let waiting: string[] = [];
  let busy = true; // until ready(): the set-up queries hold the connection
  const flush = () => {
    if (busy || waiting.length === 0) return;
    const payloads = waiting;
    waiting = [];
    busy = true;
    listener
      .query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [
        ackChannel,
        payloads,
      ])
      .catch((error: unknown) => onError(error))
      .finally(() => {
        busy = false;
        flush();
      });
  };
  return {
    add(payload) {
      waiting.push(payload);
      flush();
    },
    ready() {
      busy = false;
      flush();
    },
  };
}
