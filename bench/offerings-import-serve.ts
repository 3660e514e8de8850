import { benchCustomer, startBenchApp } from './bench-app.js';

/**
 * The server of bench/offerings-import.ts: Interchange (the embedded PostgreSQL in memory, or PostgreSQL at
 * PG_URL) with one buyer, one advertiser and empty catalogs; prints one JSON line with what
 * the load side needs, including this process's pid so it can read the server's memory.
 */
const bench = await startBenchApp();
const { key, call } = await benchCustomer(bench, 'BUYER');
const advertiser = String(
  (
    await call('POST', '/api/v2/buyer/advertisers', {
      name: 'Bench',
      brand: 'bench.example',
      primaryCurrency: 'USD',
    })
  ).data.id,
);
for (const catalogId of ['jsonl', 'csv', 'sync'])
  await call('POST', `/api/v2/buyer/advertisers/${advertiser}/catalogs`, {
    catalogId,
    name: catalogId,
    type: 'product',
  });
process.stdout.write(
  `${JSON.stringify({ base: bench.base, key, advertiser, pid: process.pid })}\n`,
);
