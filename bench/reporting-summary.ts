import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../src/platform/db/database.js';
import { rowsOf } from '../src/platform/db/migrate.js';
import { z } from 'zod';
import { meta, successEnvelopeSchema } from '../src/platform/http/envelope.js';
import { summaryOf } from '../src/modules/reporting/report-views.js';
import { reportingAnswer } from '../src/modules/reporting/schemas.js';
import { outcomeEventTypes } from '../src/modules/reporting/service.js';
import { eventConversions, namesOf, summaryGroups } from '../src/modules/reporting/store.js';
import { createCustomer, createHarness } from '../test/harness.js';

/**
 * Buyer reporting at volume (issue 15): GET /api/v2/buyer/reporting/metrics over one buyer's
 * 200 media buys × 5 packages × 90 days (90,000 delivery rows; 10 advertisers, 40 campaigns,
 * one buy in ten reporting in EUR), generated with SQL generate_series. Each request goes
 * through the whole app (app.inject: auth, validation, queries, nesting, response validation).
 * Baseline in the same run: GET /api/v2/buyer/advertisers/{id} (one authenticated single-row
 * read). The CSV download of all 90 days is streamed and timed too.
 *
 *   PG_URL=postgres://… npx tsx bench/reporting-summary.ts [--buys 200] [--days 90]
 *   npx tsx bench/reporting-summary.ts                       # the embedded PostgreSQL (memory)
 *   ... --profile                                            # CPU profile of the target request
 *   ... --profile-csv                                        # CPU profile of the CSV download
 *   ... --target-only                                        # baseline and the target only
 *   ... --skip-csv                                           # no CSV download
 *   ... --phases                                             # the target's SQL, service and
 *                                                              HTTP times apart, and its plan
 */
const { values: args } = parseArgs({
  options: {
    buys: { type: 'string', default: '200' },
    packages: { type: 'string', default: '5' },
    days: { type: 'string', default: '90' },
    iterations: { type: 'string', default: '30' },
    profile: { type: 'boolean', default: false },
    'profile-csv': { type: 'boolean', default: false },
    'target-only': { type: 'boolean', default: false },
    'skip-csv': { type: 'boolean', default: false },
    phases: { type: 'boolean', default: false },
  },
});
const buys = Number(args.buys);
const packages = Number(args.packages);
const days = Number(args.days);
const iterations = Number(args.iterations);
// One buy per (campaign, agent): enough campaigns, and a count prime to the 7 agents, so that
// buy g's pair (g mod campaigns, g mod 7) is unique for every g.
let campaignCount = Math.max(40, Math.ceil(buys / 5));
if (campaignCount % 7 === 0) campaignCount++;
if (process.env.PG_URL && !process.env.TEST_DATABASE_URL) {
  process.env.TEST_DATABASE_URL = process.env.PG_URL;
}

