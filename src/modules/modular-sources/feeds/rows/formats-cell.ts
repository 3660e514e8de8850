/**
 * The formats cell of a row: a list of format names, sizes or ids ("MPU, leaderboard"), or a JSON
 * list of format options; each entry read by format-names.ts, an unknown one refused by name.
 */
import { formatKinds } from '../../../../platform/formats.js';
import type { AvailDefaults, FormatOption } from '../avail.js';
import { cellText, clip, parseJson } from './cells.js';
import { formatHint, readFormat } from './format-names.js';
import type { RowReader } from './row-reader.js';
import type { MediaChannel } from './vocabulary.js';

/** The row's formats, and the cell as written when it was text (shown beside the mapping). */
export function formatsOf(
  row: RowReader,
  defaults: AvailDefaults,
  context: { channel: MediaChannel | null; ownAgent: boolean },
): { options: FormatOption[]; written?: string } {
  if (!row.has('formats')) {
    if (defaults.formatOptions?.length) return { options: defaults.formatOptions };
    row.problem('REQUIRED_FIELD_MISSING', 'formats', `formats is required. ${formatHint}`);
    return { options: [] };
  }
  const cell = row.cell('formats');
  const value = typeof cell === 'string' ? cell.trim() : cell;
  if (Array.isArray(value) || (typeof value === 'string' && value.startsWith('['))) {
    const list = typeof value === 'string' ? parseJson(value) : value;
    if (Array.isArray(list) && list.length > 0 && list.every(isFormatOption)) {
      return { options: list as FormatOption[] };
    }
    row.problem(
      'INVALID_CANONICAL_FORMATS',
      'formats',
      'formats must be format ids or format options',
    );
    return { options: [] };
  }
  const written = cellText(value);
  const entries = written
    .split(/[|,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const options: FormatOption[] = [];
  for (const entry of entries) {
    const option = readFormat(entry, context);
    if (!option) {
      row.problem(
        'UNKNOWN_FORMAT',
        'formats',
        `"${clip(entry, 60)}" is not a format this source can sell. ${formatHint}`,
      );
      return { options: [] };
    }
    if (!options.some((o) => o.format_option_id === option.format_option_id)) options.push(option);
  }
  if (options.length === 0) {
    row.problem('UNKNOWN_FORMAT', 'formats', `formats names no format. ${formatHint}`);
  }
  return { options, written: clip(written, 200) };
}

function isFormatOption(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const option = value as Record<string, unknown>;
  return (
    typeof option['format_kind'] === 'string' &&
    (formatKinds as readonly string[]).includes(option['format_kind']) &&
    (option['params'] === undefined ||
      (typeof option['params'] === 'object' && option['params'] !== null))
  );
}
