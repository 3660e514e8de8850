import { AppError } from '../../../../platform/errors.js';
import type { FileRow } from './csv.js';
import { unreadable } from './limits.js';

const maxLineChars = 1024 * 1024;

/** Rows of JSON lines text: one object a line; blank lines are skipped but keep their numbers. */
export async function* jsonLineRows(text: AsyncIterable<string>): AsyncGenerator<FileRow> {
  let rest = '';
  let line = 0;
  const parse = (content: string): FileRow | undefined => {
    line += 1;
    if (content.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      throw unreadable(`Line ${line} is not JSON`, line);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw unreadable(`Line ${line} is not a JSON object`, line);
    }
    return { rowNumber: line, raw: value as Record<string, unknown> };
  };
  for await (const chunk of text) {
    rest += chunk;
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const row = parse(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      if (row) yield row;
      newline = rest.indexOf('\n');
    }
    if (rest.length > maxLineChars)
      throw unreadable(`Line ${line + 1} is longer than 1 MB`, line + 1);
  }
  const last = parse(rest);
  if (last) yield last;
}

/**
 * Rows of a JSON array (or {"avails": [...]}), which cannot be streamed without a parser of its
 * own: read whole within `maxBytes`.
 */
export async function* jsonRows(
  text: AsyncIterable<string>,
  maxBytes: number,
): AsyncGenerator<FileRow> {
  const chunks: string[] = [];
  let size = 0;
  for await (const chunk of text) {
    size += Buffer.byteLength(chunk);
    if (size > maxBytes) {
      throw new AppError(
        'too_large',
        `A JSON feed is read whole and may be at most ${maxBytes} bytes: send JSON lines (.jsonl) for larger feeds`,
        { field: 'file' },
      );
    }
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(chunks.join(''));
  } catch {
    throw unreadable('The file is not valid JSON');
  }
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { avails?: unknown }).avails)
      ? (value as { avails: unknown[] }).avails
      : undefined;
  if (!items) throw unreadable('A JSON feed is an array of rows (or {"avails": [...]})');
  for (const [index, item] of items.entries()) {
    const raw =
      item && typeof item === 'object' && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : { value: item };
    yield { rowNumber: index + 1, raw };
  }
}
