import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/**
 * GET /api/v2/buyer/advertisers over 500 advertisers, pages of 100: (a) the bare list against
 * (b) includeAccounts=true&includeBrand=true (1000 linked accounts, 50 brands, cache warm).
 * Also reports the SQL statements one request sends per page size: constant, no N+1.
 *
 *   npx tsx bench/advertisers-list.ts                              # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/advertisers-list.ts     # PostgreSQL
 *
 * Options: --duration 10 --warmup 2 --connections 10.
 */
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const pgUrl = process.env.PG_URL ?? process.env.TEST_DATABASE_URL;
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/advertisers-list-serve.ts'], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, ...(pgUrl && { PG_URL: pgUrl }) },
});

try {
  const server = await new Promise<{
    base: string;
    buyerKey: string;
    database: string;
    statementsPerRequest: Record<string, number>;
  }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  const headers = { authorization: `Bearer ${server.buyerKey}` };
  const measure = async (name: string, path: string) => {
    const opts = { url: `${server.base}${path}`, headers, connections };
    await autocannon({ ...opts, duration: warmup });
    const r = await autocannon({ ...opts, duration });
    return {
      name,
      requestsPerSec: r.requests.mean,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      bytesPerRequest: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
    };
  };
  const bare = await measure(
    '(a) list, 100 per page',
    '/api/v2/buyer/advertisers?limit=100&offset=200',
  );
  const full = await measure(
    '(b) includeAccounts + includeBrand',
    '/api/v2/buyer/advertisers?limit=100&offset=200&includeAccounts=true&includeBrand=true',
  );
  const results = {
    date: new Date().toISOString(),
    database: server.database,
    connections,
    duration,
    statementsPerRequest: server.statementsPerRequest,
    bare,
    full,
    throughputRatio: full.requestsPerSec / bare.requestsPerSec,
  };
  console.log('| target | req/s | p50 (ms) | p99 (ms) | bytes/req | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [bare, full]) {
    console.log(
      `| ${r.name} | ${r.requestsPerSec.toFixed(1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.bytesPerRequest} | ${r.non2xx} |`,
    );
  }
  console.log(
    `throughput ratio (b)/(a): ${results.throughputRatio.toFixed(2)}; SQL statements per request by page size: ${JSON.stringify(server.statementsPerRequest)} (${server.database})`,
  );
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}advertisers-list-${results.date.replace(/[:.]/g, '-')}.json`,
    JSON.stringify(results, null, 2),
  );
} finally {
  child.kill('SIGTERM');
}
