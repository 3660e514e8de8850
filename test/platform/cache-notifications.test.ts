import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClearable } from '../../src/platform/cache-clearing.js';
import {
  cacheListenerName,
  startCacheNotifications,
} from '../../src/platform/db/cache-notifications.js';
import type { Database } from '../../src/platform/db/database.js';
import { openTestDatabase } from '../harness.js';

/*
 * A write's answer waits until every other instance on the database has cleared its caches, not
 * only until PostgreSQL took the NOTIFY: the client's next request, on another instance, must not
 * find the old entry there however busy that instance is. Another instance is played by a bare
 * listener here that acknowledges late, or never.
 */

let database: Database;
let url: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ database, url, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});

/** Another instance's listener: acknowledges each clear after `delayMs` (never when null). */
async function peer(delayMs: number | null): Promise<{ close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: cacheListenerName });
  await client.connect();
  await client.query('listen interchange_cache_clear');
  client.on('notification', (message) => {
    if (delayMs === null || message.channel !== 'interchange_cache_clear') return;
    const [origin, seq] = (message.payload ?? '').split(':');
    setTimeout(() => {
      client
        .query('select pg_notify($1, $2)', [
          'interchange_cache_ack',
          `${origin}:${seq}:p${delayMs}`,
        ])
        .catch(() => undefined); // closed meanwhile
    }, delayMs);
  });
  return { close: () => client.end() };
}

async function timedWrite(notifications: { sent(): Promise<void> }): Promise<number> {
  const clear = registerClearable(() => undefined);
  const started = Date.now();
  clear();
  await notifications.sent();
  return Date.now() - started;
}

describe('cache clearing across instances', () => {
  it('answers a write once each other instance acknowledged, alone at once', async () => {
    const notifications = startCacheNotifications(database);
    try {
      await new Promise((r) => setTimeout(r, 200)); // its own listener connected
      expect(await timedWrite(notifications)).toBeLessThan(500);
      const slow = await peer(400);
      const fast = await peer(50);
      try {
        const took = await timedWrite(notifications);
        expect(took).toBeGreaterThanOrEqual(380);
        expect(took).toBeLessThan(1_000);
      } finally {
        await Promise.all([slow.close(), fast.close()]);
      }
    } finally {
      await notifications.close();
    }
  });

  it('waits at most a second for an instance that never acknowledges', async () => {
    const notifications = startCacheNotifications(database);
    const silent = await peer(null);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const took = await timedWrite(notifications);
      expect(took).toBeGreaterThanOrEqual(950);
      expect(took).toBeLessThan(2_500);
    } finally {
      await silent.close();
      await notifications.close();
    }
  });

  it('clears here and acknowledges when another instance writes', async () => {
    let cleared = 0;
    registerClearable(() => cleared++);
    const here = startCacheNotifications(database);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('listen interchange_cache_ack');
      const acked = new Promise<string>((resolve) =>
        writer.on('notification', (m) => resolve(m.payload ?? '')),
      );
      await new Promise((r) => setTimeout(r, 200));
      await writer.query(`select pg_notify('interchange_cache_clear', 'other-instance:7')`);
      expect(await acked).toMatch(/^other-instance:7:[0-9a-f-]{36}$/);
      expect(cleared).toBeGreaterThan(0);
    } finally {
      await writer.end();
      await here.close();
    }
  });

  it('acknowledges a burst of clears, each once, one query at a time on its connection', async () => {
    // What pg 9 removes (and pg 8 warns of once per process): a query sent on a connection while
    // another runs there. Counted here on every client of the listener's application name.
    const running = new WeakMap<pg.Client, number>();
    let most = 0;
    const query = pg.Client.prototype.query;
    const counted = function (this: pg.Client, ...args: unknown[]) {
      const own = (this as unknown as { connectionParameters?: { application_name?: string } })
        .connectionParameters?.application_name;
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (own !== cacheListenerName || !(result instanceof Promise)) return result;
      running.set(this, (running.get(this) ?? 0) + 1);
      most = Math.max(most, running.get(this) ?? 0);
      const done = () => running.set(this, (running.get(this) ?? 1) - 1);
      result.then(done, done);
      return result;
    };
    pg.Client.prototype.query = counted as typeof query;
    const here = startCacheNotifications(database);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('listen interchange_cache_ack');
      const acked = new Set<string>();
      writer.on('notification', (m) => acked.add(m.payload ?? ''));
      await new Promise((r) => setTimeout(r, 200));
      await writer.query(
        `select pg_notify('interchange_cache_clear', 'burst:' || n) from generate_series(1, 25) n`,
      );
      const deadline = Date.now() + 5_000;
      while (acked.size < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect([...acked].map((p) => p.split(':')[1]).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 25 }, (_, i) => String(i + 1)),
      );
      expect(most).toBe(1);
    } finally {
      pg.Client.prototype.query = query;
      await writer.end();
      await here.close();
    }
  });
});
