import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';

/**
 * get_products through a linked storefront against the upstream storefront directly, in one
 * run (issue 31: what the extra hop costs). One Interchange, one demo seller (30 products):
 *
 *   (a) the upstream storefront's agent, asked directly;
 *   (b) a downstream storefront selling it through an approved link on the same instance
 *       (called in process, as docs/federation.md says);
 *   (c) a downstream selling it by a URL that is not this instance's own origin (`localhost`
 *       for `127.0.0.1`), so the hop is a real MCP call over loopback HTTP through the upstream
 *       client, as a link to another Interchange would be.
 *
 *   npx tsx bench/linked-storefront.ts [--duration 10] [--warmup 2] [--connections 4]
 *
 * autocannon runs in the same process as Interchange: the ratios, not the absolute req/s, are
 * the figures to read.
 */
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);

const seller = await startDemoSeller();
const ix = await startBenchApp({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '0' });
ix.services.trustOwnOrigin(ix.base);

async function storefront(name: string, source: Record<string, unknown>) {
  const owner = await benchCustomer(ix, 'SELLER', name);
  const sf = (await owner.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' })).data;
  await owner.call('POST', '/api/v2/storefront/inventory-sources', {
    name: 'src',
    sourceId: 'src',
    ...source,
  });
  await owner.call('PUT', '/api/v2/storefront/inventory-sources/src', { status: 'ACTIVE' });
  await owner.call('POST', '/api/v2/storefront/activate');
  await ix.services.storefronts.setMarketplace(sf['id'] as number, 'list');
  return { owner, platformId: sf['platformId'] as string };
}

const agentPath = (platformId: string) => `/adcp/storefront-${platformId}/mcp`;
const upstream = await storefront('Upstream', {
  endpointUrl: seller.url,
  protocol: 'MCP',
  authenticationType: 'NO_AUTH',
});

/** A downstream storefront linked to the upstream, asked at `origin`; its link approved. */
async function linked(name: string, origin: string) {
  const owner = await benchCustomer(ix, 'SELLER', name);
  const sf = (await owner.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' })).data;
  const platformId = sf['platformId'] as string;
  const link = await owner.call('POST', '/api/v2/buyer/storefront-links', {
    platformId: upstream.platformId,
    // The downstream names itself by this instance's own origin, as its calls' chain does.
    downstream: { agentUrl: `${ix.base}${agentPath(platformId)}`, name },
  });
  await upstream.owner.call(
    'POST',
    `/api/v2/storefront/link-requests/${link.data['id'] as string}/approve`,
  );
  await owner.call('POST', '/api/v2/storefront/inventory-sources', {
    name: 'Upstream',
    sourceId: 'up',
    executionType: 'LINKED_STOREFRONT',
    endpointUrl: `${origin}${agentPath(upstream.platformId)}`,
    protocol: 'MCP',
    authenticationType: 'API_KEY',
    auth: { type: 'bearer', token: owner.key },
  });
  await owner.call('PUT', '/api/v2/storefront/inventory-sources/up', { status: 'ACTIVE' });
  await owner.call('POST', '/api/v2/storefront/activate');
  await ix.services.storefronts.setMarketplace(sf['id'] as number, 'list');
  return platformId;
}
const inProcess = await linked('Downstream in process', ix.base);
const overHttp = await linked('Downstream over HTTP', ix.base.replace('127.0.0.1', 'localhost'));
const buyer = await benchCustomer(ix, 'BUYER', 'Bench buyer');

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'get_products', arguments: { buying_mode: 'wholesale' } },
});
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${buyer.key}`,
};

async function measure(name: string, platformId: string) {
  const url = `${ix.base}${agentPath(platformId)}`;
  const answer = (await (await fetch(url, { method: 'POST', headers, body })).json()) as {
    result?: { structuredContent?: { products?: unknown[] } };
  };
  const products = answer.result?.structuredContent?.products?.length ?? -1;
  const opts = { url, method: 'POST' as const, headers, body, connections };
  await autocannon({ ...opts, duration: warmup });
  const r = await autocannon({ ...opts, duration });
  return {
    name,
    products,
    rps: r.requests.mean,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
  };
}

const direct = await measure('(a) upstream directly', upstream.platformId);
const hop = await measure('(b) through a link, in process', inProcess);
const http = await measure('(c) through a link, over loopback HTTP', overHttp);
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      connections,
      duration,
      results: [direct, hop, http],
      ratios: {
        inProcessRps: +(hop.rps / direct.rps).toFixed(2),
        overHttpRps: +(http.rps / direct.rps).toFixed(2),
      },
    },
    null,
    2,
  ),
);
await ix.app.close();
await ix.services.close();
await ix.database.close();
await seller.app.close();
process.exit(0);
