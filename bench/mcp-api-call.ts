import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ServeReady } from './serve.js';

/**
 * MCP api_call round trip against the same REST call, measured in the same run on the same
 * server: GET /api/v2/buyer/storefronts?limit=20 with a buyer key, (a) over REST with fetch,
 * (b) as an api_call through /mcp/v2/buyer with the official MCP client (one JSON-RPC POST,
 * dispatched in process through the same route). The server runs in its own process
 * (bench/serve.ts); rounds alternate REST and MCP so drift hits both alike.
 *
 *   npx tsx bench/mcp-api-call.ts                                   # embedded PGlite
 *   scripts/with-postgres.sh npx tsx bench/mcp-api-call.ts          # PostgreSQL
 *
 * Options: --seconds 5 (per round) --rounds 3 --concurrency 10, --profile <dir> (the server
 * writes a V8 CPU profile there when it stops: open it in Chrome DevTools or summarise it by
 * self time).
 */
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '10' },
    profile: { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);
const targetRatio = 1.3;
const path = '/api/v2/buyer/storefronts';
const query = { limit: 20 };

const profile = args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : [];
const server = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/serve.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { BENCH_LISTED_STOREFRONTS: '40', BENCH_READINESS_SOURCES: '1', ...process.env },
  stdio: ['pipe', 'pipe', 'inherit'],
});

try {
  const ready = await new Promise<ServeReady>((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    server.once('exit', (code) => reject(new Error(`server exited (code ${code})`)));
  });
  const base = `http://127.0.0.1:${ready.port}`;
  const authorization = `Bearer ${ready.buyerKey}`;

  const rest = async () => {
    const response = await fetch(`${base}${path}?limit=${query.limit}`, {
      headers: { authorization },
    });
    const body = (await response.json()) as { data: { items: unknown[] } };
    if (response.status !== 200) throw new Error(`REST answered ${response.status}`);
    return body.data.items.length;
  };
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${base}/mcp/v2/buyer`), {
          requestInit: { headers: { authorization } },
        }),
      );
      return client;
    }),
  );
  const mcp = async (worker: number) => {
    const result = await clients[worker]!.callTool({
      name: 'api_call',
      arguments: { method: 'GET', path, query },
    });
    if (result.isError) throw new Error(`api_call failed: ${JSON.stringify(result.content)}`);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    return (JSON.parse(text) as { data: { items: unknown[] } }).data.items.length;
  };

  // The same tools/call as one JSON-RPC POST with fetch: what the server costs, without the
  // MCP client's own work (transport, response validation) in the measured latency.
  const rpcBody = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'api_call', arguments: { method: 'GET', path, query } },
  });
  const raw = async () => {
    const response = await fetch(`${base}/mcp/v2/buyer`, {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: rpcBody,
    });
    const rpc = (await response.json()) as { result: { content: Array<{ text: string }> } };
    return (JSON.parse(rpc.result.content[0]!.text) as { data: { items: unknown[] } }).data.items
      .length;
  };

  // All three answer the same page before anything is measured.
  const [restItems, mcpItems, rawItems] = [await rest(), await mcp(0), await raw()];
  if (restItems !== mcpItems || restItems !== rawItems || restItems === 0) {
    throw new Error(`REST listed ${restItems} storefronts, api_call ${mcpItems}, raw ${rawItems}`);
  }

  const measure = async (call: (worker: number) => Promise<number>) => {
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (performance.now() < end) {
          const start = performance.now();
          await call(worker);
          latencies.push(performance.now() - start);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)]!,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
    };
  };

  await measure(rest); // warm-up, every path
  await measure(mcp);
  await measure(raw);
  const rows: string[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const a = await measure(rest);
    const b = await measure(mcp);
    const c = await measure(raw);
    const ratio = b.p50 / a.p50;
    ratios.push(ratio);
    rows.push(
      `| ${round} | ${a.perSecond.toFixed(0)} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ` +
        `${b.perSecond.toFixed(0)} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} | ` +
        `**${ratio.toFixed(2)}** | ${(a.perSecond / b.perSecond).toFixed(2)} | ` +
        `${c.p50.toFixed(2)} | **${(c.p50 / a.p50).toFixed(2)}** |`,
    );
  }
  console.log(
    `${ready.database.kind} ${ready.database.version}, ${concurrency} concurrent callers, ` +
      `${seconds} s per round, ${restItems} storefronts per page\n`,
  );
  console.log(
    '| round | REST req/s | REST p50 ms | REST p99 ms | api_call req/s | api_call p50 ms | ' +
      'api_call p99 ms | p50 ratio | throughput ratio | raw JSON-RPC p50 ms | raw p50 ratio |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
  const worst = Math.max(...ratios);
  console.log(
    `\nworst p50 ratio ${worst.toFixed(2)} (target <= ${targetRatio}): ` +
      (worst <= targetRatio ? 'met' : 'NOT met'),
  );
  await Promise.all(clients.map((c) => c.close()));
} finally {
  server.stdin.end();
}
