import { csvLine } from '../../../platform/downloads/csv-line.js';
import { downloadPathOf, payloadOfDownload } from '../../../platform/downloads/download-path.js';
import type { timeseriesReport } from './reports.js';

/** Where storefront report downloads are served (outside /api/v2: the signed URL is the key). */
export const storefrontDownloadBase = '/downloads/storefront-reporting';

/** What a download reports: the storefront (and its owner), the period, one source or all. */
export interface DownloadScope {
  customerId: number;
  storefrontId: number;
  start: string;
  end: string;
  inventorySourceId?: string | undefined;
}

/** The unsigned path of a download: the file name and the report's scope (owner included). */
export const downloadPath = (fileName: string, scope: DownloadScope): string =>
  downloadPathOf(storefrontDownloadBase, fileName, scope);

/** The scope a (verified) download path carries; undefined when it is not one of ours. */
export function scopeOfDownload(path: string): DownloadScope | undefined {
  const scope = payloadOfDownload(path) as Partial<DownloadScope> | undefined;
  const valid =
    typeof scope?.customerId === 'number' &&
    typeof scope.storefrontId === 'number' &&
    typeof scope.start === 'string' &&
    typeof scope.end === 'string';
  return valid ? (scope as DownloadScope) : undefined;
}

type Timeseries = ReturnType<typeof timeseriesReport>;
type Metric = keyof Timeseries['timeseries'][number]['metrics'];
const metricKeys: Metric[] = [
  'impressions',
  'spend',
  'clicks',
  'views',
  'completedViews',
  'conversions',
  'leads',
  'videoCompletions',
  'conversionValue',
  'ecpm',
  'cpc',
  'ctr',
  'completionRate',
  'cpa',
  'roas',
];
const linesPerChunk = 1000;

/**
 * The timeseries view as CSV: its row fields, then every metric, in the JSON answer's order
 * (a source list joined by spaces). The header first, then the report, read only once the
 * download is being sent; chunks of lines, so a long report is not one write a line.
 */
export async function* csvOfTimeseries(report: () => Promise<Timeseries>): AsyncGenerator<string> {
  yield csvLine([
    'date',
    'advertiserId',
    'advertiserName',
    'mediaBuyId',
    'mediaBuyName',
    'mediaBuyStatus',
    'inventorySourceId',
    'inventorySourceIds',
    'packageId',
    'productId',
    'productName',
    ...metricKeys,
  ]);
  const { timeseries } = await report();
  for (let at = 0; at < timeseries.length; at += linesPerChunk) {
    yield timeseries
      .slice(at, at + linesPerChunk)
      .map((row) =>
        csvLine([
          row.date,
          row.advertiserId,
          row.advertiserName,
          row.mediaBuyId,
          row.mediaBuyName,
          row.mediaBuyStatus,
          row.inventorySourceId,
          row.inventorySourceIds.join(' '),
          row.packageId,
          row.productId,
          row.productName,
          ...metricKeys.map((key) => row.metrics[key]),
        ]),
      )
      .join('');
  }
}
