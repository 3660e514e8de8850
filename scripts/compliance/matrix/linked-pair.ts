import type { Server } from '../server.js';
import type { Pair } from './pairs.js';
import {
  agentUrlOf,
  buysBySource,
  buysOf,
  opened,
  seller,
  sourcesApi,
  spreadsheetSource,
} from './setup.js';

/**
 * A linked storefront (docs/federation.md): a storefront whose only source is another storefront
 * of the same instance (`LINKED_STOREFRONT`), itself over a spreadsheet source. The upstream is
 * an AdCP agent with its own comply_test_controller, so the downstream routes the storyboards'
 * seeds to it (seed-route.ts): what the upstream then books, on its spreadsheet or on its own
 * sandbox book, is the source's own record. Set up as the two sellers would: the downstream
 * adds the source with its organisation's key and asks for the link; the upstream approves it.
 */
export async function linkedPair(server: Server): Promise<Pair> {
  const up = await seller(server, 'Matrix upstream');
  await spreadsheetSource(up.call, up.key);
  await opened(server, up.key, up.storefront);
  const down = await seller(server, 'Matrix linked');
  const call = down.call;
  await call('POST', sourcesApi, down.key, {
    name: 'Upstream storefront',
    sourceId: 'linked',
    executionType: 'LINKED_STOREFRONT',
    endpointUrl: agentUrlOf(server, up.storefront),
    protocol: 'MCP',
    authenticationType: 'API_KEY',
    auth: { type: 'bearer', token: down.key },
  });
  await call('PUT', `${sourcesApi}/linked`, down.key, { status: 'ACTIVE' });
  const asked = await call('POST', '/api/v2/buyer/storefront-links', down.key, {
    platformId: up.storefront['platformId'],
    downstream: { agentUrl: agentUrlOf(server, down.storefront), name: 'Matrix linked' },
  });
  await call('POST', `/api/v2/storefront/link-requests/${String(asked['id'])}/approve`, up.key);
  return {
    kind: 'linked-storefront',
    target: await opened(server, down.key, down.storefront),
    storefrontBuys: buysBySource(server, down.key),
    // The upstream's own record: every buy it holds for the downstream's buyers, and of those,
    // the ones its own sandbox book answered (fixtures seeded there through the link).
    sourceRecord: async () => {
      const buys = await buysOf(server, up.key);
      const legs = buys.flatMap((buy) => buy.sources);
      return {
        buys: buys.length,
        packages: legs.length,
        onOwnBook: legs.filter((leg) => leg.sourceId === '~sandbox').length,
      };
    },
    close: async () => undefined,
  };
}
