import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { AppError, invalid } from '../../../platform/errors.js';

/**
 * Feed files read row by row from a byte stream, never held whole: CSV (csv-parse), XLSX
 * (exceljs' streaming WorkbookReader, first worksheet) and JSON lines; a JSON array, which cannot
 * be streamed without a parser of its own, is read whole within `maxJsonBytes`. The stream is
 * digested as it passes (a commit applies exactly these bytes) and bounded in size, rows and time.
 */
export type FeedFormat = 'csv' | 'xlsx' | 'json' | 'jsonl';

export interface RawRow {
  /** The row as a person finds it: the sheet's row number (header = 1), or the JSON item's (1-based). */
  rowNumber: number;
  raw: Record<string, unknown>;
  /** The header as the file wrote it, on the first row of a CSV or XLSX file (a JSON row has none). */
  columns?: string[];
}

export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
  /** A read that passes this instant is stopped. */
  deadline: number;
  maxJsonBytes: number;
}

export interface FeedRead {
  rows: AsyncIterable<RawRow>;
  /** sha256 of the bytes read, once `rows` is exhausted. */
  digest(): string;
  /** Bytes read so far (progress). */
  bytes(): number;
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

/** Reads `input` as `format`, digesting and bounding it. */
export function readFeed(input: Readable, format: FeedFormat, limits: ReadLimits): FeedRead {
  const hash = createHash('sha256');
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limits.maxBytes) {
        done(tooLarge(limits.maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  input.on('error', (error) => counted.destroy(error));
  input.pipe(counted);
  const rows = bounded(rowsOf(counted, format, limits), limits);
  return { rows, digest: () => `sha256:${hash.copy().digest('hex')}`, bytes: () => seen };
}

/** Rows of an in-memory text (csvText / jsonText of the JSON endpoints). */
export function readText(text: string, format: FeedFormat, limits: ReadLimits): FeedRead {
  return readFeed(Readable.from([Buffer.from(text, 'utf8')]), format, limits);
}

/** Rows already parsed (rawRows / avails of the JSON endpoints), digested as canonical JSON. */
export function readRows(items: Record<string, unknown>[], limits: ReadLimits): FeedRead {
  const text = JSON.stringify(items);
  const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
  async function* rows() {
    for (const [index, raw] of items.entries()) yield { rowNumber: index + 1, raw };
  }
  return { rows: bounded(rows(), limits), digest: () => digest, bytes: () => text.length };
}

async function* bounded(rows: AsyncIterable<RawRow>, limits: ReadLimits): AsyncGenerator<RawRow> {
  let count = 0;
  for await (const row of rows) {
    count += 1;
    if (count > limits.maxRows) {
      throw new AppError('too_large', `The feed has more than ${limits.maxRows} rows; split it`);
    }
    if (count % 256 === 0 && Date.now() > limits.deadline) {
      throw new AppError(
        'too_large',
        `The feed took too long to read (stopped at row ${count}); split it`,
      );
    }
    yield row;
  }
}

function rowsOf(stream: Readable, format: FeedFormat, limits: ReadLimits): AsyncIterable<RawRow> {
  switch (format) {
    case 'csv':
      return csvRows(stream);
    case 'xlsx':
      return xlsxRows(stream);
    case 'jsonl':
      return jsonLineRows(stream);
    case 'json':
      return jsonRows(stream, limits.maxJsonBytes);
  }
}

async function* csvRows(stream: Readable): AsyncGenerator<RawRow> {
  let columns: string[] | undefined;
  const parser = stream.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => (columns = header.map((h) => String(h).trim())),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 64 * 1024,
    }),
  );
  stream.on('error', (error) => parser.destroy(error));
  let row = 1;
  try {
    for await (const record of parser as AsyncIterable<Record<string, unknown>>) {
      row += 1;
      yield { rowNumber: row, raw: record, ...(row === 2 && columns && { columns }) };
    }
  } catch (error) {
    throw malformed('CSV', error, row + 1);
  }
}

async function* xlsxRows(stream: Readable): AsyncGenerator<RawRow> {
  // Loaded on the first workbook read: exceljs is some 500 modules (0.6 s of CPU and 25 MB on
  // every start otherwise), and most instances never read a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    // Styles are read only to tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let header: string[] | undefined;
  let first = true;
  let last = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        last = row.number;
        const values = (row.values as unknown[]).slice(1);
        if (!header) {
          header = values.map((v) => (v === null || v === undefined ? '' : String(v).trim()));
          continue;
        }
        const raw: Record<string, unknown> = {};
        let any = false;
        header.forEach((name, i) => {
          const value = values[i];
          if (!name || value === null || value === undefined || value === '') return;
          raw[name] = value;
          any = true;
        });
        if (any) yield { rowNumber: row.number, raw, ...(first && { columns: header }) };
        if (any) first = false;
      }
      // Only the first worksheet is the feed.
      break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw malformed('XLSX', error, last + 1);
  }
  if (!header)
    throw invalid('The workbook has no rows: the first row must name the columns', 'file');
}

async function* jsonLineRows(stream: Readable): AsyncGenerator<RawRow> {
  let rest = '';
  let line = 0;
  const decoder = new TextDecoder('utf-8');
  const parse = (text: string): RawRow | undefined => {
    line += 1;
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid(`Line ${line} is not JSON`, 'file', { rowNumber: line });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(`Line ${line} is not a JSON object`, 'file', { rowNumber: line });
    }
    return { rowNumber: line, raw: value as Record<string, unknown> };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const row = parse(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      if (row) yield row;
      newline = rest.indexOf('\n');
    }
    if (rest.length > 1024 * 1024) throw invalid(`Line ${line + 1} is longer than 1 MB`, 'file');
  }
  const last = parse(rest + decoder.decode());
  if (last) yield last;
}

async function* jsonRows(stream: Readable, maxBytes: number): AsyncGenerator<RawRow> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new AppError(
        'too_large',
        `A JSON feed is read whole and may be at most ${maxBytes} bytes: send JSON lines (.jsonl) for larger feeds`,
      );
    }
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid('The file is not valid JSON', 'file');
  }
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { avails?: unknown }).avails)
      ? (value as { avails: unknown[] }).avails
      : undefined;
  if (!items) throw invalid('A JSON feed is an array of rows (or {"avails": [...]})', 'file');
  for (const [index, item] of items.entries()) {
    const raw =
      item && typeof item === 'object' && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : { value: item };
    yield { rowNumber: index + 1, raw };
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('too_large', `The file is larger than ${maxBytes} bytes; split it`);
}

function malformed(kind: string, error: unknown, row: number): AppError {
  if (error instanceof AppError) return error;
  const reason =
    error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable';
  return invalid(`The ${kind} file could not be read near row ${row}: ${reason}`, 'file', {
    rowNumber: row,
  });
}
