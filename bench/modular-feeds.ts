import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { uploadFeed } from '../src/cli/feed-upload.js';
import { benchCustomer, startBenchApp, startDemoSeller } from './bench-app.js';

/**
 * Modular sources: (1) a 100,000-row avails feed as CSV and as XLSX, previewed (streamed upload
 * through the CLI's uploader, parsed, validated, staged) and committed, against reading the same
 * file with the parser alone (csv-parse; exceljs's streaming reader) in the same run: rows/s and
 * peak resident memory of this process (server and parser share it; the PostgreSQL is another
 * process). (2) get_products over MCP on a storefront whose modular source has 10,000 active
 * avails, against the same storefront shape over an agent source (the demo seller, 30 products).
 *
 *   npx tsx bench/modular-feeds.ts [--rows 100000] [--avails 10000] [--calls 100]
 */
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    avails: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '100' },
  },
});
const rows = Number(args.rows);
const availCount = Number(args.avails);
const calls = Number(args.calls);

const mib = (n: number) => Math.round(n / 1_048_576);
async function measured<T>(work: () => Promise<T>) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      result,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSec: Math.round(rows / seconds),
      rssBeforeMiB: mib(before),
      peakRssMiB: mib(Math.max(peak, process.memoryUsage().rss)),
    };
  } finally {
    clearInterval(sampler);
  }
}

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${(5 + (i % 40)).toFixed(2)},USD,display_300x250,news.example`;

/** A sink for the uploader's progress bar (the figures are the output). */
const devNull = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;

const dir = mkdtempSync(join(tmpdir(), 'ix-bench-modular-'));
const app = await startBenchApp();
const seller = await startDemoSeller();
try {
  // The feed files.
  const csvFile = join(dir, 'avails.csv');
  writeFileSync(csvFile, [header, ...Array.from({ length: rows }, (_, i) => line(i))].join('\n'));
  const xlsxFile = join(dir, 'avails.xlsx');
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile });
  const sheet = writer.addWorksheet('Avails');
  sheet.addRow(header.split(',')).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(line(i).split(',')).commit();
  await sheet.commit();
  await writer.commit();

  const publisher = await benchCustomer(app, 'SELLER', 'Bench publisher');
  await publisher.call('PUT', '/api/v2/storefront', { defaultCurrency: 'USD' });
  const feed = async (sourceId: string, file: string) => {
    await publisher.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
      name: sourceId,
      sourceId,
    });
    const options = { file, url: app.base, key: publisher.key, sourceId, progress: devNull };
    const preview = await measured(() => uploadFeed(options));
    const p = preview.result.preview as Record<string, unknown>;
    const commit = await measured(() =>
      publisher.call('POST', `/api/v2/storefront/inventory-sources/${sourceId}/feed/commit`, {
        feedId: p['feedId'],
        previewBaseline: p['previewBaseline'],
      }),
    );
    return {
      bytes: statSync(file).size,
      preview: { ...preview, result: undefined },
      commit: { ...commit, result: undefined },
    };
  };
  const csvAlone = await measured(async () => {
    let n = 0;
    for await (const _ of createReadStream(csvFile).pipe(parseCsv({ columns: true }))) n++;
    return n;
  });
  const xlsxAlone = await measured(async () => {
    let n = 0;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(xlsxFile), {
      sharedStrings: 'cache',
      worksheets: 'emit',
    });
    for await (const ws of reader) for await (const _ of ws) n++;
    return n;
  });
  const csv = await feed('csv-feed', csvFile);
  const xlsx = await feed('xlsx-feed', xlsxFile);
  console.log(
    JSON.stringify(
      {
        rows,
        csv: { parserAlone: { ...csvAlone, result: undefined }, ...csv },
        xlsx: { parserAlone: { ...xlsxAlone, result: undefined }, ...xlsx },
        ratios: {
          csvPreviewVsParser: Number((csv.preview.seconds / csvAlone.seconds).toFixed(1)),
          xlsxPreviewVsParser: Number((xlsx.preview.seconds / xlsxAlone.seconds).toFixed(1)),
        },
      },
      null,
      2,
    ),
  );

  // get_products: a modular storefront with `availCount` avails against an agent storefront.
  const storefrontOf = async (name: string, source: (s: typeof publisher) => Promise<void>) => {
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
  const timing = async (platformId: string) => {
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.base}/adcp/storefront-${platformId}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${buyer.key}` } },
      }),
    );
    const args = {
      buying_mode: 'brief',
      brief: 'section week display',
      account: { brand: { domain: 'acme.example' }, operator: 'bench-agency.example' },
    };
    let products = 0;
    for (let i = 0; i < 5; i++) await client.callTool({ name: 'get_products', arguments: args });
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = process.hrtime.bigint();
      const r = await client.callTool({ name: 'get_products', arguments: args });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      products = ((r.structuredContent as { products?: unknown[] })?.products ?? []).length;
    }
    await client.close();
    times.sort((a, b) => a - b);
    const at = (q: number) => Number(times[Math.floor(q * (times.length - 1))]!.toFixed(1));
    return {
      products,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      callsPerSec: Math.round(1000 / (times.reduce((a, b) => a + b, 0) / times.length)),
    };
  };
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
  rmSync(dir, { recursive: true, force: true });
}
