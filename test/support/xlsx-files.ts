import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Workbooks written byte by byte, small on disk whatever they inflate to: the XLSX attacks of
 * issue 45 (shared-strings and inflation bombs, empty rows, out-of-range row numbers) and the
 * large honest sheets the memory bounds are measured with. Shared by the upload tests and
 * scripts/upload-probe.ts.
 *
 * A large entry is a piece of XML repeated `times`: the piece is deflated once (a fresh
 * compressor, flushed to a byte boundary, so it refers to nothing before it) and its compressed
 * bytes are repeated, then a final empty block ends the stream. Inflating gives the piece
 * `times` over, and the file stays a few kilobytes whatever `times` is.
 */
export interface ZipEntry {
  name: string;
  data: Buffer | Repeated;
  /** Sizes to write in the headers instead of the true ones (a zip that lies). */
  declared?: { compressed?: number; uncompressed?: number };
}

export interface Repeated {
  head?: string;
  piece: string;
  times: number;
  tail?: string;
}

interface Packed {
  compressed: Buffer[];
  compressedSize: number;
  size: number;
  crc: number;
}

const finalBlock = deflateRawSync(Buffer.alloc(0));
const flushed = (text: string) =>
  deflateRawSync(Buffer.from(text), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });

function pack(data: Buffer | Repeated): Packed {
  if (Buffer.isBuffer(data)) {
    const compressed = deflateRawSync(data);
    return {
      compressed: [compressed],
      compressedSize: compressed.length,
      size: data.length,
      crc: crc32(data),
    };
  }
  const head = Buffer.from(data.head ?? '');
  const tail = Buffer.from(data.tail ?? '');
  // A piece of about 64 kB compresses at deflate's best ratio; it is repeated as often as needed.
  const copies = Math.max(1, Math.min(data.times, Math.floor(65_536 / data.piece.length)));
  const chunk = Buffer.from(data.piece.repeat(copies));
  const whole = Math.floor(data.times / copies);
  const rest = Buffer.from(data.piece.repeat(data.times - whole * copies));
  const chunkDeflated = flushed(chunk.toString());
  const compressed = [flushed(head.toString()), ...Array<Buffer>(whole).fill(chunkDeflated)];
  if (rest.length) compressed.push(flushed(rest.toString()));
  compressed.push(flushed(tail.toString()), finalBlock);
  let crc = crc32(head);
  for (let i = 0; i < whole; i++) crc = crc32(chunk, crc);
  crc = crc32(tail, crc32(rest, crc));
  return {
    compressed,
    compressedSize: compressed.reduce((n, b) => n + b.length, 0),
    size: head.length + whole * chunk.length + rest.length + tail.length,
    crc,
  };
}

/** A zip archive (deflate, no data descriptors) of `entries`, in order. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const packed = pack(entry.data);
    const name = Buffer.from(entry.name);
    const compressedSize = entry.declared?.compressed ?? packed.compressedSize;
    const size = entry.declared?.uncompressed ?? packed.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.crc >>> 0, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.crc >>> 0, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, ...packed.compressed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.compressedSize;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface WorkbookParts {
  /** The first worksheet's XML, or its parts repeated. */
  sheet: Buffer | Repeated;
  sharedStrings?: Buffer | Repeated;
  styles?: string;
  /** Sizes the sheet's headers claim instead of its true ones (a zip that lies). */
  sheetDeclared?: ZipEntry['declared'];
  /** More entries, e.g. a bomb beside an honest sheet. */
  extra?: ZipEntry[];
}

/** A workbook Excel opens: the package's parts around the sheet (and shared strings) given. */
export function xlsxOf(parts: WorkbookParts): Buffer {
  const xml = (s: string) =>
    Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  return zipOf([
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: xml(
        `<workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Avails" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` +
          `<Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/>` +
          '</Relationships>',
      ),
    },
    ...(parts.styles ? [{ name: 'xl/styles.xml', data: xml(parts.styles) }] : []),
    ...(parts.sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: parts.sharedStrings }] : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: parts.sheet,
      ...(parts.sheetDeclared && { declared: parts.sheetDeclared }),
    },
    ...(parts.extra ?? []),
  ]);
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Column letters of a 0-based index (0 → A, 26 → AA). */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** A row of inline-string cells (numbers as numbers), as Excel writes one. */
export function rowXml(rowNumber: number, cells: Array<string | number>): string {
  const xml = cells
    .map((value, i) => {
      const ref = `${columnName(i)}${rowNumber}`;
      return typeof value === 'number'
        ? `<c r="${ref}"><v>${value}</v></c>`
        : `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(value)}</t></is></c>`;
    })
    .join('');
  return `<row r="${rowNumber}">${xml}</row>`;
}

