import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';

/**
 * Status sync: one look (`campaigns.syncAgent`) over N placed media buys of one buyer on one
 * storefront agent (the in-process demo seller behind it), against the baseline of refreshing
 * the same buys campaign by campaign (`mediaBuyStatus`, what GET …/media-buy-status does: one
 * get_media_buys per campaign). Same process, same database, alternating runs.
 *
 *   npx tsx bench/status-sync.ts                        # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/status-sync.ts
 *
 * Options: --buys 100 --runs 5. Target: a look costs at most half the baseline per buy.
 */
const { values: args } = parseArgs({
  options: { buys: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' } },
});
const buys = Number(args.buys);
const runs = Number(args.runs);

const seller = await startDemoSeller();

// Looks run only when called here: no job queue started, the first wake an hour away.
const ix = await startBenchApp({ INTERCHANGE_STATUS_SYNC_MIN_SECONDS: '3600' });
const admin = await ix.services.identity.createAdminApiKey('bench');
const publisher = await benchCustomer(ix, 'SELLER', 'Bench publisher');
const sf = (
  await publisher.call('PUT', '/api/v2/storefront', {
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
    creativeApproval: 'auto',
  })
).data;
await publisher.call('POST', '/api/v2/storefront/inventory-sources', {
  name: 'Demo',
  sourceId: 'demo',
  endpointUrl: seller.url,
  protocol: 'MCP',
  authenticationType: 'NO_AUTH',
});
await publisher.call('PUT', '/api/v2/storefront/inventory-sources/demo', { status: 'ACTIVE' });
await publisher.call('POST', '/api/v2/storefront/activate');
await fetch(`${ix.base}/api/v2/admin/storefronts/${sf['id']}/marketplace`, {
  method: 'POST',
  headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ action: 'list' }),
});
const agentId = `storefront-${sf['platformId']}`;

const buyer = await benchCustomer(ix, 'BUYER', 'Bench agency');
const advertiser = (
  await buyer.call('POST', '/api/v2/buyer/advertisers', {
    name: 'Bench',
    brand: 'bench.example',
    primaryCurrency: 'USD',
  })
).data;

type Json = Record<string, unknown>;
/** One campaign over the storefront's first product, executed: one placed media buy. */
async function placedCampaign(): Promise<string> {
  const page = (
    await buyer.call('POST', '/api/v2/buyer/discovery/discover-products', {
      advertiserId: Number(advertiser['id']),
      brief: 'Display for a spring launch',
      storefrontIds: [sf['id']],
    })
  ).data;
  const product = ((page['productGroups'] as Json[])[0]?.['products'] as Json[])[0] as Json;
  const option = (product['pricingOptions'] as Json[])[0] as Json;
  await buyer.call('POST', `/api/v2/buyer/discovery/${page['discoveryId']}/products`, {
    products: [
      {
        productId: product['productId'],
        salesAgentId: product['salesAgentId'],
        pricingOptionId: option['pricing_option_id'],
        budget: 16_000,
        ...(typeof option['fixed_price'] !== 'number' && {
          bidPrice: Number(option['floor_price'] ?? 5) + 1,
        }),
      },
    ],
  });
  const start = new Date(Date.now() + 86_400_000);
  const campaign = (
    await buyer.call('POST', '/api/v2/buyer/campaigns', {
      advertiserId: Number(advertiser['id']),
      name: 'Bench',
      flightDates: {
        startDate: start.toISOString(),
        endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
      },
      budget: { total: 16_000, currency: 'USD' },
      discoveryId: page['discoveryId'],
    })
  ).data['campaign'] as Json;
  const executed = (
    await buyer.call('POST', `/api/v2/buyer/campaigns/${campaign['campaignId']}/execute`, {})
  ).data;
  if (executed['mediaBuysExecuted'] !== 1) throw new Error(JSON.stringify(executed));
  return campaign['campaignId'] as string;
}

const campaignIds: string[] = [];
for (let i = 0; i < buys; i++) campaignIds.push(await placedCampaign());
const principal = await ix.services.identity.actingPrincipal(buyer.customer.id);
if (!principal) throw new Error('no principal');

async function baseline(): Promise<number> {
  const started = performance.now();
  for (const id of campaignIds) await ix.services.campaigns.mediaBuyStatus(principal!, id);
  return performance.now() - started;
}

async function look(): Promise<number> {
  await ix.database.queryable.query(
    `update campaign_media_buys set sync_due_at = now() where customer_id = $1`,
    [buyer.customer.id],
  );
  const started = performance.now();
  await ix.services.campaigns.syncAgent(principal!, agentId);
  const ms = performance.now() - started;
  const { rows } = await ix.database.queryable.query(
    `select count(*)::int as n from campaign_media_buys where customer_id = $1 and synced_at is not null`,
    [buyer.customer.id],
  );
  if ((rows[0] as { n: number }).n !== buys) throw new Error('the look missed buys');
  return ms;
}

await baseline(); // warm-up: agent built, connections open, statements prepared
await look();
const base: number[] = [];
const looks: number[] = [];
for (let i = 0; i < runs; i++) {
  base.push(await baseline());
  looks.push(await look());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const b = median(base);
const l = median(looks);
console.log(
  `\n${buys} placed buys, one buyer, one storefront agent, ${runs} alternating runs ` +
    `(${process.env.PG_URL ? 'PostgreSQL at PG_URL' : 'embedded PostgreSQL'})\n`,
);
console.log('| variant | seller calls | total p50 (ms) | per buy (ms) | ratio to baseline |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| baseline: refresh per campaign | ${buys} | ${b.toFixed(0)} | ${(b / buys).toFixed(2)} | 1.00 |`,
);
console.log(
  `| one status-sync look | ${Math.ceil(buys / 50)} | ${l.toFixed(0)} | ${(l / buys).toFixed(2)} | **${(l / b).toFixed(2)}** |`,
);

await ix.app.close();
await ix.services.close();
await ix.database.close();
await seller.app.close();
