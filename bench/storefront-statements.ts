import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { builtCustomer, startBuiltServer } from './built-server.js';
import { runningClusterUrl } from '../src/platform/db/embedded/cluster.js';

/**
 * What one storefront get_products call asks of PostgreSQL, table by table (issue 30): the
 * built server on a data directory, a storefront over N demo sellers, then the database's own
 * counters (pg_stat_user_tables scans and row writes, pg_stat_database commits) read before
 * and after `--calls` calls of one buyer, divided by the calls. A read of a storefront's
 * configuration that runs on every call shows as about one scan per call of its table.
 *
 *   npm run build && npx tsx bench/storefront-statements.ts --sources 3 --calls 200
 */
const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '3' },
    calls: { type: 'string', default: '200' },
    checkout: { type: 'string', default: '.' },
  },
});
const count = Number(args.sources);
const calls = Number(args.calls);
const dataDir = mkdtempSync(join(tmpdir(), 'ix-statements-'));

const sellers = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/storefront-products-serve.ts', 'sellers', '1', `${count}`],
  { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
);
const urls = await new Promise<string[]>((resolve) =>
  createInterface({ input: sellers.stdout }).once('line', (line) =>
    resolve((JSON.parse(line) as { urls: string[] }).urls),
  ),
);
const server = await startBuiltServer(args.checkout, [], { INTERCHANGE_DATA_DIR: dataDir });
const db = new pg.Client({ connectionString: runningClusterUrl(dataDir) });
try {
  await db.connect();
  const seller = await builtCustomer(server, 'SELLER', 'Statements seller');
  const sf = await server.api(seller.key, 'PUT', '/api/v2/storefront', { defaultCurrency: 'USD' });
  for (const [i, url] of urls.entries()) {
    const sourceId = `seller-${i + 1}`;
    await server.api(seller.key, 'POST', '/api/v2/storefront/inventory-sources', {
      name: `Seller ${i + 1}`,
      sourceId,
      endpointUrl: url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await server.api(seller.key, 'PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, {
      status: 'ACTIVE',
    });
  }
  await server.api(seller.key, 'POST', '/api/v2/storefront/activate');
  await server.api(
    server.adminKey,
    'POST',
    `/api/v2/admin/storefronts/${sf['id'] as string}/marketplace`,
    { action: 'list' },
  );
  const buyer = await builtCustomer(server, 'BUYER', 'Statements buyer');
  const client = new Client({ name: 'bench-buyer', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${server.url}/adcp/storefront-${sf['platformId'] as string}/mcp`),
      { requestInit: { headers: { authorization: `Bearer ${buyer.key}` } } },
    ),
  );
  const call = () =>
    client.callTool({ name: 'get_products', arguments: { buying_mode: 'wholesale' } });
  for (let i = 0; i < 20; i++) await call();
  const snapshot = async () => {
    await new Promise((r) => setTimeout(r, 1500)); // backends flush their counters within 1 s
    await db.query('select pg_stat_clear_snapshot()');
    const tables = await db.query<{ relname: string; scans: string; writes: string }>(
      `select relname, coalesce(seq_scan,0)+coalesce(idx_scan,0) as scans,
              n_tup_ins+n_tup_upd+n_tup_del as writes from pg_stat_user_tables`,
    );
    const dbs = await db.query<{ xact_commit: string }>(
      'select xact_commit from pg_stat_database where datname = current_database()',
    );
    return {
      tables: new Map(tables.rows.map((r) => [r.relname, [Number(r.scans), Number(r.writes)]])),
      commits: Number(dbs.rows[0]!.xact_commit),
    };
  };
  const before = await snapshot();
  const t = performance.now();
  for (let i = 0; i < calls; i++) await call();
  const ms = performance.now() - t;
  const after = await snapshot();
  const rows: string[] = [];
  for (const [name, [scans, writes]] of after.tables) {
    const [s0, w0] = before.tables.get(name) ?? [0, 0];
    const ds = (scans! - s0!) / calls;
    const dw = (writes! - w0!) / calls;
    if (ds >= 0.05 || dw >= 0.05) rows.push(`| ${name} | ${ds.toFixed(2)} | ${dw.toFixed(2)} |`);
  }
  console.log(
    [
      `${count} sources × 30 products, ${calls} calls (${((calls * 1000) / ms).toFixed(0)}/s, one connection)`,
      `commits per call (the probe's own reads included): ${((after.commits - before.commits - 2) / calls).toFixed(2)}`,
      '',
      '| table | scans per call | rows written per call |',
      '| --- | ---: | ---: |',
      ...rows.sort(),
    ].join('\n'),
  );
  await client.close();
} finally {
  await db.end().catch(() => undefined);
  server.stop();
  sellers.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
