import { checkDeadline, type ReadLimits, tooManyRows, unreadable } from '../limits.js';
import type { SharedStrings } from './shared-strings.js';
import { attributesOf, decodeEntities, XmlScanner } from './xml.js';

/** A row element of the sheet: its number and its cells' values by column index (0 = A). */
export interface SheetRow {
  rowNumber: number;
  values: Map<number, unknown>;
}

export interface SheetContext {
  part: string;
  strings: SharedStrings | undefined;
  dateStyles: Set<number>;
  date1904: boolean;
  limits: ReadLimits;
}

// Excel's own bounds: 1,048,576 rows, 16,384 columns (XFD), 32,767 characters a cell (its XML
// may spell each as an entity of up to 8 characters).
const maxRow = 1_048_576;
const maxColumn = 16_384;
const maxCellChars = 32_767;
const maxCellXml = maxCellChars * 8;

/**
 * The sheet's rows as the scanner finds them, every `<row>` element counted toward the row cap
 * and the deadline (empty ones too, so a sheet of millions of empty rows stops at the cap),
 * each handed to `onRow` when it closes. Row and cell positions are checked against Excel's
 * bounds: `r="99999999999"` is a 400 naming it, never a number stored.
 */
export function sheetScanner(context: SheetContext, onRow: (row: SheetRow) => void): XmlScanner {
  const { part, limits } = context;
  let rows = 0;
  let rowNumber = 0;
  let row: SheetRow | undefined;
  let column = -1;
  let cell: { type: string; style: number } | undefined;
  let collecting = false;
  let phonetic = 0;
  let pieces: string[] = [];
  let length = 0;

  const startRow = (attributes: string) => {
    rows += 1;
    if (rows > limits.maxRows + 1) throw tooManyRows(limits.maxRows);
    checkDeadline(limits, `row ${rowNumber + 1}`);
    const r = attributesOf(attributes).get('r');
    rowNumber = r === undefined ? rowNumber + 1 : positionOf(r, 'Row number', maxRow);
    if (rowNumber > maxRow) throw outOfRange('Row number', String(rowNumber), maxRow);
    row = { rowNumber, values: new Map() };
    column = -1;
  };
  const startCell = (attributes: string) => {
    const a = attributesOf(attributes);
    const ref = a.get('r');
    column = ref === undefined ? column + 1 : columnOf(ref, rowNumber);
    cell = { type: a.get('t') ?? 'n', style: Number(a.get('s') ?? 0) };
    pieces = [];
    length = 0;
  };
  const endCell = () => {
    if (!cell || !row) return;
    const value = cellValue(decodeEntities(pieces.join(''), part), cell, context, row.rowNumber);
    if (value !== undefined) row.values.set(column, value);
    cell = undefined;
  };

  return new XmlScanner(part, {
    open(name, attributes, selfClosing) {
      if (name === 'row') startRow(attributes);
      else if (name === 'c' && row) startCell(attributes);
      else if (name === 'rPh') phonetic += selfClosing ? 0 : 1;
      else if ((name === 'v' || name === 't') && cell && phonetic === 0 && !selfClosing)
        collecting = true;
    },
    close(name) {
      if (name === 'v' || name === 't') collecting = false;
      else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 'c') endCell();
      else if (name === 'row' && row) {
        onRow(row);
        row = undefined;
      }
    },
    text(piece) {
      if (!collecting) return;
      length += piece.length;
      if (length > maxCellXml) {
        throw unreadable(
          `Row ${rowNumber} holds a cell longer than ${maxCellChars} characters`,
          rowNumber,
        );
      }
      pieces.push(piece);
    },
  });
}

function cellValue(
  text: string,
  cell: { type: string; style: number },
  context: SheetContext,
  rowNumber: number,
): unknown {
  switch (cell.type) {
    case 's': {
      if (text === '') return undefined;
      const value = context.strings?.get(Number(text));
      if (value === undefined) {
        throw unreadable(
          `Row ${rowNumber} refers to shared string ${text.slice(0, 20)}, which the workbook does not have`,
          rowNumber,
        );
      }
      return value;
    }
    case 'inlineStr':
    case 'str':
    case 'e':
      return text === '' ? undefined : text;
    case 'b':
      return text === '1' || text === 'true';
    case 'd': {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? text : date;
    }
    default: {
      if (text === '') return undefined;
      const number = Number(text);
      if (Number.isNaN(number)) return text;
      return context.dateStyles.has(cell.style) ? excelDate(number, context.date1904) : number;
    }
  }
}

/** A serial day number as the instant it names (UTC, as the sheet shows it). */
function excelDate(serial: number, date1904: boolean): Date {
  const epochDays = date1904 ? 24_107 : 25_569;
  return new Date(Math.round((serial - epochDays) * 86_400_000));
}

function positionOf(text: string, what: string, max: number): number {
  if (!/^[0-9]{1,7}$/.test(text)) throw outOfRange(what, text, max);
  const value = Number(text);
  if (value < 1 || value > max) throw outOfRange(what, text, max);
  return value;
}

/** The 0-based column of a cell reference such as `AB12`. */
function columnOf(ref: string, rowNumber: number): number {
  const letters = /^([A-Za-z]{1,3})[0-9]*$/.exec(ref)?.[1];
  let index = 0;
  for (const letter of letters?.toUpperCase() ?? '')
    index = index * 26 + (letter.charCodeAt(0) - 64);
  if (!letters || index > maxColumn) {
    throw unreadable(
      `Row ${rowNumber} has a cell at ${ref.slice(0, 20)}, outside the sheet's columns (A to XFD)`,
      rowNumber,
    );
  }
  return index - 1;
}

function outOfRange(what: string, text: string, max: number) {
  return unreadable(`${what} ${text.slice(0, 20)} is out of range: a sheet's rows are 1 to ${max}`);
}
