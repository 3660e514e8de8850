import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * The parser-alone baseline of bench/modular-feeds.ts, in its own process so its memory is
 * measured the way the server's is: waits for a line on stdin, reads the file given as the
 * first argument with the parser alone (csv-parse's stream; exceljs's streaming reader, as the
 * server uses them) and prints the row count.
 */
const file = process.argv[2]!;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await lines.next();
let rows = 0;
if (file.endsWith('.csv')) {
  for await (const _ of createReadStream(file).pipe(parseCsv({ columns: true }))) rows++;
} else {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
    sharedStrings: 'cache',
    worksheets: 'emit',
  });
  for await (const sheet of reader) for await (const _ of sheet) rows++;
}
process.stdout.write(`${rows}\n`);
process.exit(0);
