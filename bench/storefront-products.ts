import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMsOf } from './process-cpu.js';

/**
 * get_products on a composition storefront over 3 sources × N products (--products, 30 default), against calling one
 * source directly: what the Merchandising Agent adds (auth, three parallel upstream MCP calls,
 * relabelling, product rules, discount, the discovery-run insert). Sellers, Interchange and
 * autocannon run in three processes.
 *
 *   npx tsx bench/storefront-products.ts                        # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/storefront-products.ts    # PostgreSQL
 *
 * Options: --duration 10 --warmup 2 --connections 10 --products 30 --profile <dir>
 * --answer-ttl <ms> (INTERCHANGE_SOURCE_ANSWER_TTL_MS: 0, the default, asks the sources on every
 * call; above 0 every measured call but the first reuses the buyer's answers: warm calls).
 *
 * Besides req/s and latency, it reports the CPU time spent per call by the process answering it
 * (the sellers' for (a), Interchange's for (b); Linux /proc), which a machine shared with other
 * work disturbs far less than req/s.
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
    'answer-ttl': { type: 'string', default: '0' },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const perSource = Number(args.products);
if (perSource % 30 !== 0 || perSource <= 0) throw new Error('--products: a multiple of 30');
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const children: Child[] = [];

const answerTtlMs = Number(args['answer-ttl']);

function start(nodeArgs: string[], ...roleArgs: string[]): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'bench/storefront-products-serve.ts', ...roleArgs],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, INTERCHANGE_SOURCE_ANSWER_TTL_MS: String(answerTtlMs) },
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

async function measure(
  name: string,
  url: string,
  headers: Record<string, string>,
  cpuPid?: number,
) {
  const opts = { url, method: 'POST' as const, headers, body, connections };
  await autocannon({ ...opts, duration: warmup });
  const cpuBefore = cpuMsOf(cpuPid);
  const r = await autocannon({ ...opts, duration });
  const cpuAfter = cpuMsOf(cpuPid);
  return {
    name,
    products: await productCount(url, headers),
    cpuMsPerCall:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : (cpuAfter - cpuBefore) / r.requests.total,
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
    children[0]?.pid,
  );
  const storefront = await measure(
    `(b) storefront, 3 sources (${3 * perSource} products)${answerTtlMs > 0 ? ', answers reused (warm)' : ''}`,
    ix.agentUrl,
    {
      ...mcpHeaders,
      authorization: `Bearer ${ix.buyerKey}`,
    },
    children[1]?.pid,
  );
  const results = {
    date: new Date().toISOString(),
    database: ix.database,
    connections,
    productsPerSource: perSource,
    answerTtlMs,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    duration,
    direct,
    storefront,
    latencyRatioP50: storefront.p50Ms / direct.p50Ms,
    throughputRatio: storefront.requestsPerSec / direct.requestsPerSec,
    // What the req/s ratio would be if each side were bound by its own process's CPU.
    cpuRatio:
      direct.cpuMsPerCall && storefront.cpuMsPerCall
        ? direct.cpuMsPerCall / storefront.cpuMsPerCall
        : undefined,
  };
  console.log('| target | products | req/s | p50 (ms) | p99 (ms) | non-2xx | CPU ms/call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [direct, storefront]) {
    console.log(
      `| ${r.name} | ${r.products} | ${r.requestsPerSec.toFixed(1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.cpuMsPerCall?.toFixed(2) ?? ''} |`,
    );
  }
  console.log(
    `p50 ratio (b)/(a): ${results.latencyRatioP50.toFixed(2)}; throughput ratio (b)/(a): ${results.throughputRatio.toFixed(2)}; CPU per call ratio (a)/(b): ${results.cpuRatio?.toFixed(3) ?? '-'} (${ix.database}; load average ${results.loadAverage})`,
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
