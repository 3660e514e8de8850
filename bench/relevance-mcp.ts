import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type RunningSeller, startSeller } from '../test/fixtures/sellers.js';
import { benchCustomer, startBenchApp } from './bench-app.js';
import { type Brief, briefClasses } from './relevance/briefs.js';
import { catalogue } from './relevance/catalogue.js';
import { type Grades, mean, ndcgAt10, precisionAt5 } from './relevance/metrics.js';
import { briefSet } from './relevance/sets.js';
import { csvOf } from './relevance/sheet-csv.js';
import type { Entry, Kind } from './relevance/types.js';

/**
 * The relevance set (bench/relevance/) end to end (issue 71 item 6): Interchange on the embedded
 * PostgreSQL, one storefront whose sources hold the catalogue, and a buyer asking get_products
 * over MCP (the official SDK client) with each brief, paging by cursor as a buyer does
 * (`--page` products a page until the first ten are in). Spreadsheet rows are uploaded through
 * each publisher's modular source (the feed push a sheet upload commits); every other kind is
 * answered by a fake AdCP seller (the demo seller, built on @adcp/sdk, speaking MCP on a loopback
 * port), one per kind, whose get_products answers that kind's products as built in the catalogue.
 * The ad-server and adapter kinds' own source paths (sync, provider APIs) are not exercised.
 *
 *   npx tsx bench/relevance-mcp.ts [--page 5] [--only c01,c02] [--set set|unseen]
 */
const { values: args } = parseArgs({
  options: {
    page: { type: 'string', default: '5' },
    only: { type: 'string' },
    set: { type: 'string', default: 'set' },
  },
});
const pageSize = Number(args.page);
const { briefs, judgments: judgmentsPath } = briefSet(args.set!);
const judgments = JSON.parse(readFileSync(judgmentsPath, 'utf8')) as Record<
  string,
  { grades: Grades }
