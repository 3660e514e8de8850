import type { ImportRecord } from './offerings.js';

/**
 * Readers for bulk offering imports, record by record from a byte stream so a file of any size
 * is never held in memory: JSON lines (one object per line) and CSV (RFC 4180: a header row,
 * quoted fields with "" escapes and line breaks inside quotes).
 */
export async function* jsonLines(input: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  let rest = '';
  let line = 0;
  const parse = (text: string): ImportRecord | undefined => {
    line += 1;
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    try {
      return { line, value: JSON.parse(trimmed) as unknown };
    } catch {
      return { line, value: undefined, error: 'this line is not a JSON object' };
    }
  };
  for await (const chunk of input) {
    rest += chunk;
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const record = parse(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      if (record) yield record;
      newline = rest.indexOf('\n');
    }
  }
  const last = parse(rest);
  if (last) yield last;
}

/** CSV rows as arrays of fields, with the line each row starts on. */
async function* csvRows(
  input: AsyncIterable<string>,
): AsyncGenerator<{ line: number; fields: string[] }> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  let pendingCr = false;
  for await (const chunk of input) {
    for (const ch of chunk) {
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (ch === '\n') line += 1;
          field += ch;
        }
        continue;
      }
      if (pendingCr && ch !== '\n') pendingCr = false;
      if (ch === '"') {
        // "" inside a quoted field is a quote; a quote opening a field starts quoting.
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (ch === '\r') {
        pendingCr = true;
      } else if (ch === '\n') {
        fields.push(field);
        yield { line: rowLine, fields };
        fields = [];
        field = '';
        afterQuote = false;
        pendingCr = false;
        line += 1;
        rowLine = line;
      } else {
        field += ch;
        afterQuote = false;
      }
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    yield { line: rowLine, fields };
  }
}

/** CSV columns that are an offering's own fields; every other column is an attribute. */
const columns: Record<string, string> = {
  offeringid: 'offeringId',
  offering_id: 'offeringId',
  id: 'offeringId',
  item_id: 'offeringId',
  sku: 'offeringId',
  title: 'title',
  name: 'title',
  description: 'description',
  price: 'price',
  currency: 'currency',
  landingurl: 'landingUrl',
  landing_url: 'landingUrl',
  link: 'landingUrl',
  url: 'landingUrl',
  imageurl: 'imageUrl',
  image_url: 'imageUrl',
  image_link: 'imageUrl',
};

/** CSV rows as offerings (camelCase, offeringId); empty cells are left out. */
export async function* csvOfferings(input: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  let header: string[] | undefined;
  for await (const row of csvRows(input)) {
    if (!header) {
      header = row.fields.map((h) => h.trim());
      continue;
    }
    if (row.fields.length === 1 && row.fields[0]?.trim() === '') continue;
    if (row.fields.length !== header.length) {
      yield {
        line: row.line,
        value: undefined,
        error: `this row has ${row.fields.length} fields; the header has ${header.length}`,
      };
      continue;
    }
    const offering: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    header.forEach((name, i) => {
      const cell = row.fields[i] ?? '';
      if (cell === '') return;
      const own = columns[name.toLowerCase()];
      if (own === undefined) attributes[name] = cell;
      else if (own === 'price')
        offering.price = Number.isFinite(Number(cell)) ? Number(cell) : cell;
      else if (offering[own] === undefined) offering[own] = cell;
      else attributes[name] = cell;
    });
    if (Object.keys(attributes).length > 0) offering.attributes = attributes;
    if (offering.offeringId === undefined) offering.offeringId = '';
    yield { line: row.line, value: offering };
  }
}
