import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';

/*
 * What only looks back is pruned on a schedule (src/jobs/retention.ts): settled seller-write
 * intents past INTERCHANGE_SETTLED_WRITE_RETENTION_DAYS, and buyers' task push configs past
 * INTERCHANGE_TASK_PUSH_RETENTION_DAYS, whether their task is still undecided or its
 * notification was given up. Open intents are never pruned, however old: recovery still owes
 * them an outcome. The rows are written as the modules write them, then aged in the database.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_RETENTION_INTERVAL_SECONDS: '1',
    INTERCHANGE_SETTLED_WRITE_RETENTION_DAYS: '7',
    INTERCHANGE_TASK_PUSH_RETENTION_DAYS: '3',
  });
  await h.services.jobs.start();
});
afterAll(() => h?.close());

const day = 86_400_000;
const sql = (text: string, values: unknown[] = []) => h.database.queryable.query(text, values);

/** An intent as a write begins it, settled (or not) and then aged `days`. */
async function intent(days: number, settled: boolean): Promise<string> {
  const { intent } = await h.services.sellerWrites.begin(
    {
      kind: 'test.retention',
      subjectId: `buy_${randomUUID()}`,
      customerId: 1,
      target: 'agent_retention',
      tool: 'create_media_buy',
      idempotencyKey: randomUUID(),
      request: {},
    },
    60_000,
  );
  if (settled) await h.services.sellerWrites.settle(intent, 'answered');
  const at = new Date(Date.now() - days * day);
  await sql(
    `update seller_write_intents set created_at = $2::timestamptz, settled_at = case when state = 'settled'
     then $2::timestamptz end, lease_until = null where id = $1`,
    [intent.id, at],
  );
  return intent.id;
}

async function pushConfig(days: number): Promise<string> {
  const taskId = `task_${randomUUID()}`;
  await sql(`insert into task_push_configs (task_id, url, created_at) values ($1, $2, $3)`, [
    taskId,
    'https://buyer.example/hooks',
    new Date(Date.now() - days * day),
  ]);
  return taskId;
}

const intentsLeft = async (ids: string[]) =>
  (await sql(`select id from seller_write_intents where id = any($1)`, [ids])).rows.map(
    (r) => r['id'],
  );
const configsLeft = async (ids: string[]) =>
  (await sql(`select task_id from task_push_configs where task_id = any($1)`, [ids])).rows.map(
    (r) => r['task_id'],
  );

describe('retention', () => {
  it('prunes settled intents and task push configs past their retention, on its own schedule', async () => {
    const oldSettled = await intent(10, true);
    const recentSettled = await intent(2, true);
    const oldOpen = await intent(40, false);
    const oldConfig = await pushConfig(5);
    const recentConfig = await pushConfig(1);

    await h.services.retention.startSweeps();
    const left = await eventually(
      async () => ({
        intents: await intentsLeft([oldSettled, recentSettled, oldOpen]),
        configs: await configsLeft([oldConfig, recentConfig]),
      }),
      (now) => now.intents.length === 2 && now.configs.length === 1,
      20_000,
    );
    expect(left.intents.sort()).toEqual([recentSettled, oldOpen].sort());
    expect(left.configs).toEqual([recentConfig]);

    // The next run comes by itself (the schedule), not from anything written meanwhile.
    const later = await intent(9, true);
    await eventually(
      () => intentsLeft([later]),
      (ids) => ids.length === 0,
      20_000,
    );
  });
});
