import { findUnstorableInput } from '../../../../platform/storable-input.js';
import type { RowDiagnostic } from '../avail.js';
import { unreadable } from './limits.js';

/**
 * Every key and value read from a file or a jsonText passes the check request bodies pass
 * (platform/storable-input.ts: NUL, unpaired surrogates, nesting past 64): one mechanism, so
 * nothing a body could not carry reaches a jsonb or text column by way of a file. A bad cell or
 * key is its row's problem, named by row and column; the row keeps an escaped copy of what it
 * held so the refusal itself can be stored and shown. A bad header is the whole file's.
 */
export interface CheckedRow {
  raw: Record<string, unknown>;
  /** Set when the row holds something the database cannot store: it is refused with these. */
  refused?: RowDiagnostic[];
}

/** `text` with NULs and unpaired surrogates written as escapes (\u0000, \ud800). */
const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

const shown = (text: string) => {
  const value = escaped(text);
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
};

export function checkRow(rowNumber: number, raw: Record<string, unknown>): CheckedRow {
  // Most rows are fine: one walk over the whole row decides that.
  if (!findUnstorableInput(raw)) return { raw };
  const refused: RowDiagnostic[] = [];
  const kept: [string, unknown][] = [];
  for (const [key, value] of Object.entries(raw)) {
    const badKey = findUnstorableInput(key);
    // Wrapped, the value sits as deep as it does in the row.
    const badValue = badKey ? undefined : findUnstorableInput([value]);
    if (!badKey && !badValue) {
      kept.push([key, value]);
      continue;
    }
    const column = escaped(key);
    const problem = badKey ? `field names ${badKey.problem}` : badValue!.problem;
    refused.push({
      rowNumber,
      column,
      ...(typeof value === 'string' && { value: shown(value) }),
      code: 'INVALID_VALUE',
      severity: 'ERROR',
      message: badKey ? `Column "${column}": ${problem}` : `${column} ${problem}`,
    });
    kept.push([column, typeof value === 'string' ? escaped(value) : `(not stored: it ${problem})`]);
  }
  // fromEntries defines own properties: a "__proto__" column stays a column.
  return refused.length ? { raw: Object.fromEntries(kept), refused } : { raw };
}

/** Column names of a sheet's header row; one the database cannot store is a 400 naming it. */
export function checkHeader(names: string[]): void {
  names.forEach((name, i) => {
    const found = findUnstorableInput(name);
    if (found) {
      throw unreadable(`The header of column ${i + 1} ${found.problem}`, 1);
    }
  });
}
