import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchCustomer, startBenchApp } from './bench-app.js';
import { sql } from 'drizzle-orm';
import pg from 'pg';

/**
 * The server of bench/advertisers-list.ts: Interchange (the embedded PostgreSQL in memory, or
 * PostgreSQL at PG_URL) with one buyer holding 500 advertisers, each with 2 linked accounts and a brand whose
 * brand.json a local server answers (50 distinct brand hosts on 127.0.0.x). Counts the SQL
 * statements every request sends, by wrapping the driver's query method, and reports them per
 * page size before printing one JSON line.
 */
let statements = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;
const brandServer = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      name: `Brand of ${req.headers.host}`,
      logos: [{ url: 'https://cdn.example/logo.png', tags: ['primary'] }],
      colors: { primary: '#112233' },
      industry: 'retail',
    }),
  );
});
// Every 127.0.0.x reaches a socket bound to 0.0.0.0: 50 brand hosts from one server.
await new Promise<void>((resolve) => brandServer.listen(0, '0.0.0.0', resolve));
const brandPort = (brandServer.address() as AddressInfo).port;

const bench = await startBenchApp();
const { database, base } = bench;
const { key: buyerKey, call } = await benchCustomer(bench, 'BUYER');
for (let i = 0; i < 500; i++) {
  await call('POST', '/api/v2/buyer/advertisers', {
    name: `Advertiser ${i}`,
    brand: `http://127.0.0.${1 + (i % 50)}:${brandPort}`,
    primaryCurrency: 'USD',
  });
}
// Links as list_accounts would have produced them (no seller process in this benchmark).
await database.db.execute(sql`
  insert into advertiser_accounts (advertiser_id, customer_id, storefront_id, source_id, agent_id,
    account_id, name, sources)
  select a.id, a.customer_id, 1, 'src_main', 'agent_bench', 'acc_' || a.id || '_' || n,
    'Account ' || n, '[{"storefrontId":1,"storefrontName":"Bench","sourceId":"src_main","sourceName":"Main"}]'::jsonb
  from advertisers a cross join generate_series(1, 2) n`);

const full = (limit: number) =>
  `/api/v2/buyer/advertisers?limit=${limit}&offset=100&includeAccounts=true&includeBrand=true`;
await call('GET', full(100)); // resolves and caches the 50 brands
await call('GET', '/api/v2/buyer/advertisers?limit=100&offset=400&includeBrand=true');
const perRequest: Record<string, number> = {};
for (const limit of [1, 10, 50, 100]) {
  await call('GET', full(limit)); // the key lookup is cached for 2 s: count a warm request
  const before = statements;
  const page = await call('GET', full(limit));
  perRequest[String(limit)] = statements - before;
  if ((page.data.items as unknown[]).length !== limit) throw new Error('short page');
}
console.log(
  JSON.stringify({
    base,
    buyerKey,
    database: database.kind,
    statementsPerRequest: perRequest,
  }),
);

process.on('SIGTERM', () => process.exit(0));
