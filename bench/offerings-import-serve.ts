import { startBenchApp } from './bench-app.js';

/**
 * The server of bench/offerings-import.ts: Interchange (PGlite in memory, or PostgreSQL at
 * PG_URL) with one buyer, one advertiser and empty catalogs; prints one JSON line with what
 * the load side needs, including this process's pid so it can read the server's memory.
 */
const { services, base } = await startBenchApp();
const buyer = await services.identity.createCustomer({
  name: 'Bench buyer',
  customerRole: 'BUYER',
  customerDomain: 'bench-buyer.example',
});
const key = (await services.identity.createCustomerApiKey(buyer.id, 'bench')).key;
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { data: Record<string, unknown> };
};
await call('POST', '/api/v2/accounts/terms/accept');
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
process.stdout.write(`${JSON.stringify({ base, key, advertiser, pid: process.pid })}\n`);
