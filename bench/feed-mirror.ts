import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { startRecordingProxy } from '../test/fakes/recording-proxy.js';
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
 *       downstream keeps the upstream's wholesale set, subscribes to its feed webhooks
 *       (sync_accounts) and, while no signal arrived, answers briefs from its mirror without
 *       asking the upstream (otherwise it asks `if_wholesale_feed_version`). The upstream is
 *       reached through a counting proxy: `upstreamCallsPerBrief` is its get_products calls
 *       during (b) over (b)'s briefs.
 *
 * After the measurement the upstream seller changes a price: `freshAtOnce` says whether the
 * downstream's very next answer carried it, `signalMs` how long the upstream's signed webhook
 * took to reach the downstream, `freshAfterSignal` whether the answer after it carried it (the
 * mirror is never older than the source's last version signal).
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
// The upstream's feed webhooks are sent from the job queue.
await ix.services.jobs.start();
ix.services.feedWebhooks.start();
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
// Another Interchange, as the downstream sees it: another origin, every call counted.
const proxy = await startRecordingProxy(
  `${ix.base.replace('127.0.0.1', 'localhost')}${agentPath(upPlatform)}`,
);
await downstream.call('POST', '/api/v2/storefront/inventory-sources', {
  name: 'Upstream',
  sourceId: 'up',
  executionType: 'LINKED_STOREFRONT',
  endpointUrl: proxy.url,
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
  const warm = await autocannon({ ...opts, duration: warmup });
  const r = await autocannon({ ...opts, duration });
  return {
    name,
    products: answer?.products?.length ?? -1,
    errors: answer?.errors?.length ?? 0,
    rps: r.requests.mean,
    /** Every brief sent, warm-up included. */
    requests: warm.requests.total + r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
  };
}

const signals = async () =>
  (
    await ix.database.queryable.query(
      `select coalesce(sum(signal_seq), 0)::int as seq, count(*) filter (where status = 'active')::int as active from feed_mirror_subscriptions`,
    )
  ).rows[0] as { seq: number; active: number };
async function until(what: string, done: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const direct = await measure('(a) the source (upstream storefront) directly', upPlatform);
// The downstream's first brief fills its mirror and subscribes; the next confirms the set.
await ask(downPlatform);
await until('confirmed subscription', async () => (await signals()).active > 0);
await ask(downPlatform);
const asked = proxy.calls().filter((c) => c.tool === 'get_products').length;
const mirrored = await measure('(b) through a storefront mirroring it', downPlatform);
const upstreamCalls = proxy.calls().filter((c) => c.tool === 'get_products').length - asked;

// Freshness: the upstream's first avail gets a new price; its webhook reaches the downstream.
const priceOfFirst = (answer: Awaited<ReturnType<typeof ask>>) => {
  const first = answer?.products?.find((p) => p.product_id.endsWith('av-0'));
  return first ? first.pricing_options[0]?.fixed_price : 'av-0 not in the answer';
};
const seqBefore = (await signals()).seq;
await commit(csvOf(77));
const changedAt = performance.now();
const atOnce = priceOfFirst(await ask(downPlatform));
await until('signal', async () => (await signals()).seq > seqBefore);
const signalMs = Math.round(performance.now() - changedAt);
const afterSignal = priceOfFirst(await ask(downPlatform));
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      avails: Number(args.avails),
      connections,
      duration,
      results: [direct, mirrored],
      ratio: +(mirrored.rps / direct.rps).toFixed(2),
      upstreamCallsPerBrief: +(upstreamCalls / Math.max(1, mirrored.requests)).toFixed(4),
      freshAtOnce: atOnce === 77,
      signalMs,
      freshAfterSignal: afterSignal === 77 || afterSignal,
    },
    null,
    2,
  ),
);
await proxy.close();
await ix.app.close();
await ix.services.close();
await ix.database.close();
process.exit(0);
