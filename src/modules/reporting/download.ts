import type { Db } from '../../platform/db/database.js';
import { namesForRows, rowLabels } from './report-views.js';
import * as store from './store.js';
import type { Names, Scope } from './store.js';
import { csvLine } from '../../platform/downloads/csv-line.js';
import { downloadPathOf, payloadOfDownload } from '../../platform/downloads/download-path.js';
import { deliveryMetrics } from '../delivery/index.js';

/** Where report downloads are served (outside /api/v2: the signed URL is the credential). */
export const downloadBase = '/downloads/reporting';
const pageSize = 5000;

/** The unsigned path of a download: the file name and the report's scope (owner included). */
export const downloadPath = (fileName: string, scope: Scope): string =>
  downloadPathOf(downloadBase, fileName, scope);

/** The scope a (verified) download path carries; undefined when it is not one of ours. */
export function scopeOfDownload(path: string): Scope | undefined {
  const scope = payloadOfDownload(path) as Scope | undefined;
  return typeof scope?.customerId === 'number' ? scope : undefined;
}

const header = [
  'date',
  'advertiserId',
  'advertiserName',
  'campaignId',
  'campaignName',
  'mediaBuyId',
  'mediaBuyName',
  'mediaBuyStatus',
  'packageId',
  'productId',
  'productName',
  'currency',
  ...deliveryMetrics.map((metric) => metric.key),
];

/**
 * The report's leaf-by-day rows as CSV, a page of lines at a time (keyset) so a large report
 * is never held in memory; names are looked up per page. Money is printed to the cent.
 */
export async function* csvRows(db: Db, scope: Scope): AsyncGenerator<string> {
  yield csvLine(header);
  let after: store.DayCursor | undefined;
  for (;;) {
    const rows = await store.dayRows(db, scope, pageSize, after);
    if (rows.length === 0) return;
    const names: Names = await namesForRows(db, scope.customerId, rows);
    // One chunk per page: a write per line cost more than building the lines.
    const lines: string[] = [];
    for (const r of rows) {
      const row = rowLabels(r, names);
      lines.push(
        csvLine([
          row.date,
          row.advertiserId,
          row.advertiserName,
          row.campaignId,
          row.campaignName,
          row.mediaBuyId,
          row.mediaBuyName,
          row.mediaBuyStatus,
          row.packageId,
          row.productId,
          row.productName,
          row.currency,
          // Money to the cent; counts as they are.
          ...deliveryMetrics.map((m) => (m.money ? r[m.key].toFixed(2) : r[m.key])),
        ]),
      );
    }
    yield lines.join('');
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1] as store.DayRow;
    after = { day: last.day, mediaBuyId: last.mediaBuyId, packageId: last.packageId };
  }
}
