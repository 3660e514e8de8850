import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError, type CreativePlan } from '../port.js';
import type { SoapCall } from './soap.js';
import { child, list, text, typed } from '../shared/xml.js';
import { activeViewColumns } from './report-stream.js';

/*
 * Ad Manager's creative upload (CreativeService.createCreatives: ImageCreative with its bytes,
 * ImageRedirectCreative by its URL, ThirdPartyCreative with its snippet) and delivery report (ReportService: runReportJob,
 * getReportJobStatus until COMPLETED, getReportDownloadURL as CSV_DUMP, gzipped, read by report-stream.ts).
 */

const statement = (query: string) => ({ query });
const ids = (values: string[]) => values.filter((v) => /^\d+$/.test(v)).join(', ');

/**
 * An image's bytes, or a refusal naming why: a host that does not resolve or answer, a transfer
 * cut short and an error status all refuse the creative (never an unhandled failure of the buy).
 */
async function imageBytes(fetch: OutboundFetch, url: string): Promise<Buffer> {
  const refused = (why: string) =>
    new AdServerError('ADAPTER_REFUSED', `The creative's image could not be fetched (${why})`);
  let image: Response;
  try {
    image = await fetch(url, { timeoutMs: 30_000 });
  } catch {
    throw refused('unreachable');
  }
  if (!image.ok) throw refused(String(image.status));
  try {
    return Buffer.from(await image.arrayBuffer());
  } catch {
    throw refused('cut short');
  }
}

/** A creative uploaded: an image's bytes fetched (through the guarded client) and sent, or a third-party tag. */
export async function uploadCreative(
  call: SoapCall,
  fetch: OutboundFetch,
  advertiserId: string,
  creative: CreativePlan,
): Promise<string> {
  let node;
  if (creative.imageUrl && creative.imageByUrl) {
    node = typed('ImageRedirectCreative', {
      advertiserId,
      name: creative.name,
      size: { width: creative.width, height: creative.height, isAspectRatio: false },
      destinationUrl: creative.clickUrl,
      imageUrl: creative.imageUrl,
    });
  } else if (creative.imageUrl) {
    const bytes = await imageBytes(fetch, creative.imageUrl);
    node = typed('ImageCreative', {
      advertiserId,
      name: creative.name,
      size: { width: creative.width, height: creative.height, isAspectRatio: false },
      destinationUrl: creative.clickUrl,
      primaryImageAsset: {
        assetByteArray: bytes.toString('base64'),
        fileName: new URL(creative.imageUrl).pathname.split('/').pop() || 'creative',
      },
    });
  } else {
    node = typed('ThirdPartyCreative', {
      advertiserId,
      name: creative.name,
      size: { width: creative.width, height: creative.height, isAspectRatio: false },
      snippet: creative.snippet ?? '',
    });
  }
  const created = list(
    await call('CreativeService', 'createCreatives', { creatives: [node] }),
    'rval',
  )[0];
  return text(created, 'id')!;
}

/** Delivery per line item and day: a report job run, waited for, and its CSV_DUMP downloaded. */
export async function runDeliveryReport(
  call: SoapCall,
  fetch: OutboundFetch,
  lineItemIds: string[],
  from: string,
  to: string,
  waitMs = 120_000,
): Promise<ReadableStream<Uint8Array> | null> {
  if (!lineItemIds.length) return null;
  const ymd = (day: string) => {
    const [year, month, d] = day.split('-').map(Number);
    return { year, month, day: d };
  };
  const job = child(
    await call('ReportService', 'runReportJob', {
      reportJob: {
        reportQuery: {
          dimensions: ['LINE_ITEM_ID', 'DATE'],
          columns: [
            'AD_SERVER_IMPRESSIONS',
            'AD_SERVER_CLICKS',
            'AD_SERVER_CPM_AND_CPC_REVENUE',
            ...activeViewColumns,
          ],
          startDate: ymd(from),
          endDate: ymd(to),
          dateRangeType: 'CUSTOM_DATE',
          statement: statement(`WHERE LINE_ITEM_ID IN (${ids(lineItemIds)})`),
        },
      },
    }),
    'rval',
  );
  const jobId = text(job, 'id')!;
  const deadline = Date.now() + waitMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    const status = text(
      await call('ReportService', 'getReportJobStatus', { reportJobId: jobId }),
      'rval',
    );
    if (status === 'COMPLETED') break;
    if (status === 'FAILED') throw new AdServerError('ADAPTER_REFUSED', 'The report job failed');
    if (Date.now() > deadline) {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        'The report job did not finish in time',
        undefined,
        true,
      );
    }
    await new Promise((r) => setTimeout(r, wait));
  }
  const url = text(
    await call('ReportService', 'getReportDownloadURL', {
      reportJobId: jobId,
      exportFormat: 'CSV_DUMP',
    }),
    'rval',
  )!;
  const download = await fetch(url, { timeoutMs: 60_000 });
  if (!download.ok) {
    throw new AdServerError(
      'ADAPTER_CONNECTION_FAILED',
      `The report download answered ${download.status}`,
      undefined,
      true,
    );
  }
  if (!download.body) throw new AdServerError('ADAPTER_REFUSED', 'The report download was empty');
  // The caller reads it as a stream (report-stream.ts).
  return download.body as ReadableStream<Uint8Array>;
}
