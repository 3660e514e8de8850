/**
 * One CSV line's fields, quoted where they must be (RFC 4180), formulas defused: a cell starting
 * with = + - @ (or a tab or carriage return) is a formula to spreadsheet software (CSV
 * injection), so it is given a leading apostrophe. Lines end with CRLF.
 */
export function csvLine(fields: (string | number | null)[]): string {
  return `${fields
    .map((f) => {
      if (f === null) return '';
      if (typeof f === 'number') return String(f);
      const text = /^[=+\-@\t\r]/.test(f) ? `'${f}` : f;
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}
