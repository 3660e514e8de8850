import { parseArgs } from 'node:util';
import { editAdUnits } from '../src/sandbox/fakes/gam/changes.js';
import { firstAdUnitId } from '../src/sandbox/fakes/gam/network.js';
import { startFakeGam } from '../src/sandbox/fakes/gam/server.js';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';
import { timeStorefrontGetProducts } from './storefront-timing.js';

/**
 * Ad-server sources (issue 35), in one run:
 * 1. inventory sync throughput from the fake Ad Manager (a real loopback socket, in this process)
 *    of a network of 100,000 ad units and 10,000 placements: the first (full) run, then an
 *    incremental run after 1% of the ad units changed, then a full run on request (an upsert of
 *    everything already synced): objects/s and the process's peak RSS during each;
 * 2. get_products over MCP on a storefront whose ad-server source offers 10,000 synced products
 *    (one per active placement), against a storefront over an agent source (the demo seller).
 *
 *   npx tsx bench/adserver-sync.ts [--ad-units 100000] [--placements 10000] [--calls 100]
 */
const { values: args } = parseArgs({
  options: {
    'ad-units': { type: 'string', default: '100000' },
    placements: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '100' },
  },
});
const adUnitCount = Number(args['ad-units']);
const placementCount = Number(args.placements);
const calls = Number(args.calls);
const networkCode = '21790001';
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

const gam = await startFakeGam();
const network = gam.addNetwork(networkCode, adUnitCount);
for (let i = 0; i < placementCount; i++) {
  network.placements.push({
    id: 600_000 + i,
    name: `Section ${i % 97} placement ${i}`,
    description: `Placement ${i} of the bench network`,
    status: 'ACTIVE',
    targetedAdUnitIds: [firstAdUnitId + (i % adUnitCount)],
  });
}
const app = await startBenchApp({
  INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
  INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  INTERCHANGE_AD_SERVER_SYNC_INTERVAL_SECONDS: '0',
});
await app.services.jobs.start();
const seller = await startDemoSeller();

try {
  const owner = await benchCustomer(app, 'SELLER', 'Bench publisher');
  const sf = await owner.call('PUT', '/api/v2/storefront', {
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
  });

  /** Waits for the source's newest run to settle, sampling RSS meanwhile; answers the run and figures. */
  const measured = async (start: () => Promise<unknown>) => {
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const began = process.hrtime.bigint();
    await start();
    let run: Record<string, unknown> | undefined;
    for (;;) {
      const history = await owner.call(
        'GET',
        '/api/v2/storefront/inventory-sources/gam/sync-history?limit=1',
      );
      run = (history.data['runs'] as Array<Record<string, unknown>>)[0];
      if (run && run['status'] !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    clearInterval(sampler);
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const objects = run['itemsProcessed'] as number;
    return {
      mode: run['syncMode'],
      status: run['status'],
      objects,
      counts: run['itemCounts'],
      seconds: Number(seconds.toFixed(2)),
      objectsPerSec: Math.round(objects / seconds),
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peak),
      fakeCalls: gam.calls.length,
    };
  };

  const first = await measured(() =>
    owner.call('PUT', '/api/v2/storefront/inventory-sources/gam/ad-server', {
      type: 'google_ad_manager',
      networkCode,
      publisherDomain: 'bench-news.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      rateCard: { defaultCpm: 10, currency: 'USD' },
    }),
  );
  const changed = Math.round(adUnitCount / 100);
  editAdUnits(
    network,
    Array.from({ length: changed }, (_, i) => i * 100),
    { name: 'Renamed in the bench' },
  );
  const callsBefore = gam.calls.length;
  const incremental = await measured(() =>
    owner.call('POST', '/api/v2/storefront/inventory-sources/gam/refresh'),
  );
  incremental.fakeCalls -= callsBefore;
  const fullBefore = gam.calls.length;
  const full = await measured(() =>
    owner.call('POST', '/api/v2/storefront/inventory-sources/gam/refresh?full=true'),
  );
  full.fakeCalls -= fullBefore;

  // get_products: the ad-server storefront against an agent storefront.
  await owner.call('POST', '/api/v2/storefront/activate');
  await app.services.storefronts.setMarketplace(sf.data['id'] as number, 'list');
  const agentOwner = await benchCustomer(app, 'SELLER', 'Bench agent');
  const agentSf = await agentOwner.call('PUT', '/api/v2/storefront', {
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
  });
  await agentOwner.call('POST', '/api/v2/storefront/inventory-sources', {
    name: 'Demo',
    sourceId: 'demo',
    endpointUrl: seller.url,
    protocol: 'MCP',
    authenticationType: 'NO_AUTH',
  });
  await agentOwner.call('PUT', '/api/v2/storefront/inventory-sources/demo', { status: 'ACTIVE' });
  await agentOwner.call('POST', '/api/v2/storefront/activate');
  await app.services.storefronts.setMarketplace(agentSf.data['id'] as number, 'list');

  const buyer = await benchCustomer(app, 'BUYER', 'Bench agency');
  const timing = (platformId: string) =>
    timeStorefrontGetProducts({
      base: app.base,
      buyerKey: buyer.key,
      platformId,
      brief: 'section placement display',
      calls,
    });
  const adServer = await timing(sf.data['platformId'] as string);
  const agent = await timing(agentSf.data['platformId'] as string);

  console.log(
    JSON.stringify(
      {
        network: { adUnits: adUnitCount, placements: placementCount, changedAdUnits: changed },
        sync: { first, incremental, full },
        incrementalVsFull: {
          secondsRatio: Number((incremental.seconds / full.seconds).toFixed(3)),
          objectsRatio: Number((incremental.objects / full.objects).toFixed(3)),
        },
        getProducts: {
          calls,
          adServerSource: { syncedProducts: placementCount, ...adServer },
          agentSource: agent,
          p50Ratio: Number((adServer.p50Ms / agent.p50Ms).toFixed(2)),
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
  await gam.close();
}
