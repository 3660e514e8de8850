import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/**
 * get_products on a composition storefront over 3 sources × N products (--products, 30 default), against calling one
 * source directly: what the Merchandising Agent adds (auth, three parallel upstream MCP calls,
 * relabelling, product rules, discount, the discovery-run insert). Sellers, Interchange and
 * autocannon run in three processes.
 *
 *   npx tsx bench/storefront-products.ts                        # embedded PGlite in memory
 *   PG_URL=postgres://… npx tsx bench/storefront-products.ts    # PostgreSQL
 *
 * Options: --duration 10 --warmup 2 --connections 10 --products 30 --profile <dir>.
 */
type Child = ChildProcessByStdio<Writable, Readable, null>;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    // Products per source: the demo catalog holds 30; 300 is ten copies of it.
    products: { type: 'string', default: '30' },
    // Writes the Interchange process's V8 CPU profile (--cpu-prof) to this directory.
    profile: { type: 'string' },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const perSource = Number(args.products);
if (perSource % 30 !== 0 || perSource <= 0) throw new Error('--products: a multiple of 30');
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const children: Child[] = [];

function start(nodeArgs: string[], ...roleArgs: string[]): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'bench/storefront-products-serve.ts', ...roleArgs],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${roleArgs[0]} exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
}

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'get_products', arguments: { buying_mode: 'wholesale' } },
});

async function productCount(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const json = (await res.json()) as { result?: { structuredContent?: { products?: unknown[] } } };
  return json.result?.structuredContent?.products?.length ?? -1;
}

async function measure(name: string, url: string, headers: Record<string, string>) {
  const opts = { url, method: 'POST' as const, headers, body, connections };
  await autocannon({ ...opts, duration: warmup });
  const r = await autocannon({ ...opts, duration });
  return {
    name,
    products: await productCount(url, headers),
    requestsPerSec: r.requests.mean,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

try {
  const sellers = (await start([], 'sellers', String(perSource / 30))) as { urls: string[] };
  const ix = (await start(
    args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [],
    'interchange',
    ...sellers.urls,
  )) as {
    buyerKey: string;
    agentUrl: string;
    database: string;
  };
  const mcpHeaders = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const direct = await measure(
    `(a) one source directly (${perSource} products)`,
    sellers.urls[0]!,
    mcpHeaders,
  );
  const storefront = await measure(
    `(b) storefront, 3 sources (${3 * perSource} products)`,
    ix.agentUrl,
    {
      ...mcpHeaders,
      authorization: `Bearer ${ix.buyerKey}`,
    },
  );
  const results = {
    date: new Date().toISOString(),
    database: ix.database,
    connections,
    productsPerSource: perSource,
    duration,
    direct,
    storefront,
    latencyRatioP50: storefront.p50Ms / direct.p50Ms,
    throughputRatio: storefront.requestsPerSec / direct.requestsPerSec,
  };
  console.log('| target | products | req/s | p50 (ms) | p99 (ms) | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [direct, storefront]) {
    console.log(
      `| ${r.name} | ${r.products} | ${r.requestsPerSec.toFixed(1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} |`,
    );
  }
  console.log(
    `p50 ratio (b)/(a): ${results.latencyRatioP50.toFixed(2)}; throughput ratio (b)/(a): ${results.throughputRatio.toFixed(2)} (${ix.database})`,
  );
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}storefront-products-${results.date.replace(/[:.]/g, '-')}.json`,
    JSON.stringify(results, null, 2),
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
}
