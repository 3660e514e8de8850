import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMsOf, quantile } from './process-cpu.js';

/**
 * The MCP SDK's server transports, one against the other (issue 30): the same pooled McpServer
 * tool answering N products, served (a) through the SDK's Node wrapper (our serveMcpPost) and
 * (b) through its web-standard transport driven directly, in one server process
 * (bench/mcp-transport-serve.ts); this process posts raw JSON-RPC tools/call requests, in
 * alternated rounds. Reports the server's CPU per call on each path.
 *
 *   NODE_ENV=production npx tsx bench/mcp-transport.ts --products 30
 *
 * Options: --products 30 --rounds 6 --calls 400 (per side of a round) --connections 1.
 */
const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '6' },
    calls: { type: 'string', default: '400' },
    connections: { type: 'string', default: '1' },
  },
});
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/mcp-transport-serve.ts', args.products],
  {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
try {
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'get_products', arguments: {} },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-06-18',
  };
  const call = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body });
    const json = (await res.json()) as {
      result?: { structuredContent?: { products?: unknown[] } };
    };
    if (json.result?.structuredContent?.products?.length !== Number(args.products))
      throw new Error(`${path}: unexpected answer`);
  };
  const side = async (path: string) => {
    const cpu0 = cpuMsOf(child.pid)!;
    const calls = Number(args.calls);
    const perWorker = Math.ceil(calls / Number(args.connections));
    await Promise.all(
      Array.from({ length: Number(args.connections) }, async () => {
        for (let i = 0; i < perWorker; i++) await call(path);
      }),
    );
    return (cpuMsOf(child.pid)! - cpu0) / (perWorker * Number(args.connections));
  };
  await side('/node');
  await side('/web');
  const node: number[] = [];
  const web: number[] = [];
  for (let r = 0; r < Number(args.rounds); r++) {
    if (r % 2 === 0) {
      node.push(await side('/node'));
      web.push(await side('/web'));
    } else {
      web.push(await side('/web'));
      node.push(await side('/node'));
    }
  }
  const ratios = node.map((n, i) => web[i]! / n);
  console.log(
    JSON.stringify({
      products: Number(args.products),
      serverCpuMsPerCall: {
        nodeWrapper: quantile(node, 0.5),
        webStandardDirect: quantile(web, 0.5),
      },
      ratioWebOverNode: quantile(ratios, 0.5),
      ratios: ratios.map((r) => Number(r.toFixed(2))),
      load: loadavg()[0],
    }),
  );
} finally {
  child.stdin.end();
}
