/**
 * Reading one cell of a feed: text, numbers (rounded as their database column stores them),
 * dates PostgreSQL can store, lists and JSON. Spreadsheet cells may be numbers, dates, rich text
 * or formula results; CSV and JSON cells are text or JSON values.
 */

export const isBlank = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** A cell as text: spreadsheet cells may be numbers, dates, rich text or formula results. */
export function cellText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const cell = value as { result?: unknown; text?: unknown; richText?: Array<{ text: string }> };
    if (cell.result !== undefined) return cellText(cell.result);
    if (typeof cell.text === 'string') return cell.text.trim();
    if (Array.isArray(cell.richText))
      return cell.richText
        .map((r) => r.text)
        .join('')
        .trim();
    return JSON.stringify(value);
  }
  return '';
}

/**
 * At most `max` UTF-16 units of `text`, never half a surrogate pair: a lone surrogate is not
 * storable text (PostgreSQL refuses it in jsonb), so a cut through an emoji would fail the write.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, end);
}

/** A cell as shown in a diagnostic: its text, clipped. */
export const shown = (value: unknown) => clip(cellText(value), 200);

/**
 * A decimal written in a cell ("1,250.50", "$12", "7") as a plain decimal string, or undefined.
 * A spreadsheet number is written out in full (never as 1e-7).
 */
export function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // Past 10^15 a double has no decimals left to round; the bounds refuse it anyway.
    return Math.abs(value) >= 1e15 ? BigInt(Math.trunc(value)).toString() : value.toFixed(10);
  }
  const cleaned = cellText(value)
    .replace(/[,_\s]/g, '')
    .replace(/^\$/, '');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? cleaned : undefined;
}

/** A decimal (as decimalText gives it) as a number, or undefined. */
export function numberOf(value: unknown): number | undefined {
  const text = decimalText(value);
  return text === undefined ? undefined : Number(text);
}

/**
 * `decimal` rounded to `scale` places as PostgreSQL's numeric rounds (half away from zero), as a
 * string without trailing zeros: the value the column will hold, exactly, so a bound checked on
 * it is the bound the database applies.
 */
export function roundedDecimal(decimal: string, scale: number): string {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = decimal.replace(/^-/, '').split('.');
  const kept = BigInt(`${whole}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  const units = (fraction[scale] ?? '0') >= '5' ? kept + 1n : kept;
  const digits = units.toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const decimals = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = decimals ? `${integer}.${decimals}` : integer;
  return negative && units !== 0n ? `-${text}` : text;
}

/**
 * A date PostgreSQL stores as written: it has no year 0000 and JavaScript writes years past 9999
 * with a sign, so either would fail the commit (a 500); no avail runs before 1970 either.
 */
export function storableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1970 && year <= 9999;
}

/** A date (YYYY-MM-DD, start or end of that UTC day) or an ISO-8601 date-time. */
export function parseDate(text: string, endOfDay: boolean): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? date : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[|,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
