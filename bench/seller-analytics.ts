import { parseArgs } from 'node:util';
import { createCustomer, createHarness } from '../test/harness.js';

/**
 * Seller analytics at scale (issue 17, item 7): GET /api/v2/storefront/seller-analytics over a
 * storefront holding 100k discovery runs (1,000 buyers, one year) and 1M outcome events
 * (250k media buys × submitted, forwarded, two delivery reports), generated with SQL
 * generate_series. Each request goes through the whole app (app.inject: auth, validation,
 * queries, attribution, rollups, response validation). Baseline in the same run: GET
 * /api/v2/storefront (one authenticated single-row read).
 *
 *   PG_URL=postgres://… npx tsx bench/seller-analytics.ts [--runs 100000] [--buys 250000]
 *   PG_URL=postgres://… npx tsx bench/seller-analytics.ts --skew
 *
 * --skew is the heavy case: 2,000 buys placed after the newest runs began, each with 500 events
 * (delivery polled hourly for three weeks), so the window's buyers own ~200k of the 1M events.
 *
 * Without PG_URL/TEST_DATABASE_URL it runs on the embedded PostgreSQL (memory).
 */
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    buys: { type: 'string', default: '250000' },
    'events-per-buy': { type: 'string', default: '4' },
    iterations: { type: 'string', default: '30' },
    // Every buy and event inside the newest runs' window (the worst case for the window read).
    skew: { type: 'boolean', default: false },
  },
});
const runCount = Number(args.runs);
const skew = args.skew ?? false;
const buyCount = skew ? 2000 : Number(args.buys);
const perBuy = skew ? 500 : Number(args['events-per-buy']);
const iterations = Number(args.iterations);
if (process.env.PG_URL && !process.env.TEST_DATABASE_URL) {
  process.env.TEST_DATABASE_URL = process.env.PG_URL;
}

const h = await createHarness();
try {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data
    .id as number;
  const q = (text: string) => h.database.queryable.query(text);
  const started = performance.now();
  // One year of runs, 1,000 buyers, five products each out of 500; one in ten refines (half of
  // them objecting to price, half asking for a bundle), one in ten wholesale.
  const runSpacing = Math.floor((365 * 86400) / runCount);
  // The year ends 35 days ago, so every event has settled (older than the fold's settle delay).
  const base = `timestamptz '${new Date(Date.now() - 400 * 86_400_000).toISOString()}'`;
  await q(`insert into discovery_runs (storefront_id, buyer_customer_id, operator_domain,
      brand_domain, country, buying_mode, brief, refine, product_ids, source_outcomes,
      duration_ms, created_at)
    select ${sf}, 100000 + g % 1000, 'op' || g % 1000 || '.example', 'brand' || g % 1000 || '.example',
      'US', case g % 10 when 0 then 'refine' when 1 then 'wholesale' else 'brief' end, 'brief ' || g,
      case when g % 10 = 0 then jsonb_build_array(jsonb_build_object('scope', 'request', 'ask',
        case when g % 20 = 0 then 'too expensive' else 'bundle with video' end)) end,
      jsonb_build_array('p' || g % 500, 'p' || g * 7 % 500, 'p' || g * 13 % 500,
        'p' || g * 17 % 500, 'p' || g * 31 % 500),
      '[{"sourceId":"s1","ok":true,"productCount":5,"latencyMs":10}]'::jsonb, 50,
      ${base} + g * interval '${runSpacing} seconds'
    from generate_series(1, ${runCount}) g`);
  const buySpacing = skew ? 5 : Math.floor((365 * 86400) / buyCount);
  const buysFrom = skew
    ? `${base} + interval '${runSpacing * runCount - 3 * 3600} seconds'`
    : `${base}`;
  await q(`insert into storefront_media_buys (storefront_id, buyer_customer_id, media_buy_id,
      account_id, idempotency_key, submitted_payload, approval_mode, forward_outcome,
      forward_result, created_at, updated_at)
    select ${sf}, 100000 + g % 1000, 'mb' || g, 'acc', 'k' || g,
      jsonb_build_object('packages', jsonb_build_array(jsonb_build_object(
        'product_id', 'p' || g * 7 % 500, 'budget', 1000 + g % 5000))),
      'auto', 'all_completed', '[{"sourceId":"s1","status":"completed"}]'::jsonb,
      ${buysFrom} + g * interval '${buySpacing} seconds',
      ${buysFrom} + g * interval '${buySpacing} seconds'
    from generate_series(1, ${buyCount}) g`);
  // Per buy: submitted, forwarded, then delivery reports (cumulative) an hour apart.
  await q(`insert into merchandising_events (storefront_id, buyer_customer_id, media_buy_id,
      event, detail, created_at)
    select ${sf}, 100000 + g % 1000, 'mb' || g,
      case k when 1 then 'media_buy_submitted_for_approval' when 2 then 'media_buy_forwarded'
        else 'delivery_reported' end,
      case when k >= 3 then jsonb_build_object('impressions', 1000 * k, 'spend', 10 * k,
        'currency', 'USD') else '{}'::jsonb end,
      ${buysFrom} + g * interval '${buySpacing} seconds' + k * interval '1 hour'
    from generate_series(1, ${buyCount}) g, generate_series(1, ${perBuy}) k`);
  await q('analyze');
  const loadSeconds = (performance.now() - started) / 1000;
  // What a deployment pays once (then per new event): folding settled events into the rollup.
  const foldStarted = performance.now();
  const folded = await h.services.sellerAnalytics.foldAll(sf);
  const foldSeconds = (performance.now() - foldStarted) / 1000;
  const counts = await q(`select (select count(*) from discovery_runs) as runs,
    (select count(*) from merchandising_events) as events`);

  async function measure(name: string, url: string) {
    const check = await h.call('GET', url, { key: seller.key });
    if (check.status !== 200) throw new Error(`${url}: ${check.status} ${check.text}`);
    for (let i = 0; i < 5; i++) await h.call('GET', url, { key: seller.key });
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      const res = await h.call('GET', url, { key: seller.key });
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const pick = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    return { name, check: check.body.data, p50: pick(0.5), p95: pick(0.95), max: times.at(-1)! };
  }

  const baseline = await measure('baseline: GET /api/v2/storefront', '/api/v2/storefront');
  const results = [
    baseline,
    await measure('seller-analytics?limit=100', '/api/v2/storefront/seller-analytics'),
    await measure('seller-analytics?limit=200', '/api/v2/storefront/seller-analytics?limit=200'),
    await measure('intelligence-runs?take=25', '/api/v2/storefront/intelligence-runs'),
  ];
  const a200 = results[2]!.check as {
    outcomes: { eventCount: number; bookedMediaBuyCount: number };
  };
  console.log(
    `\n${h.database.kind}: ${JSON.stringify(counts.rows[0])} loaded in ${loadSeconds.toFixed(1)} s;` +
      ` limit=200 window attributed ${a200.outcomes.eventCount} events,` +
      ` ${a200.outcomes.bookedMediaBuyCount} booked buys; folded ${folded} events into the` +
      ` rollup in ${foldSeconds.toFixed(1)} s\n`,
  );
  console.log('| request | p50 (ms) | p95 (ms) | max (ms) | p50 / baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${(r.p50 / baseline.p50).toFixed(1)} |`,
    );
  }
  const worst = Math.max(results[1]!.p95, results[2]!.p95);
  console.log(`\ntarget: seller-analytics p95 < 1000 ms → ${worst < 1000 ? 'met' : 'NOT met'}`);
} finally {
  await h.close();
}
