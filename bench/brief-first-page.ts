import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';
import { loadStorefrontGetProducts } from './storefront-load.js';

/**
 * The first page of a brief over 1,000 products in five spreadsheet sources (issue 71 item 7):
 * a buyer's get_products over MCP at one connection, each brief in turn, p50 / p95 / p99 per
 * brief and over all of them; beside it, the same briefs on a storefront whose only source is
 * the demo seller (30 products, in this process), run alongside as the baseline.
 *
 *   npx tsx bench/brief-first-page.ts [--sources 5] [--avails 200] [--calls 40] [--max-results 10]
 */
const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '5' },
    avails: { type: 'string', default: '200' },
    calls: { type: 'string', default: '40' },
    'max-results': { type: 'string', default: '10' },
  },
});
const sourceCount = Number(args.sources);
const availCount = Number(args.avails);
const calls = Number(args.calls);
const maxResults = Number(args['max-results']);

/** Brief classes, each asked `calls` times in distinct words (a reused ranking is not measured). */
const kinds: Array<[string, (i: number) => string]> = [
  [
    'video, country, quarter, exclusion',
    (i) => `Video in ${place(i)} for a car launch in Q${1 + (i % 4)}, not sports`,
  ],
  [
    'display, price cap',
    (i) => `premium display on ${topic(i)} sites in ${place(i)}, max CPM ${6 + (i % 20)}`,
  ],
  [
    'audio, audience, season',
    (i) => `Audio spots for ${audienceOf(i)} in ${place(i)} this ${season(i)}`,
  ],
  [
    'takeover, budget in words',
    (i) => `homepage takeover on a ${topic(i)} publisher, budget ${20 + i}k`,
  ],
  [
    'French',
    (i) =>
      `Publicité display pour les amateurs de ${['cuisine', 'voyage', 'sport', 'finance'][i % 4]} en ${['France', 'Allemagne', 'Espagne'][i % 3]}`,
  ],
];
const place = (i: number) => ['Germany', 'the UK', 'France', 'Spain', 'the US'][i % 5]!;
const topic = (i: number) => sections[i % sections.length]![0]!;
const audienceOf = (i: number) => sections[(i + 3) % sections.length]![2]!;
const season = (i: number) => ['summer', 'autumn', 'winter', 'spring'][i % 4]!;

const sections = [
  ['news', 'Breaking news and politics', 'adults 35+ news readers'],
  ['sport', 'Football, tennis and motor racing', 'sports fans, mostly men 18-44'],
  ['finance', 'Markets, business and personal finance', 'business decision makers'],
  ['food', 'Recipes, restaurants and cooking', 'home cooks and food lovers'],
  ['travel', 'City breaks and long-haul travel', 'frequent travellers'],
  ['family', 'Parenting and family life', 'young parents'],
  ['tech', 'Gadgets, software and reviews', 'tech enthusiasts'],
  ['auto', 'Cars, EVs and road tests', 'car buyers in market'],
];
const countries = ['GB', 'DE', 'FR', 'US', 'ES'];
const slots = [
  ['MPU', 'display', 'display_300x250'],
  ['Leaderboard', 'display', 'display_728x90'],
  ['Homepage takeover', 'display', 'display_970x250'],
  ['Pre-roll 15s', 'olv', 'video_15s'],
  ['Audio spot 30s', 'audio', 'audio_30s'],
];
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain,country,audience,content';
/** Source `s`'s row `i`: a publisher's section × slot, in the publisher's country. */
function line(s: number, i: number) {
  const [section, content, audience] = sections[i % sections.length]!;
  const [slot, channel, format] = slots[Math.floor(i / sections.length) % slots.length]!;
  const country = countries[s % countries.length]!;
  const domain = `publisher-${s}-${i % 7}.example`;
  const cells = [
    `s${s}-av-${i}`,
    `${slot} ${section} ${i}`,
    `${section}-${i % 7}`,
    channel,
    day(-1),
    day(30 + (i % 120)),
    String(100_000 + i * 10),
    (4 + (i % 30)).toFixed(2),
    'USD',
    format,
    domain,
    country,
    audience,
    content,
  ];
  return cells.map((c) => (c!.includes(',') ? `"${c}"` : c)).join(',');
}

const seller = await startDemoSeller();
const app = await startBenchApp();
try {
  const storefrontOf = async (name: string, sources: (owner: Owner) => Promise<void>) => {
    const owner = await benchCustomer(app, 'SELLER', name);
    const sf = await owner.call('PUT', '/api/v2/storefront', {
      defaultCurrency: 'USD',
      mediaBuyApproval: 'auto',
    });
    await sources(owner);
    await owner.call('POST', '/api/v2/storefront/activate');
    await app.services.storefronts.setMarketplace(sf.data['id'] as number, 'list');
    return sf.data['platformId'] as string;
  };
  type Owner = Awaited<ReturnType<typeof benchCustomer>>;
  const sheets = await storefrontOf('Bench sheets', async (owner) => {
    for (let s = 0; s < sourceCount; s++) {
      await owner.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
        name: `Avails ${s}`,
        sourceId: `avails-${s}`,
      });
      await owner.call('POST', `/api/v2/storefront/inventory-sources/avails-${s}/feed/push`, {
        contractId: 'static-avails-feed:v1',
        csvText: [header, ...Array.from({ length: availCount }, (_, i) => line(s, i))].join('\n'),
      });
    }
  });
  const agent = await storefrontOf('Bench agent', async (owner) => {
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
  for (const round of [0, 1]) {
    const order: Array<[string, string]> = [
      ['sheets', sheets],
      ['agent', agent],
    ];
    if (round) order.reverse();
    for (const [side, platformId] of order) {
      for (const [kind, brief] of kinds) {
        // Round 1 asks other words than round 0, so no answer of round 0 is reused.
        const asked = Array.from({ length: calls + 5 }, (_, i) => brief(i + round * 1000));
        const f = await loadStorefrontGetProducts({
          base: app.base,
          buyerKey: buyer.key,
          platformId,
          brief: asked,
          calls,
          connections: 1,
          maxResults,
        });
        console.log(
          JSON.stringify({
            round,
            side,
            kind,
            products: f.products,
            totalCount: f.totalCount,
            p50Ms: f.p50Ms,
            p95Ms: f.p95Ms,
            p99Ms: f.p99Ms,
            cpuMsPerCall: Number((f.processCpuMsPerCall + f.databaseCpuMsPerCall).toFixed(1)),
          }),
        );
      }
    }
  }
} finally {
  await app.app.close();
  await app.services.close();
  await app.database.close();
  await seller.app.close();
}
