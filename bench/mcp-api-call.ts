import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ServeReady } from './serve.js';

/**
 * MCP api_call round trip against the same REST call, measured in the same run on the same
 * server: GET /api/v2/buyer/storefronts?limit=20 with a buyer key,
 *   (a) over REST with fetch,
 *   (b) as api_call through /mcp/v2/buyer with the official MCP client (one JSON-RPC POST,
 *       dispatched in process through the same route),
 *   (c) the same tools/call as one raw JSON-RPC POST with fetch (the server's share, without
 *       the MCP client's own work),
 * and, from a second server (bench/mcp-floor-serve.ts) holding the same answer text,
 *   (d) that text from a plain Fastify route, and
 *   (e) that text from an MCP tool that does nothing else, over the same serving path:
 *       (e) - (d) is what the MCP SDK alone costs to carry the answer, client and server.
 * Each caller takes the paths in turn, call by call, starting from a different one each turn,
 * so every path sees the same moments of a shared, noisy machine.
 *
 *   npx tsx bench/mcp-api-call.ts                                   # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/mcp-api-call.ts          # PostgreSQL
 *
 * Options: --seconds 5 (per round) --rounds 3 --concurrency 1, --profile <dir> (the Interchange
 * server writes a V8 CPU profile there when it stops).
 */
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);
const targetRatio = 1.3;
const path = '/api/v2/buyer/storefronts';
const query = { limit: 20 };
const cwd = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-api-call-'));
const children: ChildProcess[] = [];

/** Starts a bench server in its own process and reads the JSON line it prints once ready. */
async function start<T>(script: string, env: Record<string, string>, node: string[] = []) {
  const child = spawn(process.execPath, [...node, '--import', 'tsx', script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise<T>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`${script} exited (code ${code})`)));
  });
}

async function connectClient(url: string, headers: Record<string, string>) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

type Page = { data: { items: unknown[] } };
const itemsOfTool = (result: Awaited<ReturnType<Client['callTool']>>) => {
  if (result.isError) throw new Error(`api_call failed: ${JSON.stringify(result.content)}`);
  const text = (result.content as Array<{ text: string }>)[0]!.text;
  return (JSON.parse(text) as Page).data.items.length;
};
const itemsOfJson = async (response: Response) => {
  if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}`);
  return ((await response.json()) as Page).data.items.length;
};

try {
  const ready = await start<ServeReady>(
    'bench/serve.ts',
    { BENCH_LISTED_STOREFRONTS: '40', BENCH_READINESS_SOURCES: '1' },
    args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : [],
  );
  const base = `http://127.0.0.1:${ready.port}`;
  const authorization = `Bearer ${ready.buyerKey}`;
  const restUrl = `${base}${path}?limit=${query.limit}`;

  // The floor server answers the very page REST answers.
  const answerFile = join(scratch, 'answer.json');
  writeFileSync(answerFile, await (await fetch(restUrl, { headers: { authorization } })).text());
  const floor = await start<{ port: number }>('bench/mcp-floor-serve.ts', {
    FLOOR_ANSWER_FILE: answerFile,
  });
  const floorBase = `http://127.0.0.1:${floor.port}`;

  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => ({
      ours: await connectClient(`${base}/mcp/v2/buyer`, { authorization }),
      floor: await connectClient(`${floorBase}/mcp`, {}),
    })),
  );
  const toolCall = { name: 'api_call', arguments: { method: 'GET', path, query } };
  const rpcBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: toolCall });
  const paths = {
    rest: async () => itemsOfJson(await fetch(restUrl, { headers: { authorization } })),
    apiCall: async (worker: number) => itemsOfTool(await clients[worker]!.ours.callTool(toolCall)),
    raw: async () => {
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
      return (JSON.parse(rpc.result.content[0]!.text) as Page).data.items.length;
    },
    plain: async () => itemsOfJson(await fetch(`${floorBase}/plain`)),
    floor: async (worker: number) => itemsOfTool(await clients[worker]!.floor.callTool(toolCall)),
  } satisfies Record<string, (worker: number) => Promise<number>>;
  type PathName = keyof typeof paths;
  const names = Object.keys(paths) as PathName[];

  // Every path answers the same page before anything is measured.
  const counts = await Promise.all(names.map((name) => paths[name](0)));
  if (counts.some((count) => count !== counts[0]) || counts[0] === 0) {
    throw new Error(
      `the paths listed different pages: ${names.map((n, i) => `${n} ${counts[i]}`)}`,
    );
  }

  const percentile = (sorted: number[], q: number) => sorted[Math.floor(sorted.length * q)]!;
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const measure = async () => {
    const latencies = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
      PathName,
      number[]
    >;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let turn = worker; performance.now() < end; turn += 1) {
          for (let step = 0; step < names.length; step += 1) {
            const name = names[(turn + step) % names.length]!;
            const started = performance.now();
            await paths[name](worker);
            latencies[name].push(performance.now() - started);
          }
        }
      }),
    );
    return Object.fromEntries(
      names.map((name) => {
        const sorted = latencies[name].sort((a, b) => a - b);
        return [name, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
      }),
    ) as Record<PathName, { p50: number; p99: number }>;
  };

  await measure(); // warm-up, every path
  const rows: string[] = [];
  const ratios: number[] = [];
  const floorRatios: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const m = await measure();
    const ratio = m.apiCall.p50 / m.rest.p50;
    const sdk = m.floor.p50 - m.plain.p50;
    const ours = m.apiCall.p50 - m.rest.p50 - sdk;
    ratios.push(ratio);
    floorRatios.push((m.rest.p50 + sdk) / m.rest.p50);
    rows.push(
      `| ${round} | ${m.rest.p50.toFixed(2)} | ${m.rest.p99.toFixed(2)} | ` +
        `${m.apiCall.p50.toFixed(2)} | ${m.apiCall.p99.toFixed(2)} | **${ratio.toFixed(2)}** | ` +
        `${(m.raw.p50 / m.rest.p50).toFixed(2)} | ${m.plain.p50.toFixed(2)} | ` +
        `${m.floor.p50.toFixed(2)} | ${sdk.toFixed(2)} | ${ours.toFixed(2)} | ` +
        `${((m.rest.p50 + sdk) / m.rest.p50).toFixed(2)} |`,
    );
  }
  console.log(
    `${ready.database.kind} ${ready.database.version}, ${concurrency} concurrent callers, ` +
      `${seconds} s per round, ${counts[0]} storefronts per page\n`,
  );
  console.log(
    '| round | REST p50 ms | REST p99 ms | api_call p50 ms | api_call p99 ms | p50 ratio | ' +
      'raw JSON-RPC p50 ratio | plain text p50 ms | MCP text p50 ms | MCP SDK ms | ours ms | ' +
      'ratio with the SDK alone |',
  );
  console.log(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  console.log(rows.join('\n'));
  const worst = Math.max(...ratios);
  console.log(
    `\napi_call/REST p50 ratio: median ${median(ratios).toFixed(2)}, worst ${worst.toFixed(2)} ` +
      `(target <= ${targetRatio}: ${worst <= targetRatio ? 'met' : 'NOT met'}); ` +
      `the MCP SDK alone would give ${median(floorRatios).toFixed(2)}`,
  );
  await Promise.all(clients.flatMap((c) => [c.ours.close(), c.floor.close()]));
} finally {
  for (const child of children) child.stdin?.end();
  rmSync(scratch, { recursive: true, force: true });
}
