import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { createJobQueue, defineJob } from '../../src/platform/jobs/index.js';

/*
 * An instance of the job queue in a process of its own, for test/jobs/lease.test.ts to kill:
 * it queues one job of a one-running-per-key type (an hour's timeout, like an ad-server sync)
 * and works it, printing "running" once its handler holds the key; the handler never ends.
 * Arguments: the database URL, the job type's name. The queue's settings come from the env.
 */
const [databaseUrl, name] = process.argv.slice(2);
const config = loadConfig({ ...process.env, INTERCHANGE_DATA_DIR: 'memory' });
const database = await openDatabase({ databaseUrl: databaseUrl!, dataDir: 'memory', poolMax: 3 });
const queue = createJobQueue({ database, config: config.jobs });
const type = defineJob({
  name: name!,
  payload: z.object({ n: z.number() }),
  singleton: 'queued-and-running',
  timeoutSeconds: 3600,
  retry: { limit: 3, delaySeconds: 1, backoff: false },
  handler: async () => {
    process.stdout.write('running\n');
    await new Promise<never>(() => undefined);
  },
});
queue.define(type);
await queue.start();
await queue.send(type, { n: 1 }, { singletonKey: 'storefront-1' });