const h = await createHarness();
try {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const q = (text: string) => h.database.queryable.query(text);
  const started = performance.now();
  const lastDay = '2026-06-30';
  const advertisers = await q(`insert into advertisers (customer_id, name, brand, primary_currency)
    select ${buyer.id}, 'Advertiser ' || g, 'brand' || g || '.example', 'USD'
    from generate_series(1, 10) g returning id`);
  const advertiserIds = advertisers.rows.map((r) => Number(r['id']));
  await q(`insert into campaigns (id, customer_id, advertiser_id, name, flight_start, flight_end,
      budget_total, status)
    select 'cmp_' || g, ${buyer.id}, (array[${advertiserIds.join(',')}])[1 + g % 10],
      'Campaign ' || g, date '${lastDay}' - ${days}, date '${lastDay}' + 1, 100000, 'ACTIVE'
    from generate_series(0, ${campaignCount - 1}) g`);
  await q(`insert into campaign_media_buys (id, customer_id, campaign_id, advertiser_id,
      sales_agent_id, sales_agent_name, storefront_id, name, status, seller_media_buy_id,
      idempotency_key, account, packages, budget, currency, start_time, end_time)
    select 'mb_' || g, ${buyer.id}, 'cmp_' || g % ${campaignCount}, (array[${advertiserIds.join(',')}])[1 + (g % ${campaignCount}) % 10],
      'storefront-s' || g % 7, 'Storefront ' || g % 7, 1000 + g % 7, 'Buy ' || g, 'ACTIVE',
      'seller_' || g, 'k' || g, '{"account_id":"a"}'::jsonb,
      (select jsonb_agg(jsonb_build_object('productId', 'p' || p, 'productName', 'Product ' || p,
        'pricingOptionId', 'cpm', 'budget', 1000, 'packageId', 'pkg_' || g || '_' || p))
       from generate_series(1, ${packages}) p),
      ${packages} * 1000, case when g % 10 = 0 then 'EUR' else 'USD' end,
      date '${lastDay}' - ${days}, date '${lastDay}' + 1
    from generate_series(0, ${buys - 1}) g`);
  await q(`insert into delivery_daily (customer_id, advertiser_id, campaign_id, media_buy_id,
      package_id, day, currency, impressions, clicks, conversions, spend, reported_at)
    select b.customer_id, b.advertiser_id, b.campaign_id, b.id, 'pkg_' || substr(b.id, 4) || '_' || p,
      date '${lastDay}' - d, b.currency, 1000 + (d * 37 + p * 11) % 5000, (d + p) % 40, (d * p) % 3,
      round(((1000 + (d * 37 + p * 11) % 5000) * 0.0123)::numeric, 2), now()
    from campaign_media_buys b, generate_series(1, ${packages}) p, generate_series(0, ${days - 1}) d
    where b.customer_id = ${buyer.id}`);
  // Vacuumed as a settled table is: autovacuum of the fresh million rows would otherwise run
  // during the measurements.
  await q('vacuum analyze');
  const loadSeconds = (performance.now() - started) / 1000;
  const counts = await q(`select count(*)::int as n from delivery_daily`);

  async function measure(name: string, url: string) {
    const check = await h.call('GET', url, { key: buyer.key });
    if (check.status !== 200) throw new Error(`${url}: ${check.status} ${check.text}`);
    for (let i = 0; i < 3; i++) await h.call('GET', url, { key: buyer.key });
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      const res = await h.call('GET', url, { key: buyer.key });
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const pick = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    return { name, bytes: check.text.length, p50: pick(0.5), p95: pick(0.95), max: times.at(-1)! };
  }

  const window = `endDate=${lastDay}&days=`;
  // Issue 15's target: one advertiser's quarter (p95 under 300 ms on PostgreSQL).
  const target = `/api/v2/buyer/reporting/metrics?${window}90&advertiserId=${advertiserIds[0]}`;
  const baseline = await measure(
    'baseline: GET advertisers/{id}',
    `/api/v2/buyer/advertisers/${advertiserIds[0]}`,
  );
  const results = args['target-only']
    ? [baseline, await measure('summary, one advertiser, 90 days', target)]
    : [
        baseline,
        await measure(
          `summary, ${days} days (all rows)`,
          `/api/v2/buyer/reporting/metrics?${window}${days}`,
        ),
        await measure('summary, 7 days', `/api/v2/buyer/reporting/metrics?${window}7`),
        await measure(
          `summary, one campaign, ${days} days`,
          `/api/v2/buyer/reporting/metrics?${window}${days}&campaignId=cmp_7`,
        ),
        await measure(
          'timeseries, one advertiser, 7 days',
          `/api/v2/buyer/reporting/metrics?${window}7&advertiserId=${advertiserIds[0]}&view=timeseries`,
        ),
        await measure('summary, one advertiser, 90 days', target),
        await measure(
          'timeseries, one campaign, 90 days',
          `/api/v2/buyer/reporting/metrics?${window}90&campaignId=cmp_7&view=timeseries`,
        ),
      ];

  // The full CSV streamed page by page, over a real socket, read chunk by chunk and dropped:
  // the process's peak heap while the server streams every row shows whether the export runs in
  // constant memory.
  async function downloadCsv() {
    const link = await h.call(
      'GET',
      `/api/v2/buyer/reporting/metrics?${window}${days}&download=true`,
      { key: buyer.key },
    );
    const url = new URL(link.body.data.downloadUrl as string);
    const origin = await h.app.listen({ host: '127.0.0.1', port: 0 });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    // Live memory, not garbage awaiting collection: collected before each sample (--expose-gc).
    const sampler = setInterval(() => {
      global.gc?.();
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 250);
    const t0 = performance.now();
    const response = await fetch(`${origin}${url.pathname}${url.search}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    const ms = performance.now() - t0;
    clearInterval(sampler);
    return { url, bytes, rows: lines - 1, ms, heapMb: (heapPeak - heapBefore) / 1048576 };
  }
  const csv = args['skip-csv'] && !args['profile-csv'] ? undefined : await downloadCsv();

  console.log(
    `\n${h.database.kind}: ${counts.rows[0]!['n']} delivery rows loaded in ${loadSeconds.toFixed(1)} s\n`,
  );
  console.log('| request | answer (kB) | p50 (ms) | p95 (ms) | max (ms) | p50 / baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${(r.bytes / 1024).toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${(r.p50 / results[0]!.p50).toFixed(1)} |`,
    );
  }
  if (csv) {
    console.log(
      `\nCSV download, ${days} days: ${csv.rows} rows, ${(csv.bytes / 1048576).toFixed(1)} MB in ${csv.ms.toFixed(0)} ms` +
        ` over a socket; peak live heap ${csv.heapMb.toFixed(0)} MB above the start (needs --expose-gc)`,
    );
  }

  if (args.phases) {
    // Where the target's time goes: the summary statement alone (rows mapped), the service
    // (every query and the nesting), the whole request (auth, validation, serialisation).
    const scope = {
      customerId: buyer.id,
      advertiserId: advertiserIds[0]!,
      startDay: '2026-04-02',
      endDay: lastDay,
    };
    const p50 = async (run: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(1);
    };
    const db = h.database.db;
    console.log(`\nTarget by phase (p50 of ${iterations}, ms):`);
    console.log(
      `  summary statement (summaryGroups): ${await p50(() => summaryGroups(db, scope))}`,
    );
    const groups = await summaryGroups(db, scope);
    const ids = {
      advertisers: [scope.advertiserId],
      campaigns: [...new Set(groups.flatMap((g) => (g.campaignId ? [g.campaignId] : [])))],
      mediaBuys: [...new Set(groups.flatMap((g) => (g.mediaBuyId ? [g.mediaBuyId] : [])))],
    };
    console.log(`  names (namesOf): ${await p50(() => namesOf(db, buyer.id, ids))}`);
    console.log(
      `  events (eventConversions): ${await p50(() => eventConversions(db, scope, outcomeEventTypes))}`,
    );
    const service = () => summaryOf(db, scope, outcomeEventTypes, undefined, new Date());
    console.log(`  service (summaryOf): ${await p50(service)}`);
    const envelope = { data: await service(), error: null, meta: meta('bench') };
    const answer = successEnvelopeSchema(reportingAnswer);
    console.log(
      `  response validation (zod encode): ${await p50(async () => z.encode(answer, envelope))}`,
    );
    console.log(`  JSON.stringify: ${await p50(async () => JSON.stringify(envelope))}`);
    console.log(`  HTTP request: ${await p50(() => h.call('GET', target, { key: buyer.key }))}`);
    const plans: string[] = [];
    const explainer = {
      execute: async (query: SQL) => {
        const plan = await db.execute(sql`explain (analyze, buffers) ${query}`);
        plans.push(
          rowsOf<Record<string, string>>(plan)
            .map((r) => r['QUERY PLAN'])
            .join('\n'),
        );
        return { rows: [] };
      },
    } as unknown as Db;
    await summaryGroups(explainer, scope);
    console.log(`\nPlan of the summary statement:\n${plans.join('\n')}`);
  }

  if (args.profile || args['profile-csv']) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    for (let i = 0; i < (args['profile-csv'] ? 1 : 10); i++) {
      if (csv && args['profile-csv'])
        await h.app.inject({ method: 'GET', url: csv.url.pathname + csv.url.search });
      else await h.call('GET', target, { key: buyer.key });
    }
    const { profile } = await session.post('Profiler.stop');
    const self = new Map<string, number>();
    const total = profile.samples?.length ?? 1;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const id of profile.samples ?? []) {
      const node = byId.get(id)!;
      const where = node.callFrame.url.replace(/^.*\/(node_modules\/[^/]+(\/[^/]+)?|src)\//, '$1/');
      const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    console.log(
      `\nCPU profile of ${args['profile-csv'] ? 'the CSV download' : '10 requests of the target'}, self time, top 12:`,
    );
    for (const [key, n] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      console.log(`  ${((n / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
    }
  }
} finally {
  await h.close();
}
