import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createUpstreamClient } from '../src/upstream/index.js';

/**
 * One seller's get_products asked the way the storefront asks it (our upstream client: the
 * bounded call, the guarded outbound client, the pooled MCP client) against the official MCP
 * client alone (connected once, the global fetch), in one process, one call at a time,
 * alternated rounds. CPU per call of this process (the seller is another), and calls/s.
 *
 *   NODE_ENV=production npx tsx bench/upstream-call.ts --products 30 --rounds 6 --seconds 3
 *
 * Where the storefront's "asking the seller" costs more than the official client's own, this
 * is the place to see it without the rest of a storefront call around it. A third side is the
 * official client whose fetch gets a signal of its own per request (AbortSignal.any over the
 * transport's): the same client without the abort-listener pile-up of bench/README.md.
 */
const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '5' },
  },
});
const request = { buying_mode: 'wholesale' };
const sellers = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'bench/storefront-products-serve.ts',
    'sellers',
    `${Number(args.products) / 30}`,
    '1',
  ],
  { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
);
const line: string = await new Promise((resolve) =>
  createInterface({ input: sellers.stdout! }).once('line', resolve),
);
const url = (JSON.parse(line) as { urls: string[] }).urls[0]!;

const official = new Client({ name: 'bench', version: '1.0.0' });
await official.connect(new StreamableHTTPClientTransport(new URL(url)));
// The official client with each fetch given a signal of its own, composed over the transport's
// (the transport passes its one long-lived signal to every fetch: bench/README.md, finding 4).
const officialOwnSignal = new Client({ name: 'bench', version: '1.0.0' });
await officialOwnSignal.connect(
  new StreamableHTTPClientTransport(new URL(url), {
    fetch: (input, init) =>
      fetch(input, { ...init, ...(init?.signal && { signal: AbortSignal.any([init.signal]) }) }),
  }),
);
const upstream = createUpstreamClient({ allowPrivateNetwork: true });
const target = {
  endpointUrl: url,
  protocol: 'MCP' as const,
  auth: { type: 'NO_AUTH' as const },
  owner: 'bench-owner',
};

const sides: Record<string, () => Promise<number>> = {
  official: async () => {
    const result = await official.callTool({ name: 'get_products', arguments: request });
    return (result.structuredContent as { products: unknown[] }).products.length;
  },
  'official, a signal per fetch': async () => {
    const result = await officialOwnSignal.callTool({ name: 'get_products', arguments: request });
    return (result.structuredContent as { products: unknown[] }).products.length;
  },
  ours: async () => {
    const result = await upstream.callTool<{ products: unknown[] }>(
      target,
      'get_products',
      request,
    );
    if (!result.ok) throw new Error(result.error.message);
    return result.data.products.length;
  },
};
for (const [name, call] of Object.entries(sides)) {
  const n = await call();
  if (n !== Number(args.products)) throw new Error(`${name}: ${n} products`);
}

async function drive(call: () => Promise<number>, ms: number) {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let calls = 0;
  while (performance.now() - started < ms) {
    await call();
    calls++;
  }
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - started;
  return {
    callsPerSec: (calls * 1000) / elapsed,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
  };
}

const names = Object.keys(sides);
for (const name of names) await drive(sides[name]!, Number(args.warmup) * 1000);
const rounds: Array<Record<string, { callsPerSec: number; cpuMsPerCall: number }>> = [];
for (let r = 0; r < Number(args.rounds); r++) {
  const round: Record<string, { callsPerSec: number; cpuMsPerCall: number }> = {};
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length]!;
    round[name] = await drive(sides[name]!, Number(args.seconds) * 1000);
  }
  rounds.push(round);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const of = (name: string, key: 'callsPerSec' | 'cpuMsPerCall') =>
  median(rounds.map((round) => round[name]![key]));
const ratio = (key: 'callsPerSec' | 'cpuMsPerCall', to: string) =>
  median(rounds.map((round) => round['ours']![key] / round[to]![key]));
console.log(
  `get_products, one seller × ${args.products} products, ${args.rounds} rounds × ${args.seconds} s`,
);
console.log('| client | calls/s | CPU ms/call |');
console.log('| --- | ---: | ---: |');
for (const name of names) {
  console.log(
    `| ${name} | ${of(name, 'callsPerSec').toFixed(0)} | ${of(name, 'cpuMsPerCall').toFixed(3)} |`,
  );
}
for (const to of names.filter((name) => name !== 'ours')) {
  console.log(
    `| ours ÷ ${to} | ${ratio('callsPerSec', to).toFixed(2)} | ${ratio('cpuMsPerCall', to).toFixed(2)} |`,
  );
}
await official.close();
await officialOwnSignal.close();
await upstream.close();
sellers.kill();
