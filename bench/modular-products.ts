import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeInventory, upsertPage } from '../src/modules/ad-servers/sync/inventory-store.js';
import type { SyncedObject } from '../src/modules/ad-servers/adapters/port.js';
import { adUnitAt, firstAdUnitId } from '../src/sandbox/fakes/gam/network.js';
import { startFakeGam } from '../src/sandbox/fakes/gam/server.js';
import { benchCustomer, startBenchApp } from './bench-app.js';
import { recordQueries } from './query-recorder.js';
import { loadStorefrontGetProducts } from './storefront-load.js';

/**
 * The seller's own kinds against an agent source (issue 47 item 5), in one run, sides alternated
 * round by round, the same buyer and brief: get_products over MCP on a storefront whose only
 * source is (a) a modular source of 10,000 active avails, (b) an ad-server source of 100,000
 * synced ad units and 10,000 placements (written through the sync's own store, inventory-store's
 * upsertPage, after a real first sync from the fake Ad Manager), (c) an agent source (the demo
 * seller, 30 products, in its own process so its CPU is not counted). Per side: one connection
 * then 8, p50 / p99 and this process's CPU per call (server and MCP clients) and PostgreSQL's.
 *
 *   npx tsx bench/modular-products.ts [--avails 10000] [--ad-units 100000] [--placements 10000] [--calls 100] [--rounds 2] [--max-results 30]
 */
const { values: args } = parseArgs({
  options: {
    avails: { type: 'string', default: '10000' },
    'ad-units': { type: 'string', default: '100000' },
    placements: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    brief: { type: 'string', default: 'section week display' },
    // AdCP pagination.max_results on every call (e.g. 30: every side answers as many products as
    // the agent's 30, so the ratio compares the kinds' work, not the answers' sizes).
    'max-results': { type: 'string' },
    // Print the SQL one warm call sends per side (statements, first 160 characters), then stop.
    queries: { type: 'boolean', default: false },
    // Any of modular, adServer, agent, agent100 (the demo seller answering 120 products: the
    // floor of composing and serializing an answer as large as the seller's own kinds give).
    sides: { type: 'string', default: 'modular,adServer,agent' },
  },
});
const availCount = Number(args.avails);
const adUnitCount = Number(args['ad-units']);
const placementCount = Number(args.placements);
const calls = Number(args.calls);
let rounds = Number(args.rounds);
const networkCode = '21790002';
const wanted = new Set(args.sides.split(','));

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${(5 + (i % 40)).toFixed(2)},USD,display_300x250,news.example`;

// The demo seller in its own process: its CPU is the seller's, not Interchange's. `copies` of its
// 30-product catalogue (4 for the agent100 side).
async function startSeller(copies: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/storefront-products-serve.ts', 'sellers', String(copies), '1'],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`seller exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (l) =>
      resolve((JSON.parse(l) as { urls: string[] }).urls[0]!),
    );
  });
  return { child, url };
}
const sellers = [await startSeller(1), ...(wanted.has('agent100') ? [await startSeller(4)] : [])];
const gam = await startFakeGam();
const network = gam.addNetwork(networkCode, 10);
const app = await startBenchApp({
  INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
  INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  INTERCHANGE_AD_SERVER_SYNC_INTERVAL_SECONDS: '0',
});
await app.services.jobs.start();

/**
 * Asks the ad-server storefront until every product it answers has its forecast (the refresh
 * job asks the fake Ad Manager in the background), so the rounds measure the steady state: a
 * forecast is fresh for an hour, and a real network answers most calls from fresh ones.
 */
