import type { FileRow } from '../csv.js';
import { type ReadLimits, unreadable } from '../limits.js';
import { checkHeader } from '../storable-rows.js';
import { workbookParts } from './package.js';
import { readSharedStrings } from './shared-strings.js';
import { type SheetRow, sheetScanner } from './sheet.js';
import { openZip } from './zip.js';

/**
 * Rows of a workbook's first worksheet, read from the spooled file: the first row with a value
 * names the columns; each later row with a value under a named column is a row of the feed
 * (empty rows are counted toward the bounds, not yielded). Only the parts the feed needs are
 * inflated, each under the limits of zip.ts.
 */
export async function* xlsxRows(path: string, limits: ReadLimits): AsyncGenerator<FileRow> {
  const zip = await openZip(path, limits);
  const parts = await workbookParts(zip);
  const strings = parts.sharedStrings
    ? await readSharedStrings(parts.sharedStrings.name, zip.text(parts.sharedStrings), limits.xlsx)
    : undefined;
  let header: string[] | undefined;
  let first = true;
  let ready: FileRow[] = [];
  const onRow = (row: SheetRow) => {
    if (!header) {
      if (row.values.size === 0) return;
      const names: string[] = [];
      for (const [column, value] of row.values) names[column] = String(value).trim();
      header = Array.from(names, (name) => name ?? '');
      checkHeader(header);
      return;
    }
    const entries: [string, unknown][] = [];
    for (const [column, value] of row.values) {
      const name = header[column];
      if (name && value !== '') entries.push([name, value]);
    }
    // fromEntries defines own properties: a "__proto__" header stays a column.
    if (!entries.length) return;
    // The first row yielded carries the header as the sheet wrote it.
    ready.push({
      rowNumber: row.rowNumber,
      raw: Object.fromEntries(entries),
      ...(first && { columns: header }),
    });
    first = false;
  };
  const scanner = sheetScanner(
    {
      part: parts.sheet.name,
      strings,
      dateStyles: parts.dateStyles,
      date1904: parts.date1904,
      limits,
    },
    onRow,
  );
  for await (const chunk of zip.text(parts.sheet)) {
    scanner.feed(chunk);
    // A chunk's rows go on before the next chunk is inflated: memory stays one chunk's worth.
    if (ready.length) {
      const batch = ready;
      ready = [];
      yield* batch;
    }
  }
  scanner.end();
  yield* ready;
  if (!header) throw unreadable('The workbook has no rows: the first row must name the columns');
}
