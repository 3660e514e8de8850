import { unreadable } from '../limits.js';
import { attributesOf, XmlScanner } from './xml.js';
import type { Zip, ZipEntry } from './zip.js';

/**
 * Where a workbook keeps what the feed reads: its first worksheet (the first tab), the shared
 * strings, and which cell styles show dates (a date is a number in a date style) and whether
 * dates count from 1904.
 */
export interface WorkbookParts {
  sheet: ZipEntry;
  sharedStrings: ZipEntry | undefined;
  dateStyles: Set<number>;
  date1904: boolean;
}

const maxStyles = 65_536;
const maxRelationships = 10_000;
const relationshipType = (type: string | undefined) => type?.slice(type.lastIndexOf('/') + 1);

export async function workbookParts(zip: Zip): Promise<WorkbookParts> {
  const required = (path: string, what: string) => {
    const entry = zip.entries.get(path);
    if (!entry)
      throw unreadable(
        `The file is not an XLSX workbook (it has no ${what}): save the sheet as .xlsx or .csv`,
      );
    return entry;
  };
  const rootRels = await relationships(zip, zip.entries.get('_rels/.rels'));
  const workbookPath =
    [...rootRels.values()].find((r) => r.type === 'officeDocument')?.target.replace(/^\/+/, '') ??
    'xl/workbook.xml';
  const workbook = required(workbookPath, workbookPath);
  const dir = workbookPath.includes('/')
    ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1)
    : '';
  const rels = await relationships(
    zip,
    zip.entries.get(`${dir}_rels/${workbookPath.slice(dir.length)}.rels`),
  );
  const resolve = (target: string) =>
    target.startsWith('/') ? target.slice(1) : `${dir}${target}`;
  const { firstSheetId, date1904 } = await workbookSettings(zip, workbook);
  const sheetTarget = firstSheetId ? rels.get(firstSheetId)?.target : undefined;
  const sheet = required(
    sheetTarget ? resolve(sheetTarget) : `${dir}worksheets/sheet1.xml`,
    'worksheet',
  );
  const byType = (type: string) => {
    const target = [...rels.values()].find((r) => r.type === type)?.target;
    return zip.entries.get(target ? resolve(target) : `${dir}${type}.xml`);
  };
  const styles = byType('styles');
  return {
    sheet,
    sharedStrings: byType('sharedStrings'),
    dateStyles: styles ? await dateStylesOf(zip, styles) : new Set(),
    date1904,
  };
}

async function scan(
  zip: Zip,
  entry: ZipEntry,
  handler: ConstructorParameters<typeof XmlScanner>[1],
) {
  const scanner = new XmlScanner(entry.name, handler);
  for await (const chunk of zip.text(entry)) scanner.feed(chunk);
  scanner.end();
}

async function relationships(zip: Zip, entry: ZipEntry | undefined) {
  const found = new Map<string, { type: string | undefined; target: string }>();
  if (!entry) return found;
  await scan(zip, entry, {
    open(name, attributes) {
      if (name !== 'Relationship' || found.size >= maxRelationships) return;
      const a = attributesOf(attributes);
      const id = a.get('Id');
      const target = a.get('Target');
      if (id && target) found.set(id, { type: relationshipType(a.get('Type')), target });
    },
    close() {},
    text() {},
  });
  return found;
}

async function workbookSettings(zip: Zip, entry: ZipEntry) {
  let firstSheetId: string | undefined;
  let date1904 = false;
  await scan(zip, entry, {
    open(name, attributes) {
      if (name === 'sheet' && firstSheetId === undefined)
        firstSheetId = attributesOf(attributes).get('id');
      if (name === 'workbookPr') {
        const value = attributesOf(attributes).get('date1904');
        date1904 = value === '1' || value === 'true';
      }
    },
    close() {},
    text() {},
  });
  return { firstSheetId, date1904 };
}

// Excel's built-in number formats that show dates and times.
const builtInDates = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** A custom number format shows a date when, quoted text and [colour/locale] aside, it has d, m, y, h or s. */
const isDateFormat = (code: string) =>
  /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').replace(/General/gi, ''));

async function dateStylesOf(zip: Zip, entry: ZipEntry): Promise<Set<number>> {
  const customDates = new Set<number>();
  const dates = new Set<number>();
  let inCellXfs = false;
  let index = 0;
  await scan(zip, entry, {
    open(name, attributes) {
      if (name === 'numFmt' && customDates.size < maxStyles) {
        const a = attributesOf(attributes);
        const id = Number(a.get('numFmtId'));
        if (Number.isInteger(id) && isDateFormat(a.get('formatCode') ?? '')) customDates.add(id);
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        if (index >= maxStyles)
          throw unreadable(`The workbook has more than ${maxStyles} cell styles`);
        const id = Number(attributesOf(attributes).get('numFmtId') ?? 0);
        if (builtInDates.has(id) || customDates.has(id)) dates.add(index);
        index += 1;
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return dates;
}