>;
const entries = catalogue();
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const app = await startBenchApp({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '30000' });
const sellers: RunningSeller[] = [];
try {
  const owner = await benchCustomer(app, 'SELLER', 'Relevance publisher group');
  const sf = await owner.call('PUT', '/api/v2/storefront', {
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
  });
  const started = Date.now();
  // Spreadsheet rows: one modular source per publisher, its sheet pushed as a feed.
  const bySource = new Map<string, Entry[]>();
  for (const e of entries.filter((x) => x.kind === 'spreadsheet'))
    bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  for (const [source, rows] of bySource) {
    const sourceId = slug(source).slice(0, 40);
    await owner.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
      name: source,
      sourceId,
    });
    const pushed = await owner.call(
      'POST',
      `/api/v2/storefront/inventory-sources/${sourceId}/feed/push`,
      { contractId: 'static-avails-feed:v1', csvText: csvOf(rows.map((r) => r.avail!)) },
    );
    const rejected = Number(pushed.data['rejectedRows'] ?? pushed.data['rejected'] ?? 0);
    if (rejected) throw new Error(`${source}: ${JSON.stringify(pushed.data).slice(0, 800)}`);
  }
  // Every other kind: a fake AdCP seller answering its products.
  for (const kind of ['ad_server', 'adapter', 'agent'] satisfies Kind[]) {
    const seller = await startSeller('mcp');
    sellers.push(seller);
    const products = entries.filter((e) => e.kind === kind).map((e) => e.product);
    seller.answerInstead!('get_products', { data: { products } });
    const sourceId = `seller-${slug(kind)}`;
    await owner.call('POST', '/api/v2/storefront/inventory-sources', {
      name: `Fake ${kind} seller`,
      sourceId,
      endpointUrl: seller.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await owner.call('PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, {
      status: 'ACTIVE',
    });
  }
  await owner.call('POST', '/api/v2/storefront/activate');
  await app.services.storefronts.setMarketplace(sf.data['id'] as number, 'list');
  const { rows: onSale } = await app.database.queryable.query(
    'select count(*)::int as n from modular_avails where active',
  );
  console.log(
    `catalogue loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${(onSale as Array<{ n: number }>)[0]!.n} spreadsheet rows in ${bySource.size} modular sources, ${entries.length - entries.filter((e) => e.kind === 'spreadsheet').length} products from 3 fake sellers`,
  );

  const buyer = await benchCustomer(app, 'BUYER', 'Relevance agency');
  const client = new Client({ name: 'relevance-bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${app.base}/adcp/storefront-${sf.data['platformId'] as string}/mcp`),
      { requestInit: { headers: { authorization: `Bearer ${buyer.key}` } } },
    ),
  );
  /** The buyer's first ten products for a brief, page by page; and how many it saw in all. */
  async function firstTen(b: Brief) {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let total: number | undefined;
    do {
      const r = await client.callTool({
        name: 'get_products',
        arguments: {
          buying_mode: 'brief',
          brief: b.brief,
          ...(b.filters && { filters: b.filters }),
          account: { brand: { domain: 'acme.example' }, operator: 'relevance-agency.example' },
          pagination: { max_results: pageSize, ...(cursor && { cursor }) },
        },
      });
      const answer = r.structuredContent as
        | {
            products?: Array<{ product_id: string }>;
            pagination?: { cursor?: string; has_more?: boolean; total_count?: number };
          }
        | undefined;
      if (r.isError || !answer) throw new Error(`${b.id}: ${JSON.stringify(r).slice(0, 600)}`);
      // The storefront names a source's product `<source id>__<its id>`.
      ids.push(
        ...(answer.products ?? []).map((p) => p.product_id.slice(p.product_id.indexOf('__') + 2)),
      );
      total ??= answer.pagination?.total_count;
      cursor = answer.pagination?.has_more ? answer.pagination.cursor : undefined;
      pages += 1;
    } while (cursor && ids.length < 10);
    return { ids, pages, total };
  }

  const only = args.only?.split(',');
  const set = briefs.filter((b) => !only || only.includes(b.id));
  const allIds = entries.map((e) => e.product.product_id);
  const known = new Set(allIds);
  const results: Array<{ b: Brief; p5: number; ndcg: number; pages: number; total?: number }> = [];
  const began = Date.now();
  for (const b of set) {
    const grades = judgments[b.id]!.grades;
    const { ids, pages, total } = await firstTen(b);
    const stray = ids.filter((id) => !known.has(id));
    if (stray.length) throw new Error(`${b.id}: products not in the catalogue: ${stray}`);
    results.push({
      b,
      p5: precisionAt5(ids, grades),
      ndcg: ndcgAt10(ids, grades, allIds) ?? 0,
      pages,
      ...(total !== undefined && { total }),
    });
    if (process.env['RELEVANCE_VERBOSE'])
      console.error(`${b.id} ${ndcgAt10(ids, grades, allIds)?.toFixed(2)} ${b.brief}`);
  }
  await client.close();
  const f = (x: number) => x.toFixed(Number(process.env['RELEVANCE_PLACES'] ?? 3));
  const row = (label: string, rs: typeof results) =>
    `| ${label} | ${rs.length} | ${f(mean(rs.map((r) => r.p5)))} | ${f(mean(rs.map((r) => r.ndcg)))} |`;
  console.log(
    `relevance set over MCP: ${set.length} briefs, ${entries.length} products, pages of ${pageSize}; ` +
      `${((Date.now() - began) / set.length).toFixed(0)} ms a brief (all its pages)\n`,
  );
  console.log('| scope | briefs | P@5 | nDCG@10 |\n| --- | --: | --: | --: |');
  console.log(row('all briefs', results));
  const index = new Map(briefs.map((b, i) => [b.id, i]));
  console.log(
    row(
      'tuning half (odd ids)',
      results.filter((r) => index.get(r.b.id)! % 2 === 0),
    ),
  );
  console.log(
    row(
      'held-out half (even ids)',
      results.filter((r) => index.get(r.b.id)! % 2 === 1),
    ),
  );
  for (const c of briefClasses)
    console.log(
      row(
        `class ${c}`,
        results.filter((r) => r.b.class === c),
      ),
    );
  const totals = results.map((r) => r.total).filter((t) => t !== undefined);
  console.log(
    `\npages asked: ${results.reduce((s, r) => s + r.pages, 0)}; total_count answered: min ${Math.min(...totals)}, max ${Math.max(...totals)}`,
  );
} finally {
  await Promise.all(sellers.map((s) => s.close()));
  await app.app.close();
  await app.services.close();
  await app.database.close();
}
