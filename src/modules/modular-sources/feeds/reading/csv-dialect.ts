/**
 * The dialect of a CSV file, read from its header line: the delimiter a spreadsheet wrote (a
 * comma; a semicolon from Excel in locales whose decimal mark is a comma; a tab from a "Text
 * (tab-delimited)" export), and, with a semicolon, the decimal comma its numbers carry.
 */
export interface CsvDialect {
  delimiter: ',' | ';' | '\t';
  /** Numbers are written 1.234,5 (read as 1234.5). */
  decimalComma: boolean;
}

const candidates = [',', ';', '\t'] as const;

/** The delimiter the header line uses most, outside quotes; a comma when none appears. */
export function dialectOf(headerLine: string): CsvDialect {
  const counts = new Map<string, number>(candidates.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let delimiter: CsvDialect['delimiter'] = ',';
  for (const c of candidates) if (counts.get(c)! > counts.get(delimiter)!) delimiter = c;
  return { delimiter, decimalComma: delimiter === ';' };
}

/** 12,5 · -0,75 · 1.234,50 · 1.200.000 (numbers in a decimal-comma locale, dots grouping). */
const localNumber = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;

/** A cell as the rest of the reader expects it: `1.234,5` becomes `1234.5`; text is unchanged. */
export function localCell(value: string, dialect: CsvDialect): string {
  if (!dialect.decimalComma || !localNumber.test(value)) return value;
  return value.replaceAll('.', '').replace(',', '.');
}

/** The text with its first line read ahead (to learn the dialect), then all of it again. */
export async function peekHeaderLine(
  text: AsyncIterable<string>,
): Promise<{ headerLine: string; text: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  const seen: string[] = [];
  let joined = '';
  while (!/[\r\n]/.test(joined) && joined.length < 64 * 1024) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    joined += next.value;
  }
  async function* replay() {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  }
  return { headerLine: joined.split(/\r?\n|\r/, 1)[0] ?? '', text: replay() };
}
