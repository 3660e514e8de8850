import { startSdkSeller, type SdkSeller } from '../../../test/fixtures/sdk-seller.js';
import type { Server, Target } from '../server.js';
import { restCaller, storyboardBuyerKey } from '../targets.js';

/**
 * The storefront-over-source pairs of the conformance matrix (matrix/main.ts), each set up as a
 * publisher and the operator set one up through the REST API (as targets.ts sets up the
 * compliance storefronts), with a way to read what reached the source by the source's own record.
 */
export const pairKinds = ['sdk-non-guaranteed', 'sdk-guaranteed', 'spreadsheet'] as const;
export type PairKind = (typeof pairKinds)[number];

/** What reached a source, by its own record. */
export interface SourceRecord {
  /** Orders (buys) the source holds. */
  buys: number;
  /** Line items (packages) the source holds. */
  packages: number;
}

export interface Pair {
  kind: PairKind;
  /** The storefront's MCP endpoint and the storyboard buyer's (sandbox) key. */
  target: Target;
  /** The storefront's own record of its buys: how many went to each source id. */
  storefrontBuys(): Promise<Record<string, number>>;
  /** The source's own record (its mock's traffic, its ledger). */
  sourceRecord(): Promise<SourceRecord>;
  close(): Promise<void>;
}

const sources = '/api/v2/storefront/inventory-sources';
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/**
 * A spreadsheet's avails: one display line, one video line, one audio line, each ample for a
 * storyboard's budgets, so a storyboard that buys from the source's own catalogue can.
 */
const spreadsheetCsv = [
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain',
  `display,Homepage display,homepage,display,${day(-1)},${day(120)},50000000,12,USD,display_300x250,acmeoutdoor.example`,
  `video,Pre-roll video,video,olv,${day(-1)},${day(120)},20000000,25,USD,video_standard_30s,acmeoutdoor.example`,
].join('\n');

/** A SELLER with a key, terms accepted, and an auto-approving storefront; answers the key. */
async function seller(server: Server, name: string) {
  const call = restCaller(server);
  const customer = await call('POST', '/api/v2/admin/customers', server.adminKey, {
    name,
    customerRole: 'SELLER',
    customerDomain: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example`,
  });
  const key = (
    await call(
      'POST',
      `/api/v2/admin/customers/${String(customer['id'])}/api-keys`,
      server.adminKey,
    )
  )['key'] as string;
  await call('POST', '/api/v2/accounts/terms/accept', key);
  const storefront = await call('PUT', '/api/v2/storefront', key, {
    name,
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
    creativeApproval: 'auto',
  });
  return { key, storefront, call };
}

/** Activates and lists the storefront; answers its MCP target for the storyboard buyer. */
async function opened(server: Server, key: string, storefront: Record<string, unknown>) {
  const call = restCaller(server);
  await call('POST', '/api/v2/storefront/activate', key);
  await call(
    'POST',
    `/api/v2/admin/storefronts/${String(storefront['id'])}/marketplace`,
    server.adminKey,
    {
      action: 'list',
    },
  );
  const platformId = storefront['platformId'] as string;
  return {
    url: `${server.baseUrl}/adcp/storefront-${platformId}/mcp`,
    auth: await storyboardBuyerKey(server),
  };
}

/** The storefront's buys, counted by the source each leg went to (its sandbox book `~sandbox`). */
function buysBySource(server: Server, key: string) {
  return async () => {
    const data = await restCaller(server)('GET', '/api/v2/storefront/media-buys?take=200', key);
    const counts: Record<string, number> = {};
    for (const buy of data['items'] as { sources: { sourceId: string }[] }[]) {
      for (const leg of buy.sources) counts[leg.sourceId] = (counts[leg.sourceId] ?? 0) + 1;
    }
    return counts;
  };
}

/** Orders and line items the SDK example seller's mock platform took (its traffic counter). */
async function mockOrders(sdk: SdkSeller): Promise<SourceRecord> {
  const response = await fetch(`${sdk.upstream.url}/_debug/traffic`);
  const { traffic } = (await response.json()) as { traffic: Record<string, number> };
  return {
    buys: traffic['POST /v1/orders'] ?? 0,
    packages: traffic['POST /v1/orders/{id}/lineitems'] ?? 0,
  };
}

async function agentPair(
  server: Server,
  kind: 'sdk-non-guaranteed' | 'sdk-guaranteed',
): Promise<Pair> {
  const sdk = await startSdkSeller(
    kind === 'sdk-guaranteed' ? 'guaranteed' : 'non-guaranteed',
    120_000,
  );
  try {
    const { key, storefront, call } = await seller(server, `Matrix ${kind}`);
    await call('POST', `${sources}`, key, {
      name: `SDK example seller (${kind})`,
      sourceId: 'sdk',
      endpointUrl: sdk.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: sdk.token },
    });
    await call('PUT', `${sources}/sdk`, key, { status: 'ACTIVE' });
    return {
      kind,
      target: await opened(server, key, storefront),
      storefrontBuys: buysBySource(server, key),
      sourceRecord: () => mockOrders(sdk),
      close: () => sdk.close(),
    };
  } catch (error) {
    await sdk.close();
    throw error;
  }
}

async function spreadsheetPair(server: Server): Promise<Pair> {
  const { key, storefront, call } = await seller(server, 'Matrix spreadsheet');
  const created = await call('POST', `${sources}/modular/feed`, key, {
    name: 'Avails spreadsheet',
    sourceId: 'avails',
  });
  const sourceId = created['sourceId'] as string;
  const preview = await call('POST', `${sources}/${sourceId}/feed/preview`, key, {
    contractId: 'static-avails-feed:v1',
    csvText: spreadsheetCsv,
  });
  await call('POST', `${sources}/${sourceId}/feed/commit`, key, {
    feedId: preview['feedId'],
    previewBaseline: preview['previewBaseline'],
    revision: preview['revision'],
  });
  return {
    kind: 'spreadsheet',
    target: await opened(server, key, storefront),
    storefrontBuys: buysBySource(server, key),
    sourceRecord: async () => {
      const ledger = await call('GET', `${sources}/${sourceId}/modular/ledger`, key);
      const bookings = ledger['bookings'] as { mediaBuyId?: string }[];
      return { buys: new Set(bookings.map((b) => b.mediaBuyId)).size, packages: bookings.length };
    },
    close: async () => undefined,
  };
}

export function startPair(server: Server, kind: PairKind): Promise<Pair> {
  return kind === 'spreadsheet' ? spreadsheetPair(server) : agentPair(server, kind);
}
