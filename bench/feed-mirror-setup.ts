import { type RecordingProxy, startRecordingProxy } from '../test/fakes/recording-proxy.js';
import { benchCustomer, type startBenchApp } from './bench-app.js';

/**
 * The parties of bench/feed-mirror.ts on one Interchange: upstream storefronts that publish
 * wholesale feed versions (each over a spreadsheet of avails), and downstream storefronts each
 * selling some of them through approved links, reached through counting proxies on other origins
 * (as a storefront of another Interchange is).
 */
type Ix = Awaited<ReturnType<typeof startBenchApp>>;

export const agentPath = (platformId: string) => `/adcp/storefront-${platformId}/mcp`;

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number, cpm = 5 + (i % 40)) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${cpm.toFixed(2)},USD,display_300x250,news.example`;

/** A spreadsheet of `avails` avails; `firstCpm` re-prices the first. */
export const csvOf = (avails: number, firstCpm?: number) =>
  [
    header,
    ...Array.from({ length: avails }, (_, i) => line(i, i === 0 ? firstCpm : undefined)),
  ].join('\n');

export interface Upstream {
  platformId: string;
  /** Commits a new spreadsheet to its one source (a price change, say). */
  commit(csvText: string): Promise<void>;
  /** Approves a downstream's link request, as its seller does. */
  approve(linkId: string): Promise<void>;
}

/** A listed storefront over a spreadsheet source of `avails` avails. */
export async function startUpstream(ix: Ix, name: string, avails: number): Promise<Upstream> {
  const seller = await benchCustomer(ix, 'SELLER', name);
  const sf = (await seller.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' })).data;
  await seller.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
    name: 'Avails',
    sourceId: 'avails',
  });
  async function commit(csvText: string) {
    const feed = '/api/v2/storefront/inventory-sources/avails/feed';
    const preview = (
      await seller.call('POST', `${feed}/preview`, { contractId: 'static-avails-feed:v1', csvText })
    ).data;
    await seller.call('POST', `${feed}/commit`, {
      feedId: preview['feedId'],
      previewBaseline: preview['previewBaseline'],
      revision: preview['revision'],
    });
  }
  await commit(csvOf(avails));
  await seller.call('POST', '/api/v2/storefront/activate');
  await ix.services.storefronts.setMarketplace(sf['id'] as number, 'list');
  const approve = async (linkId: string) => {
    await seller.call('POST', `/api/v2/storefront/link-requests/${linkId}/approve`);
  };
  return { platformId: sf['platformId'] as string, commit, approve };
}

/**
 * A listed storefront selling `upstreams` through approved links, each reached through a
 * recording proxy on `localhost` (not this instance's own origin): every call is a real MCP call
 * over loopback HTTP, counted.
 */
export async function startDownstream(ix: Ix, name: string, upstreams: readonly Upstream[]) {
  const seller = await benchCustomer(ix, 'SELLER', name);
  const sf = (await seller.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' })).data;
  const platformId = sf['platformId'] as string;
  const proxies: RecordingProxy[] = [];
  for (const [i, upstream] of upstreams.entries()) {
    const link = await seller.call('POST', '/api/v2/buyer/storefront-links', {
      platformId: upstream.platformId,
      downstream: { agentUrl: `${ix.base}${agentPath(platformId)}`, name },
    });
    await upstream.approve(link.data['id'] as string);
    const proxy = await startRecordingProxy(
      `${ix.base.replace('127.0.0.1', 'localhost')}${agentPath(upstream.platformId)}`,
    );
    proxies.push(proxy);
    await seller.call('POST', '/api/v2/storefront/inventory-sources', {
      name: `Upstream ${i + 1}`,
      sourceId: `up-${i + 1}`,
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: proxy.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: seller.key },
    });
    await seller.call('PUT', `/api/v2/storefront/inventory-sources/up-${i + 1}`, {
      status: 'ACTIVE',
    });
  }
  await seller.call('POST', '/api/v2/storefront/activate');
  await ix.services.storefronts.setMarketplace(sf['id'] as number, 'list');
  return {
    platformId,
    proxies,
    /** get_products calls its upstreams received so far. */
    upstreamCalls: () =>
      proxies.reduce((n, p) => n + p.calls().filter((c) => c.tool === 'get_products').length, 0),
  };
}
