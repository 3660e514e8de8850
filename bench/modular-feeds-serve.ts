import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { benchCustomer, startBenchApp } from './bench-app.js';

/**
 * The server of bench/modular-feeds.ts in its own process: Interchange (the embedded PostgreSQL,
 * another process) with one publisher whose storefront has two modular sources (`csv-feed`,
 * `xlsx-feed`). Prints one JSON line (base URL, the publisher's key, this pid) and then obeys
 * lines on stdin: `profile-start`, `profile-stop <file>` (V8's CPU profiler, the one
 * `node --cpu-prof` drives, scoped to the work measured; writes a .cpuprofile), `heap` (answers
 * the heap in use after a full collection, in bytes) and `exit`; the others answer `ok`.
 */
const bench = await startBenchApp();
const publisher = await benchCustomer(bench, 'SELLER', 'Bench publisher');
await publisher.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' });
for (const sourceId of ['csv-feed', 'xlsx-feed'])
  await publisher.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
    name: sourceId,
    sourceId,
  });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });

process.stdout.write(
  `${JSON.stringify({ base: bench.base, key: publisher.key, pid: process.pid })}\n`,
);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(' ');
  if (command === 'profile-start') await session.post('Profiler.start');
  if (command === 'profile-stop') {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(arg!, JSON.stringify(profile));
  }
  if (command === 'exit') break;
  if (command === 'heap') {
    // What the server still holds after a full collection (run with --expose-gc).
    global.gc?.();
    process.stdout.write(`${process.memoryUsage().heapUsed}\n`);
    continue;
  }
  process.stdout.write('ok\n');
}
session.disconnect();
await bench.app.close();
await bench.services.close();
await bench.database.close();
process.stdout.write('ok\n');
process.exit(0);
