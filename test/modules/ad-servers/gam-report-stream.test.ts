import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { reportRowPages } from '../../../src/modules/ad-servers/adapters/gam/report-stream.js';

/*
 * Ad Manager's delivery report download (CSV_DUMP, gzipped) is read as a stream: a report of a
 * million rows goes through in pages of 500 without the whole report (or its rows) in memory;
 * a download that is not gzip, or expands past the bound, is refused as the ad server's; a
 * reader that stops early cancels the download.
 */

// A full collection on demand, so the heap measured is what is live, not garbage not yet collected
// (the file shares its worker with others, whose garbage would otherwise count).
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const header =
  'Dimension.LINE_ITEM_ID,Dimension.DATE,Column.AD_SERVER_IMPRESSIONS,Column.AD_SERVER_CLICKS,Column.AD_SERVER_CPM_AND_CPC_REVENUE';

/** A report of `rows` rows, generated and gzipped as it is read (never whole in memory). */
function gzippedReport(rows: number): ReadableStream<Uint8Array> {
  const lines = (async function* () {
    yield `${header}\n`;
    for (let i = 0; i < rows; i += 1000) {
      let batch = '';
      for (let j = i; j < Math.min(rows, i + 1000); j++) {
        batch += `${1000 + (j % 40)},2026-11-${String(1 + (j % 28)).padStart(2, '0')},10,1,25000\n`;
      }
      yield batch;
    }
  })();
  return Readable.toWeb(
    Readable.from(lines).pipe(createGzip({ level: 1 })),
  ) as ReadableStream<Uint8Array>;
}

const streamOf = (bytes: Buffer, onCancel?: () => void) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 64 * 1024) {
        controller.enqueue(new Uint8Array(bytes.subarray(at, at + 64 * 1024)));
      }
      if (!onCancel) controller.close();
    },
    cancel: () => onCancel?.(),
  });

describe("Ad Manager's delivery report download", () => {
  it('reads a million rows in pages of 500 with the memory of a few pages', async () => {
    const rows = 1_000_000;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let impressions = 0;
    let spend = 0;
    let pages = 0;
    for await (const page of reportRowPages(gzippedReport(rows), 500)) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(500);
      count += page.length;
      for (const row of page) {
        impressions += row.impressions;
        spend += row.spend;
      }
      if (pages % 100 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(count).toBe(rows);
    expect(pages).toBe(rows / 500);
    expect(impressions).toBe(rows * 10);
    expect(spend).toBeCloseTo(rows * 0.025, 3);
    // The report is ~60 MB of CSV and a million row objects; reading it holds a few pages
    // (a few MiB live at any point; a reader keeping the rows would pass 100 MiB).
    expect(peak).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('reads a plain (not gzipped) download too, CRLF lines included', async () => {
    const csv = `${header}\r\n1001,2026-11-01,5,1,1000000\r\n1002,2026-11-02,7,0,2000000\r\n`;
    const pages = [];
    for await (const page of reportRowPages(streamOf(Buffer.from(csv)), 500)) pages.push(...page);
    expect(pages).toEqual([
      { lineItemId: '1001', day: '2026-11-01', impressions: 5, clicks: 1, spend: 1 },
      { lineItemId: '1002', day: '2026-11-02', impressions: 7, clicks: 0, spend: 2 },
    ]);
  });

  it('refuses a broken gzip, a report without its columns and one expanding past the bound', async () => {
    const drain = async (body: ReadableStream<Uint8Array>, maxBytes?: number) => {
      for await (const _page of reportRowPages(body, 500, maxBytes)) void _page;
    };
    const broken = Buffer.concat([
      gzipSync(`${header}\n1,2,3,4,5\n`).subarray(0, 20),
      Buffer.alloc(40, 7),
    ]);
    await expect(drain(streamOf(broken))).rejects.toMatchObject({
      code: 'ADAPTER_REFUSED',
      message: expect.stringContaining('not readable gzip'),
    });
    await expect(drain(streamOf(Buffer.from('a,b,c\n1,2,3\n')))).rejects.toMatchObject({
      code: 'ADAPTER_REFUSED',
      message: expect.stringContaining('lacks an expected column'),
    });
    await expect(drain(gzippedReport(100_000), 1024 * 1024)).rejects.toMatchObject({
      code: 'ADAPTER_REFUSED',
      message: expect.stringContaining('expands past 1 MiB'),
    });
  });

  it('cancels the download when the reader stops early', async () => {
    let canceled = false;
    const csv = `${header}\n${'1001,2026-11-01,5,1,1000000\n'.repeat(2000)}`;
    // The stream stays open after its bytes (as a slow download would): only a cancel ends it.
    const body = streamOf(Buffer.from(csv), () => {
      canceled = true;
    });
    for await (const page of reportRowPages(body, 500)) {
      expect(page).toHaveLength(500);
      break;
    }
    expect(canceled).toBe(true);
  });
});
