import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';
import { timeStorefrontGetProducts } from './storefront-timing.js';

/**
 * Modular sources: get_products over MCP on a storefront whose modular source has 10,000 active
 * avails, against the same storefront shape over an agent source (the demo seller, 30 products),
 * in one run (moved out of modular-feeds.ts, which now runs the server in its own process).
 *
 *   npx tsx bench/modular-products.ts [--avails 10000] [--calls 100]
 */
const { values: args } = parseArgs({
  options: {
    avails: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '100' },
  },
});
const availCount = Number(args.avails);
const calls = Number(args.calls);

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${(5 + (i % 40)).toFixed(2)},USD,display_300x250,news.example`;

const app = await startBenchApp();
const seller = await startDemoSeller();
try {
  // get_products: a modular storefront with `availCount` avails against an agent storefront.
  const storefrontOf = async (
    name: string,
    source: (s: Awaited<ReturnType<typeof benchCustomer>>) => Promise<void>,
  ) => {
    const owner = await benchCustomer(app, 'SELLER', name);
    const sf = await owner.call('PUT', '/api/v2/storefront', {
      defaultCurrency: 'USD',
      mediaBuyApproval: 'auto',
    });
    await source(owner);
    await owner.call('POST', '/api/v2/storefront/activate');
    await app.services.storefronts.setMarketplace(sf.data['id'] as number, 'list');
    return sf.data['platformId'] as string;
  };
  const modularId = await storefrontOf('Bench modular', async (owner) => {
    await owner.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
      name: 'Avails',
      sourceId: 'avails',
    });
    await owner.call('POST', '/api/v2/storefront/inventory-sources/avails/feed/push', {
      contractId: 'static-avails-feed:v1',
      csvText: [header, ...Array.from({ length: availCount }, (_, i) => line(i))].join('\n'),
    });
  });
  const agentId = await storefrontOf('Bench agent', async (owner) => {
    await owner.call('POST', '/api/v2/storefront/inventory-sources', {
      name: 'Demo',
      sourceId: 'demo',
      endpointUrl: seller.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await owner.call('PUT', '/api/v2/storefront/inventory-sources/demo', { status: 'ACTIVE' });
  });
  const buyer = await benchCustomer(app, 'BUYER', 'Bench agency');
  const timing = (platformId: string) =>
    timeStorefrontGetProducts({
      base: app.base,
      buyerKey: buyer.key,
      platformId,
      brief: 'section week display',
      calls,
    });
  const modular = await timing(modularId);
  const agent = await timing(agentId);
  console.log(
    JSON.stringify(
      {
        getProducts: {
          calls,
          modularSource: { avails: availCount, ...modular },
          agentSource: agent,
          p50Ratio: Number((modular.p50Ms / agent.p50Ms).toFixed(2)),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await seller.app.close();
  await app.app.close();
  await app.services.close();
  await app.database.close();
}
