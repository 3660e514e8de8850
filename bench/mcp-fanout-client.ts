import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * A buyer's own fan-out as a process of its own, for bench/storefront-instructions.ts: the
 * official MCP client connected once to each seller (URLs on argv), which on a line `run <n>`
 * makes n calls one after another, each asking every seller for get_products in parallel and
 * concatenating the products, then prints `ok <products of the last call>`. Prints `ready` once
 * connected; exits when stdin closes.
 */
const urls = process.argv.slice(2);
const request = { name: 'get_products', arguments: { buying_mode: 'wholesale' } };

const clients = await Promise.all(
  urls.map(async (url) => {
    const client = new Client({ name: 'bench-buyer', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  }),
);

async function fanOut(): Promise<number> {
  const answers = await Promise.all(clients.map((client) => client.callTool(request)));
  return answers.flatMap(
    (a) => (a.structuredContent as { products?: unknown[] } | undefined)?.products ?? [],
  ).length;
}

console.log('ready');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const n = Number(/^run (\d+)$/.exec(line)?.[1] ?? 0);
  void (async () => {
    let products = 0;
    for (let i = 0; i < n; i++) products = await fanOut();
    console.log(`ok ${products}`);
  })();
});
lines.on('close', () => process.exit(0));