/** A worksheet's XML around its rows. */
export const sheetXml = (rows: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${ns}"><sheetData>${rows}</sheetData></worksheet>`,
  );

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${ns}"><sheetData>`;
const sheetTail = '</sheetData></worksheet>';

/**
 * Shared strings as a bomb: `count` empty strings (`<si><t/></si>`, 12 bytes each inflated),
 * beside a sheet of one header row. 30 million of them made 1.7 MB in issue 45.
 */
export function sharedStringsBomb(count: number): Buffer {
  return xlsxOf({
    sheet: sheetXml(rowXml(1, ['avail_id', 'name'])),
    sharedStrings: {
      head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${ns}" count="${count}" uniqueCount="${count}">`,
      piece: '<si><t/></si>',
      times: count,
      tail: '</sst>',
    },
  });
}

/** A worksheet that inflates to about `bytes` of whitespace inside its sheet data. */
export function inflationBomb(bytes: number): Buffer {
  return xlsxOf({
    sheet: {
      head: `${sheetHead}${rowXml(1, ['avail_id'])}`,
      piece: ' '.repeat(1024),
      times: Math.ceil(bytes / 1024),
      tail: sheetTail,
    },
  });
}

/** A header row and `count` empty row elements after it (`<row r="n"/>`, numbered). */
export function emptyRowsXlsx(count: number): Buffer {
  const rows: string[] = [rowXml(1, ['avail_id', 'name'])];
  for (let r = 2; r <= count + 1; r++) rows.push(`<row r="${r}"/>`);
  return xlsxOf({ sheet: sheetXml(rows.join('')) });
}

/** Empty row elements without numbers, repeated: millions of rows in a few kilobytes. */
export function unnumberedEmptyRowsXlsx(count: number): Buffer {
  return xlsxOf({
    sheet: {
      head: `${sheetHead}${rowXml(1, ['avail_id'])}`,
      piece: '<row/>',
      times: count,
      tail: sheetTail,
    },
  });
}

/** A header row, then one row numbered `rowNumber` (issue 45: r="99999999999"). */
export function rowNumberXlsx(rowNumber: string, cells: Array<string | number>): Buffer {
  const header = rowXml(1, ['avail_id', 'name']);
  const row = rowXml(2, cells).replace('<row r="2">', `<row r="${rowNumber}">`);
  return xlsxOf({ sheet: sheetXml(header + row) });
}

/** The columns of an avails feed, as the modular-source tests write them. */
export const availColumns = [
  'avail_id',
  'name',
  'collection',
  'channel',
  'start_time',
  'end_time',
  'impressions',
  'cpm',
  'currency',
  'formats',
  'publisher_domain',
];

/** Row `i` of an honest avails feed (a month from tomorrow, 5,000 impressions). */
export function availCells(i: number): Array<string | number> {
  const day = 86_400_000;
  const start = new Date(Math.floor(Date.now() / day) * day + day).toISOString();
  const end = new Date(Math.floor(Date.now() / day) * day + 31 * day).toISOString();
  return [
    `avail-${i}`,
    `Homepage takeover ${i}`,
    'homepage',
    'display',
    start,
    end,
    5000,
    12.5,
    'USD',
    'display_300x250',
    'news.example',
  ];
}

/** An honest workbook of `rows` avails (inline strings), a header row first. */
export function availsXlsx(rows: number): Buffer {
  const xml: string[] = [rowXml(1, availColumns)];
  for (let i = 1; i <= rows; i++) xml.push(rowXml(i + 1, availCells(i)));
  return xlsxOf({ sheet: sheetXml(xml.join('')) });
}

/** The same avails as CSV. */
export function availsCsv(rows: number): Buffer {
  const lines: string[] = [availColumns.join(',')];
  for (let i = 1; i <= rows; i++) lines.push(availCells(i).join(','));
  return Buffer.from(`${lines.join('\n')}\n`);
}
