import { startFakeFreeWheel } from '../../../src/sandbox/fakes/freewheel/server.js';
import { startFakeSpringServe } from '../../../src/sandbox/fakes/springserve/server.js';
import { approveWaiting, settledSync } from './gam-pair.js';
import type { Boot, Pair, SourceRecord } from './pairs.js';
import { buysBySource, opened, seller, sourcesApi } from './setup.js';

/**
 * The sandbox FreeWheel and the sandbox SpringServe, as gam-pair.ts sets up the sandbox Ad
 * Manager: a storefront whose only source is the video ad server, its fake
 * (src/sandbox/fakes/freewheel/, src/sandbox/fakes/springserve/: their REST APIs on a real
 * socket) connected as a publisher connects one (docs/ad-servers.md), with the publisher's own
 * products over the fake's homepage (501, online video) and sports (502) inventory, and the
 * operator approving every buy waiting in the storefront's queue. The source's own record:
 * FreeWheel's insertion orders (buys) and placements (packages); SpringServe's campaigns (buys)
 * and line-item demand tags (packages); Interchange's only, the sandbox buys' never booked or
 * activated there.
 */

/** The publisher's products over either fake's inventory (501 homepage, 502 sports). */
const products = [
  {
    productId: 'homepage_preroll',
    name: 'Homepage preroll',
    description: 'Preroll video on the homepage',
    placementIds: ['501'],
    cpm: 18,
  },
  {
    productId: 'sports_preroll',
    name: 'Sports preroll',
    description: 'Preroll video in the sports section, sports viewers',
    placementIds: ['502'],
    cpm: 24,
  },
];

const publisher = {
  publisherDomain: 'sportsnews.example',
  environment: 'production',
  products,
};

interface VideoServer {
  env: Record<string, string>;
  sourceId: string;
  config: Record<string, unknown>;
  record(): SourceRecord;
  close(): Promise<void>;
}

async function videoPair(kind: Pair['kind'], fake: VideoServer, boot: Boot): Promise<Pair> {
  let approver: NodeJS.Timeout | undefined;
  try {
    const server = await boot(fake.env);
    const { key, storefront, call } = await seller(server, `Matrix ${kind}`);
    await call('PUT', `${sourcesApi}/${fake.sourceId}/ad-server`, key, fake.config);
    await settledSync(call, key, fake.sourceId);
    const target = await opened(server, key, storefront);
    const approved = new Set<string>();
    approver = setInterval(() => void approveWaiting(call, key, approved), 1_000);
    return {
      kind,
      target,
      storefrontBuys: buysBySource(server, key),
      sourceRecord: async () => ({ ...fake.record(), approved: approved.size }),
      close: async () => {
        clearInterval(approver);
        await fake.close();
      },
    };
  } catch (error) {
    clearInterval(approver);
    await fake.close();
    throw error;
  }
}

const ours = (o: Record<string, unknown>) => String(o['name']).startsWith('Interchange');

export async function freewheelPair(boot: Boot): Promise<Pair> {
  const fw = await startFakeFreeWheel({ siteSections: 12 });
  return videoPair(
    'freewheel',
    {
      env: {
        INTERCHANGE_FREEWHEEL_URL: fw.url,
        INTERCHANGE_FREEWHEEL_STAGING_URL: `${fw.url}/staging-is-not-used`,
      },
      sourceId: 'freewheel',
      config: {
        type: 'freewheel',
        clientId: 'interchange-client',
        clientSecret: 'fw-client-secret',
        executionCurrency: 'USD',
        name: 'Our FreeWheel',
        ...publisher,
      },
      record: () => {
        const orders = [...fw.network.insertionOrders.values()].filter(ours);
        const ids = new Set(orders.map((o) => Number(o['id'])));
        const lines = [...fw.network.placements.values()].filter((p) =>
          ids.has(Number(p['insertion_order_id'])),
        );
        return { buys: orders.length, packages: lines.length };
      },
      close: () => fw.close(),
    },
    boot,
  );
}

export async function springservePair(boot: Boot): Promise<Pair> {
  const ss = await startFakeSpringServe({ supplyTags: 12 });
  return videoPair(
    'springserve',
    {
      env: { INTERCHANGE_SPRINGSERVE_URL: ss.url },
      sourceId: 'springserve',
      config: {
        type: 'springserve',
        email: 'ops+api@sportsnews.example',
        password: 'correct horse battery',
        rateCurrency: 'USD',
        name: 'Our SpringServe',
        ...publisher,
      },
      record: () => {
        const campaigns = [...ss.account.campaigns.values()].filter(ours);
        const tags = campaigns.flatMap((c) => (c['demand_tag_ids'] as number[] | undefined) ?? []);
        return { buys: campaigns.length, packages: tags.length };
      },
      close: () => ss.close(),
    },
    boot,
  );
}
