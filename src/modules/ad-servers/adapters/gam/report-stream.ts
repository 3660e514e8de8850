import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { AdServerError, type DeliveryRow } from '../port.js';
import { fromMicros } from '../../../../sources/money.js';

/*
 * Ad Manager's delivery report download (CSV_DUMP, gzipped) read as a stream: gunzipped and
 * split into lines as the bytes arrive, the rows handed on a page at a time, so a report of
 * millions of rows is read in the memory of one page. What it may expand to is still bounded
 * (a small download cannot become gigabytes of work): past MAX_REPORT_BYTES it is refused.
 * Stopping early (the caller's page limit) cancels the download.
 */

/** The most a report may expand to (CSV bytes read). */
export const MAX_REPORT_BYTES = 1024 * 1024 * 1024;

const refused = (why: string) => new AdServerError('ADAPTER_REFUSED', `The delivery report ${why}`);

/** The body's bytes, gunzipped when they start with gzip's magic number. */
async function* plainBytes(body: ReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  const raw = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const first = await chunks.next();
    if (first.done) return;
    const head = Buffer.from(first.value);
    const rest = (async function* () {
      yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        yield Buffer.from(next.value);
      }
    })();
    if (head[0] !== 0x1f || head[1] !== 0x8b) {
      yield* rest;
      return;
    }
    const gunzip = Readable.from(rest).pipe(createGunzip());
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch {
      throw refused('is not readable gzip');
    } finally {
      gunzip.destroy();
    }
  } finally {
    raw.destroy();
  }
}

/** The body's lines, counted against MAX_REPORT_BYTES. */
async function* linesOf(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let read = 0;
  for await (const chunk of plainBytes(body)) {
    read += chunk.length;
    if (read > maxBytes) throw refused(`expands past ${Math.round(maxBytes / 1024 / 1024)} MiB`);
    const text = carry + decoder.write(chunk);
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) yield line.replace(/\r$/, '');
  }
  const last = carry + decoder.end();
  if (last) yield last.replace(/\r$/, '');
}

/**
 * Ad Manager's Active View columns the delivery report asks for: impressions Active View measured
 * and those it found viewable. Active View's threshold is the MRC's (50 % of pixels for one
 * second, two for video), so the rows name that standard; it reports no per-impression in-view
 * time over the same denominator, so no viewed seconds.
 */
export const activeViewColumns = [
  'AD_SERVER_ACTIVE_VIEW_MEASURABLE_IMPRESSIONS',
  'AD_SERVER_ACTIVE_VIEW_VIEWABLE_IMPRESSIONS',
] as const;

/**
 * The report's rows (revenue in micros of the network's currency), `pageSize` at a time, with
 * Active View's counts when the report has its columns.
 */
export async function* reportRowPages(
  body: ReadableStream<Uint8Array>,
  pageSize: number,
  maxBytes = MAX_REPORT_BYTES,
): AsyncGenerator<DeliveryRow[]> {
  const lines = linesOf(body, maxBytes);
  let index: { li: number; day: number; imps: number; clicks: number; revenue: number } | undefined;
  let activeView: { measurable: number; viewable: number } | undefined;
  let page: DeliveryRow[] = [];
  for await (const line of lines) {
    if (!index) {
      const columns = line.split(',');
      const at = (name: string) => columns.indexOf(name);
      index = {
        li: at('Dimension.LINE_ITEM_ID'),
        day: at('Dimension.DATE'),
        imps: at('Column.AD_SERVER_IMPRESSIONS'),
        clicks: at('Column.AD_SERVER_CLICKS'),
        revenue: at('Column.AD_SERVER_CPM_AND_CPC_REVENUE'),
      };
      if (Object.values(index).some((i) => i < 0)) {
        throw refused('lacks an expected column');
      }
      const measurable = at(`Column.${activeViewColumns[0]}`);
      const viewable = at(`Column.${activeViewColumns[1]}`);
      activeView = measurable >= 0 && viewable >= 0 ? { measurable, viewable } : undefined;
      continue;
    }
    if (!line) continue;
    const cells = line.split(',');
    page.push({
      lineItemId: cells[index.li]!,
      day: cells[index.day]!,
      impressions: Number(cells[index.imps]),
      clicks: Number(cells[index.clicks]),
      spend: fromMicros(Number(cells[index.revenue])),
      ...(activeView && {
        viewability: {
          measurable: Number(cells[activeView.measurable]),
          viewable: Number(cells[activeView.viewable]),
          standard: 'mrc' as const,
        },
      }),
    });
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}
