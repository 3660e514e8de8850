import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * A buyer's get_products for `brief` through a storefront agent over MCP: five warm-up calls,
 * then `calls` timed one after another. The products of the last answer, p50 and p95 (ms), and
 * calls/s at the mean.
 */
export async function timeStorefrontGetProducts(options: {
  base: string;
  buyerKey: string;
  platformId: string;
  brief: string;
  calls: number;
}) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${options.base}/adcp/storefront-${options.platformId}/mcp`),
      { requestInit: { headers: { authorization: `Bearer ${options.buyerKey}` } } },
    ),
  );
  const args = {
    buying_mode: 'brief',
    brief: options.brief,
    account: { brand: { domain: 'acme.example' }, operator: 'bench-agency.example' },
  };
  let products = 0;
  for (let i = 0; i < 5; i++) await client.callTool({ name: 'get_products', arguments: args });
  const times: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    const t = process.hrtime.bigint();
    const r = await client.callTool({ name: 'get_products', arguments: args });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    products = ((r.structuredContent as { products?: unknown[] })?.products ?? []).length;
  }
  await client.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.floor(q * (times.length - 1))]!.toFixed(1));
  return {
    products,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    callsPerSec: Math.round(1000 / (times.reduce((a, b) => a + b, 0) / times.length)),
  };
}
