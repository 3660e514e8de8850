/**
 * One raw row being read: which column each field came from, and the problems found so far,
 * each naming the row, the column, the value and why.
 */
import type { AvailField, DiagnosticCode, RowDiagnostic } from '../avail.js';
import { cellText, shown } from './cells.js';
import { resolveColumns } from './columns.js';

const maxText = 255;

export class RowReader {
  readonly problems: RowDiagnostic[] = [];
  readonly fields = new Map<AvailField, { column: string; value: unknown }>();
  readonly metadata: Record<string, unknown> = {};

  constructor(
    readonly rowNumber: number,
    raw: Record<string, unknown>,
    columns: Map<string, AvailField | null>,
  ) {
    for (const [column, value] of Object.entries(raw)) {
      const field = columns.has(column)
        ? (columns.get(column) ?? null)
        : (resolveColumns([column], {}).get(column) ?? null);
      if (value === null || value === undefined || cellText(value) === '') continue;
      if (field) this.fields.set(field, { column, value });
      else this.metadata[column] = value;
    }
  }

  has(field: AvailField): boolean {
    return this.fields.has(field);
  }

  cell(field: AvailField): unknown {
    return this.fields.get(field)?.value;
  }

  problem(
    code: DiagnosticCode,
    field: AvailField | string,
    message: string,
    severity: 'ERROR' | 'WARNING' = 'ERROR',
  ): void {
    const cell = this.fields.get(field as AvailField);
    this.problems.push({
      rowNumber: this.rowNumber,
      field,
      ...(cell && { column: cell.column, value: shown(cell.value) }),
      code,
      severity,
      message,
    });
  }

  /** The field's cell as text (undefined when the row leaves it empty), at most 255 characters. */
  text(field: AvailField): string | undefined {
    const cell = this.fields.get(field);
    if (!cell) return undefined;
    const value = cellText(cell.value);
    if (value.length > maxText && field !== 'collectionDescription' && field !== 'targeting') {
      this.problem('INVALID_VALUE', field, `${field} is longer than ${maxText} characters`);
    }
    return value;
  }

  /** The field's text or `fallback`; a missing one is a problem (and answers ''). */
  required(field: AvailField, fallback?: string): string {
    const value = this.text(field) ?? fallback;
    if (value === undefined || value === '') {
      this.problem('REQUIRED_FIELD_MISSING', field, `${field} is required`);
      return '';
    }
    return value;
  }

  get failed(): boolean {
    return this.problems.some((p) => p.severity === 'ERROR');
  }
}
