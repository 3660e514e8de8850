import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '../../../../platform/errors.js';
import { unreadable } from './limits.js';
import { checkHeader } from './storable-rows.js';
import { dialectOf, localCell, peekHeaderLine } from './csv-dialect.js';

export interface FileRow {
  /** The row as a person finds it: the sheet's row number (header = 1), or the JSON item's (1-based). */
  rowNumber: number;
  raw: Record<string, unknown>;
  /** The header as the file wrote it, on the first row of a CSV or XLSX file (a JSON row has none). */
  columns?: string[];
}

/**
 * Rows of CSV text: the first record names the columns; cells are trimmed, blank lines skipped.
 * The delimiter (comma, semicolon, tab) is the one the header uses; with a semicolon, numbers
 * with a decimal comma are read as such (csv-dialect.ts). A file with no header, or with no row
 * under it, is refused as a whole: there is nothing to preview or commit.
 */
export async function* csvRows(input: AsyncIterable<string>): AsyncGenerator<FileRow> {
  const { headerLine, text } = await peekHeaderLine(input);
  const dialect = dialectOf(headerLine);
  const source = Readable.from(text);
  const parser = source.pipe(
    parseCsv({
      delimiter: dialect.delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 64 * 1024,
    }),
  );
  source.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  let row = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((name) => name.trim());
        checkHeader(header);
        continue;
      }
      row += 1;
      // fromEntries defines own properties: a "__proto__" header stays a column.
      const raw = Object.fromEntries(
        record.slice(0, header.length).map((value, i) => [header![i]!, localCell(value, dialect)]),
      );
      yield { rowNumber: row, raw, ...(row === 2 && { columns: header }) };
    }
  } catch (error) {
    throw malformed('CSV', error, row + 1);
  } finally {
    source.destroy();
  }
  if (!header) throw unreadable('The file is empty: it has no header row and no avails');
  if (row === 1) {
    throw unreadable(
      `The file has a header row and no avails under it (${header.length} columns read${dialect.delimiter === ',' ? '' : `, separated by "${dialect.delimiter === ';' ? ';' : 'tab'}"`}): nothing to put on sale`,
    );
  }
}

/** A parser's complaint as a 400 naming the file and the row near which it gave up. */
export function malformed(kind: string, error: unknown, row: number): AppError {
  if (error instanceof AppError) return error;
  const reason =
    error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable';
  return unreadable(`The ${kind} file could not be read near row ${row}: ${reason}`, row);
}
