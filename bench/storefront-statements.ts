import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { builtCustomer, startBuiltServer } from './built-server.js';
import { connect, getProductsCall, startSellers, storefrontOver } from './storefront-sides.js';
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

const { child: sellers, urls } = await startSellers(count, 30);
const server = await startBuiltServer(args.checkout, [], { INTERCHANGE_DATA_DIR: dataDir });
const db = new pg.Client({ connectionString: runningClusterUrl(dataDir) });
try {
  await db.connect();
  const agentUrl = await storefrontOver(server, urls, 'Statements seller');
  const buyer = await builtCustomer(server, 'BUYER', 'Statements buyer');
  const client = await connect(agentUrl, { authorization: `Bearer ${buyer.key}` });
  const call = () => client.callTool(getProductsCall);
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
