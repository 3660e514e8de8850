import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { invalid } from '../../../platform/errors.js';
import type { RowDiagnostic } from './avail.js';
import { csvRows, type FileRow, malformed } from './reading/csv.js';
import { decodedText } from './reading/decode.js';
import { jsonLineRows, jsonRows } from './reading/json.js';
import { checkDeadline, type ReadLimits, tooManyRows, unreadable } from './reading/limits.js';
import { checkRow } from './reading/storable-rows.js';
import { xlsxRows } from './reading/xlsx/rows.js';

export type { ReadLimits, XlsxLimits } from './reading/limits.js';

/**
 * Feed files read row by row, never held whole: CSV (csv-parse), XLSX (reading/xlsx: the zip
 * and its XML read here, under inflation limits) and JSON lines; a JSON array, which cannot be
 * streamed without a parser of its own, is read whole within `maxJsonBytes`. An uploaded file
 * is read from its spool, once all of it has arrived (platform/uploads), so reading is bounded
 * by rows and time alone. Every row passes the storable-text check request bodies pass.
 */
export type FeedFormat = 'csv' | 'xlsx' | 'json' | 'jsonl';

export interface RawRow extends FileRow {
  /** Set when the row holds text the database cannot store: it is refused with these. */
  refused?: RowDiagnostic[];
}

export interface FeedRead {
  rows: AsyncIterable<RawRow>;
  /** sha256 of the bytes read (a commit applies exactly these bytes). */
  digest(): string;
}

/** A file whole on local disk (an upload's spool). */
export interface FeedFile {
  path: string;
  digest: string;
}

/** The format a file name or content type names; undefined when neither says. */
export function formatOf(
  fileName: string | undefined,
  contentType?: string,
): FeedFormat | undefined {
  const name = (fileName ?? '').toLowerCase();
  if (name.endsWith('.csv') || contentType?.includes('text/csv')) return 'csv';
  if (name.endsWith('.xlsx') || contentType?.includes('spreadsheetml')) return 'xlsx';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || contentType?.includes('ndjson'))
    return 'jsonl';
  if (name.endsWith('.json') || contentType?.includes('application/json')) return 'json';
  if (name.endsWith('.xls')) {
    throw invalid('Legacy .xls workbooks are not read: save the sheet as .xlsx or .csv', 'file');
  }
  return undefined;
}

/** Reads a spooled file as `format`. */
export function readFile(file: FeedFile, format: FeedFormat, limits: ReadLimits): FeedRead {
  const rows =
    format === 'xlsx'
      ? atLeastOneRow(xlsxRows(file.path, limits))
      : textRows(createReadStream(file.path, { highWaterMark: 64 * 1024 }), format, limits);
  return { rows: bounded(rows, limits), digest: () => file.digest };
}

/** Rows of an in-memory text (csvText / jsonText of the JSON endpoints). */
export function readText(
  text: string,
  format: Exclude<FeedFormat, 'xlsx'>,
  limits: ReadLimits,
): FeedRead {
  const bytes = Buffer.from(text, 'utf8');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return {
    rows: bounded(textRows(Readable.from([bytes]), format, limits), limits),
    digest: () => digest,
  };
}

/** Rows already parsed (rawRows / avails of the JSON endpoints), digested as canonical JSON. */
export function readRows(items: Record<string, unknown>[], limits: ReadLimits): FeedRead {
  const text = JSON.stringify(items);
  const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
  async function* rows() {
    for (const [index, raw] of items.entries()) yield { rowNumber: index + 1, raw };
  }
  return { rows: bounded(rows(), limits), digest: () => digest };
}

function textRows(bytes: Readable, format: Exclude<FeedFormat, 'xlsx'>, limits: ReadLimits) {
  const text = decodedText(bytes, limits);
  switch (format) {
    case 'csv':
      return csvRows(text);
    case 'jsonl':
      return jsonLineRows(text);
    case 'json':
      return jsonRows(text, limits.maxJsonBytes);
  }
}

/** A sheet with nothing under its header is refused whole (csvRows says the same of a CSV). */
async function* atLeastOneRow(rows: AsyncIterable<FileRow>): AsyncGenerator<FileRow> {
  let any = false;
  for await (const row of rows) {
    any = true;
    yield row;
  }
  if (!any)
    throw unreadable('The workbook has no avails under its header row: nothing to put on sale');
}

/** Every row counted toward the cap and the deadline, and checked for storable text. */
async function* bounded(rows: AsyncIterable<FileRow>, limits: ReadLimits): AsyncGenerator<RawRow> {
  let count = 0;
  try {
    for await (const row of rows) {
      count += 1;
      if (count > limits.maxRows) throw tooManyRows(limits.maxRows);
      checkDeadline(limits, `row ${row.rowNumber}`);
      const checked = checkRow(row.rowNumber, row.raw);
      yield {
        rowNumber: row.rowNumber,
        raw: checked.raw,
        ...(row.columns && { columns: row.columns }),
        ...(checked.refused && { refused: checked.refused }),
      };
    }
  } catch (error) {
    throw malformed('feed', error, count + 1);
  }
}
