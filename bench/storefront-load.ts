import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { descendantsCpu, descendantsCpuBetween, quantile } from './process-cpu.js';

/**
 * A buyer's get_products for `brief` through a storefront agent over MCP, `connections` official
 * clients at once, `calls` each (after 5 warm-up calls each): p50 / p99 of a call (ms), calls/s,
 * and CPU per call of this process (the server and the clients; not `excludePids`, e.g. a seller
 * in its own process) and of its other descendants (the embedded PostgreSQL).
 */
export async function loadStorefrontGetProducts(options: {
  base: string;
  buyerKey: string;
  platformId: string;
  /** One brief for every call, or a list the calls take in turn (no two alike: no reused ranking). */
  brief: string | string[];
  calls: number;
  connections: number;
  excludePids?: number[];
  /** AdCP `pagination.max_results` on every call: the answer size asked of each side. */
  maxResults?: number;
}) {
  const clients = await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(`${options.base}/adcp/storefront-${options.platformId}/mcp`),
          { requestInit: { headers: { authorization: `Bearer ${options.buyerKey}` } } },
        ),
      );
      return client;
    }),
  );
  const briefs = Array.isArray(options.brief) ? options.brief : [options.brief];
  let asked = 0;
  const args = () => ({
    buying_mode: 'brief',
    brief: briefs[asked++ % briefs.length],
    account: { brand: { domain: 'acme.example' }, operator: 'bench-agency.example' },
    ...(options.maxResults && { pagination: { max_results: options.maxResults } }),
  });
  let products = 0;
  let totalCount: number | undefined;
  const call = async (client: Client) => {
    const r = await client.callTool({ name: 'get_products', arguments: args() });
    const answer = r.structuredContent as
      { products?: unknown[]; pagination?: { total_count?: number } } | undefined;
    products = (answer?.products ?? []).length;
    totalCount = answer?.pagination?.total_count;
  };
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < 5; i++) await call(c);
    }),
  );
  const others = () => {
    const cpu = descendantsCpu(process.pid);
    for (const pid of options.excludePids ?? []) cpu.delete(pid);
    return cpu;
  };
  const times: number[] = [];
  const dbBefore = others();
  const cpuBefore = process.cpuUsage();
  const began = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < options.calls; i++) {
        const t = process.hrtime.bigint();
        await call(c);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const dbMs = descendantsCpuBetween(dbBefore, others());
  await Promise.all(clients.map((c) => c.close()));
  const n = times.length;
  const round = (x: number, d = 2) => Number(x.toFixed(d));
  return {
    products,
    totalCount,
    connections: options.connections,
    calls: n,
    p50Ms: round(quantile(times, 0.5), 1),
    p95Ms: round(quantile(times, 0.95), 1),
    p99Ms: round(quantile(times, 0.99), 1),
    callsPerSec: Math.round(n / seconds),
    processCpuMsPerCall: round((cpu.user + cpu.system) / 1000 / n),
    databaseCpuMsPerCall: round(dbMs / n),
  };
}
