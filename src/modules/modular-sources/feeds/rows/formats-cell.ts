/**
 * The formats cell of a row: a list of format names, sizes or ids ("MPU, leaderboard"), or a JSON
 * list of format options; each entry read by format-names.ts, an unknown one refused by name.
 * Hosted's avail shape names the cell `formatOptions` (canonical format options, `format_kind`
 * and `params`), read here as the same field (columns.ts).
 */
import { z } from 'zod';
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
    const read = formatOptionsCell.safeParse(list);
    if (read.success) return { options: read.data };
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

/** A canonical format option, as `defaultFormatOptions` and hosted's `formatOptions` carry it. */
export const formatOptionSchema = z.object({
  format_option_id: z.string().max(255).optional(),
  publisher_domain: z.string().max(253).optional(),
  format_kind: z.enum(formatKinds),
  params: z.record(z.string(), z.unknown()),
});

/** A cell's list of format options: at least one; an option written without params has none. */
const formatOptionsCell = z
  .array(formatOptionSchema.extend({ params: formatOptionSchema.shape.params.default({}) }))
  .min(1)
  .max(100);