async function forecastsIn(platformId: string) {
  const ask = () =>
    loadStorefrontGetProducts({
      base: app.base,
      buyerKey: buyerKey!,
      platformId,
      brief: args.brief,
      calls: 1,
      connections: 1,
      ...(args['max-results'] && { maxResults: Number(args['max-results']) }),
    });
  for (let tries = 0; tries < 120; tries++) {
    await ask();
    const { rows } = await app.database.queryable.query(
      `select count(*) filter (where forecast_at is null or forecast_at < requested_at)::int as pending,
              count(*)::int as total from ad_server_forecasts`,
    );
    const [row] = rows as Array<{ pending: number; total: number }>;
    if (row && row.total > 0 && row.pending === 0) {
      console.error(`forecasts in: ${row.total} products, after ${tries + 1} asks`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the ad server forecasts did not come in within 2 minutes');
}
let buyerKey: string | undefined;
try {
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
  const only = (side: string, make: () => Promise<string>) =>
    wanted.has(side) ? make() : Promise.resolve(undefined);
  const modularId = await only('modular', () =>
    storefrontOf('Bench modular', async (owner) => {
      await owner.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
        name: 'Avails',
        sourceId: 'avails',
      });
      await owner.call('POST', '/api/v2/storefront/inventory-sources/avails/feed/push', {
        contractId: 'static-avails-feed:v1',
        csvText: [header, ...Array.from({ length: availCount }, (_, i) => line(i))].join('\n'),
      });
    }),
  );
  const adServerId = await only('adServer', () =>
    storefrontOf('Bench ad server', async (owner) => {
      await owner.call('PUT', '/api/v2/storefront/inventory-sources/gam/ad-server', {
        type: 'google_ad_manager',
        networkCode,
        publisherDomain: 'bench-news.example',
        serviceAccountKey: gam.serviceAccount([networkCode]),
        rateCard: { defaultCpm: 10, currency: 'USD' },
      });
      let run: Record<string, unknown> | undefined;
      for (;;) {
        const h = await owner.call(
          'GET',
          '/api/v2/storefront/inventory-sources/gam/sync-history?limit=1',
        );
        run = (h.data['runs'] as Array<Record<string, unknown>>)[0];
        if (run && run['status'] !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const source = await app.services.inventorySources.findStored(
        (await owner.call('GET', '/api/v2/storefront')).data['id'] as number,
        'gam',
      );
      const runId = String(run['syncId']);
      const objects: SyncedObject[] = [];
      for (let i = 0; i < adUnitCount; i++) {
        const u = adUnitAt(i);
        objects.push({
          kind: 'ad_unit',
          externalId: String(u['id']),
          parentId: String(u['parentId']),
          name: String(u['name']),
          status: 'ACTIVE',
          data: {
            adUnitCode: u['adUnitCode'],
            sizes: (u['adUnitSizes'] as Array<{ size: { width: number; height: number } }>).map(
              (s) => ({ width: s.size.width, height: s.size.height }),
            ),
          },
        });
      }
      for (let i = 0; i < placementCount; i++) {
        objects.push({
          kind: 'placement',
          externalId: String(600_000 + i),
          parentId: null,
          name: `Section ${i % 97} placement ${i}`,
          status: 'ACTIVE',
          data: {
            description: `Placement ${i} of the bench network`,
            adUnitIds: [String(firstAdUnitId + (i % adUnitCount))],
          },
        });
      }
      // The fake Ad Manager knows the same placements, so it forecasts them as Ad Manager would
      // (a placement it does not know is a ForecastError, and every call would re-ask).
      for (let i = 0; i < placementCount; i++) {
        network.placements.push({
          id: 600_000 + i,
          name: `Section ${i % 97} placement ${i}`,
          status: 'ACTIVE',
          targetedAdUnitIds: [firstAdUnitId + (i % adUnitCount)],
        });
      }
      for (let i = 0; i < objects.length; i += 2000)
        await upsertPage(app.database.db, source!.id, runId, objects.slice(i, i + 2000));
      await analyzeInventory(app.database.db);
    }),
  );
  const agentOf = (name: string, endpointUrl: string) =>
    storefrontOf(name, async (owner) => {
      await owner.call('POST', '/api/v2/storefront/inventory-sources', {
        name: 'Demo',
        sourceId: 'demo',
        endpointUrl,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      });
      await owner.call('PUT', '/api/v2/storefront/inventory-sources/demo', { status: 'ACTIVE' });
    });
  const agentId = await only('agent', () => agentOf('Bench agent', sellers[0]!.url));
  const agent100Id = await only('agent100', () => agentOf('Bench agent 100', sellers[1]!.url));
  const buyer = await benchCustomer(app, 'BUYER', 'Bench agency');
  buyerKey = buyer.key;
  const sides = Object.entries({
    modular: modularId,
    adServer: adServerId,
    agent: agentId,
    agent100: agent100Id,
  }).filter((side): side is [string, string] => side[1] !== undefined);
  type Figures = Awaited<ReturnType<typeof loadStorefrontGetProducts>>;
  if (adServerId) await forecastsIn(adServerId);
  if (args.queries) {
    const recorder = recordQueries(app.database.queryable);
    for (const [side, platformId] of sides) {
      const once = (n: number) =>
        loadStorefrontGetProducts({
          base: app.base,
          buyerKey: buyer.key,
          platformId,
          brief: args.brief,
          calls: n,
          connections: 1,
          ...(args['max-results'] && { maxResults: Number(args['max-results']) }),
        });
      await once(20);
      recorder.start();
      await once(1);
      const sent = recorder.stop();
      console.log(`${side}: ${sent.length} statements (6 warm-up calls and 1 measured)`);
      for (const q of sent) console.log(`  ${q.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    rounds = 0;
  }
  const results: Array<Record<string, Figures | number>> = [];
  for (let round = 0; round < rounds; round++) {
    for (const connections of [1, 8]) {
      const row: Record<string, Figures | number> = { round, connections };
      const order = [...sides];
      if (round % 2) order.reverse();
      for (const [side, platformId] of order) {
        row[side] = await loadStorefrontGetProducts({
          base: app.base,
          buyerKey: buyer.key,
          platformId,
          brief: args.brief,
          calls: connections === 1 ? calls : Math.ceil(calls / 2),
          connections,
          excludePids: sellers.map((seller) => seller.child.pid!),
          ...(args['max-results'] && { maxResults: Number(args['max-results']) }),
        });
      }
      const cpu = (f: Figures) => f.processCpuMsPerCall + f.databaseCpuMsPerCall;
      const agent = row['agent'] as Figures | undefined;
      for (const [side] of sides) {
        if (agent && side !== 'agent')
          row[`${side}CpuRatio`] = Number((cpu(row[side] as Figures) / cpu(agent)).toFixed(2));
      }
      results.push(row);
      console.log(JSON.stringify(row));
    }
  }
} finally {
  for (const seller of sellers) seller.child.kill('SIGTERM');
  await app.app.close();
  await app.services.close();
  await app.database.close();
  await gam.close();
}
