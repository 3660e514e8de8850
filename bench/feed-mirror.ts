import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp } from './bench-app.js';

/**
 * get_products through a storefront over a feed-publishing source against the buyer calling that
 * source directly, in one run (issue 49 item 6). The source is an upstream storefront (it
 * publishes `wholesale_feed_version`) over a spreadsheet of `--avails` avails, reached over
 * loopback HTTP through the upstream client, as a storefront of another Interchange is (the
 * downstream names it by `localhost`, not this instance's own origin):
 *
 *   (a) the buyer asks the upstream's agent directly (a brief: it ranks its avails and answers);
 *   (b) the buyer asks a downstream storefront selling the upstream through an approved link; the
 *       downstream keeps the upstream's wholesale set and asks it only `if_wholesale_feed_version`
 *       per brief, matching the brief over its mirror.
 *
 * After the measurement the upstream seller changes a price and the downstream is asked at once:
 * `freshAfterChange` says whether the answer carried it (the mirror is never older than the
 * source's last version signal).
 *
 *   npx tsx bench/feed-mirror.ts [--avails 100] [--duration 10] [--warmup 2] [--connections 4]
 *
 * autocannon runs in the same process as Interchange: the ratio, not the absolute req/s, is the
 * figure to read.
 */
const { values: args } = parseArgs({
  options: {
    avails: { type: 'string', default: '100' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
    brief: { type: 'string', default: 'section week display' },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);

const ix = await startBenchApp({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '0' });
ix.services.trustOwnOrigin(ix.base);
const agentPath = (platformId: string) => `/adcp/storefront-${platformId}/mcp`;

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number, cpm = 5 + (i % 40)) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${cpm.toFixed(2)},USD,display_300x250,news.example`;
const csvOf = (firstCpm?: number) =>
  [
    header,
    ...Array.from({ length: Number(args.avails) }, (_, i) =>
      line(i, i === 0 ? firstCpm : undefined),
    ),
  ].join('\n');

const upstream = await benchCustomer(ix, 'SELLER', 'Upstream');
const upSf = (await upstream.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' })).data;
await upstream.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
  name: 'Avails',
  sourceId: 'avails',
});
async function commit(csvText: string) {
  const preview = (
    await upstream.call('POST', '/api/v2/storefront/inventory-sources/avails/feed/preview', {
      contractId: 'static-avails-feed:v1',
      csvText,
    })
  ).data;
  await upstream.call('POST', '/api/v2/storefront/inventory-sources/avails/feed/commit', {
    feedId: preview['feedId'],
    previewBaseline: preview['previewBaseline'],
    revision: preview['revision'],
  });
}
await commit(csvOf());
await upstream.call('POST', '/api/v2/storefront/activate');
await ix.services.storefronts.setMarketplace(upSf['id'] as number, 'list');
const upPlatform = upSf['platformId'] as string;

const downstream = await benchCustomer(ix, 'SELLER', 'Downstream');
const downSf = (await downstream.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' }))
  .data;
const downPlatform = downSf['platformId'] as string;
const link = await downstream.call('POST', '/api/v2/buyer/storefront-links', {
  platformId: upPlatform,
  downstream: { agentUrl: `${ix.base}${agentPath(downPlatform)}`, name: 'Downstream' },
});
await upstream.call(
  'POST',
  `/api/v2/storefront/link-requests/${link.data['id'] as string}/approve`,
);
await downstream.call('POST', '/api/v2/storefront/inventory-sources', {
  name: 'Upstream',
  sourceId: 'up',
  executionType: 'LINKED_STOREFRONT',
  endpointUrl: `${ix.base.replace('127.0.0.1', 'localhost')}${agentPath(upPlatform)}`,
  protocol: 'MCP',
  authenticationType: 'API_KEY',
  auth: { type: 'bearer', token: downstream.key },
});
await downstream.call('PUT', '/api/v2/storefront/inventory-sources/up', { status: 'ACTIVE' });
await downstream.call('POST', '/api/v2/storefront/activate');
await ix.services.storefronts.setMarketplace(downSf['id'] as number, 'list');
const buyer = await benchCustomer(ix, 'BUYER', 'Bench buyer');

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: 'get_products',
    arguments: { buying_mode: 'brief', brief: args.brief, brand: { domain: 'brand.example' } },
  },
});
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${buyer.key}`,
};
type Answer = {
  result?: {
    structuredContent?: {
      products?: Array<{ product_id: string; pricing_options: Array<{ fixed_price?: number }> }>;
      errors?: unknown[];
    };
  };
};
const ask = async (platformId: string) =>
  (
    (await (
      await fetch(`${ix.base}${agentPath(platformId)}`, { method: 'POST', headers, body })
    ).json()) as Answer
  ).result?.structuredContent;

async function measure(name: string, platformId: string) {
  const answer = await ask(platformId);
  const opts = {
    url: `${ix.base}${agentPath(platformId)}`,
    method: 'POST' as const,
    headers,
    body,
    connections,
  };
  await autocannon({ ...opts, duration: warmup });
  const r = await autocannon({ ...opts, duration });
  return {
    name,
    products: answer?.products?.length ?? -1,
    errors: answer?.errors?.length ?? 0,
    rps: r.requests.mean,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
  };
}

const direct = await measure('(a) the source (upstream storefront) directly', upPlatform);
const mirrored = await measure('(b) through a storefront mirroring it', downPlatform);

// Freshness: the upstream's first avail gets a new price; the downstream's next answer has it.
await commit(csvOf(77));
const after = await ask(downPlatform);
const first = after?.products?.find((p) => p.product_id.endsWith('av-0'));
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      avails: Number(args.avails),
      connections,
      duration,
      results: [direct, mirrored],
      ratio: +(mirrored.rps / direct.rps).toFixed(2),
      freshAfterChange: first
        ? first.pricing_options[0]?.fixed_price === 77
        : 'av-0 not in the answer',
    },
    null,
    2,
  ),
);
await ix.app.close();
await ix.services.close();
await ix.database.close();
process.exit(0);
