import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimRun, type NewRun, queueRun } from '../../../src/modules/compliance/store.js';
import type { Database, Db } from '../../../src/platform/db/database.js';
import { openTestDatabase } from '../../harness.js';

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});

const run = (inventorySourceId: number): NewRun => ({
  runUid: randomUUID(),
  customerId: 1,
  storefrontId: 1,
  inventorySourceId,
  sourceId: `source-${inventorySourceId}`,
  agentId: 'agent',
  agentUrl: 'http://127.0.0.1:1/mcp',
  protocol: 'MCP',
  trigger: 'refresh',
  status: 'queued',
  storyboards: [],
});

/**
 * The database as a worker racing the caller would leave it: the first read after a refused
 * insert finds the waiting run already claimed (running), as a worker picking it up in between
 * would.
 */
function claimedBeforeTheRead(db: Db, waitingId: number): Db {
  let claimed = false;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'select' || claimed) return Reflect.get(target, property, receiver);
      return (...args: unknown[]) => {
        claimed = true;
        const select = target.select(...(args as []));
        return new Proxy(select, {
          get(s, p, r) {
            if (p !== 'from') return Reflect.get(s, p, r);
            return (...fromArgs: unknown[]) => {
              const query = (
                s.from as (...a: unknown[]) => { where: (...w: unknown[]) => unknown }
              )(...fromArgs);
              return {
                where: (...whereArgs: unknown[]) =>
                  claimRun(target, waitingId, new Date()).then(() =>
                    (query.where as (...w: unknown[]) => PromiseLike<unknown>)(...whereArgs),
                  ),
              };
            };
          },
        });
      };
    },
  });
}

describe('queueing a compliance run', () => {
  it('answers the run already waiting rather than queueing a second', async () => {
    const first = await queueRun(database.db, run(1));
    const again = await queueRun(database.db, run(1));
    expect(first.queued).toBe(true);
    expect(again).toMatchObject({ queued: false, run: { id: first.run.id } });
  });

  it('queues a new run when the waiting one is claimed between the refused insert and the read', async () => {
    const waiting = await queueRun(database.db, run(2));
    const refresh = await queueRun(claimedBeforeTheRead(database.db, waiting.run.id), run(2));
    expect(refresh.queued).toBe(true);
    expect(refresh.run.id).not.toBe(waiting.run.id);
    expect(refresh.run.status).toBe('queued');
  });
});
