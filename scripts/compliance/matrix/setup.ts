import type { Server, Target } from '../server.js';
import { restCaller, storyboardBuyerKey } from '../targets.js';

/**
 * What every pair of the conformance matrix (pairs.ts) is set up with, through the admin and
 * seller REST API as a publisher and the operator would: a seller and its storefront, opened and
 * listed; the storefront's own record of its buys.
 */

export const sourcesApi = '/api/v2/storefront/inventory-sources';
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/** A REST caller bound to `server`, answering `data`. */
export type Call = ReturnType<typeof restCaller>;

/**
 * A spreadsheet's avails: one display line, one video line, each ample for a storyboard's
 * budgets, so a storyboard that buys from the source's own catalogue can.
 */
const spreadsheetCsv = [
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain',
  `display,Homepage display,homepage,display,${day(-1)},${day(120)},50000000,12,USD,display_300x250,acmeoutdoor.example`,
  `video,Pre-roll video,video,olv,${day(-1)},${day(120)},20000000,25,USD,video_standard_30s,acmeoutdoor.example`,
].join('\n');

/** A SELLER with a key, terms accepted, and a storefront (auto approval unless told). */
export async function seller(server: Server, name: string, settings: Record<string, unknown> = {}) {
  const call = restCaller(server);
  const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example`;
  const customer = await call('POST', '/api/v2/admin/customers', server.adminKey, {
    name,
    customerRole: 'SELLER',
    customerDomain: domain,
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
    ...settings,
  });
  return { key, storefront, call, domain };
}

/** The storefront's MCP URL. */
export const agentUrlOf = (server: Server, storefront: Record<string, unknown>) =>
  `${server.baseUrl}/adcp/storefront-${String(storefront['platformId'])}/mcp`;

/** Activates and lists the storefront; answers its MCP target for the storyboard buyer. */
export async function opened(
  server: Server,
  key: string,
  storefront: Record<string, unknown>,
): Promise<Target> {
  const call = restCaller(server);
  await call('POST', '/api/v2/storefront/activate', key);
  await call(
    'POST',
    `/api/v2/admin/storefronts/${String(storefront['id'])}/marketplace`,
    server.adminKey,
    { action: 'list' },
  );
  return { url: agentUrlOf(server, storefront), auth: await storyboardBuyerKey(server) };
}

interface BuyRecord {
  sources: { sourceId: string }[];
}

/** The storefront's own record of its buys (seller analytics), newest 200. */
export async function buysOf(server: Server, key: string): Promise<BuyRecord[]> {
  const data = await restCaller(server)('GET', '/api/v2/storefront/media-buys?take=200', key);
  return data['items'] as BuyRecord[];
}

/** The storefront's buys, counted by the source each leg went to (its sandbox book `~sandbox`). */
export function buysBySource(server: Server, key: string) {
  return async () => {
    const counts: Record<string, number> = {};
    for (const buy of await buysOf(server, key)) {
      for (const leg of buy.sources) counts[leg.sourceId] = (counts[leg.sourceId] ?? 0) + 1;
    }
    return counts;
  };
}

/** A spreadsheet (modular feed) source `avails` on the seller's storefront, its avails committed. */
export async function spreadsheetSource(call: Call, key: string): Promise<string> {
  const created = await call('POST', `${sourcesApi}/modular/feed`, key, {
    name: 'Avails spreadsheet',
    sourceId: 'avails',
  });
  const sourceId = created['sourceId'] as string;
  const preview = await call('POST', `${sourcesApi}/${sourceId}/feed/preview`, key, {
    contractId: 'static-avails-feed:v1',
    csvText: spreadsheetCsv,
  });
  await call('POST', `${sourcesApi}/${sourceId}/feed/commit`, key, {
    feedId: preview['feedId'],
    previewBaseline: preview['previewBaseline'],
    revision: preview['revision'],
  });
  return sourceId;
}

/** The spreadsheet's own record: its ledger's bookings (buys, packages). */
export async function ledgerRecord(call: Call, key: string, sourceId: string) {
  const ledger = await call('GET', `${sourcesApi}/${sourceId}/modular/ledger`, key);
  const bookings = ledger['bookings'] as { mediaBuyId?: string }[];
  return { buys: new Set(bookings.map((b) => b.mediaBuyId)).size, packages: bookings.length };
}
