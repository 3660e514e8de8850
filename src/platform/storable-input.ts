/**
 * Input PostgreSQL cannot store, refused at every transport's edge (naming where it was) so
 * no store has to: U+0000 (refused in text and jsonb alike), unpaired UTF-16 surrogates (jsonb
 * refuses their escapes; text columns would silently turn them into U+FFFD), and JSON nested
 * deeper than anything we accept (jsonb and JSON.stringify run out of stack long before a
 * megabyte body runs out of brackets).
 */
export interface UnstorableInput {
  /** Where (object keys and array indexes, outermost first); a bad key names its object. */
  path: (string | number)[];
  /** What is wrong, for a user: "must not contain …". */
  problem: string;
}

/** No request of ours nests deeper; AdCP payloads, `ext` included, stay far below it. */
export const maxNesting = 64;

// Without the u flag a regex sees UTF-16 code units, so a lone surrogate is matchable.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters (U+0000)';
  if (loneSurrogate.test(text)) {
    return 'must be valid Unicode text (it contains an unpaired surrogate)';
  }
  return undefined;
}

/** A place in the value being walked; its path is rebuilt only when something is found there. */
interface Visit {
  value: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
  depth: number;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) path.push(v.key!);
  return path.reverse();
}

/**
 * The first unstorable string, object key or nesting in `value`, or undefined. Walks without
 * recursion and without copying paths, so any input costs linear time.
 */
export function findUnstorableInput(value: unknown): UnstorableInput | undefined {
  const pending: Visit[] = [{ value, key: undefined, parent: undefined, depth: 0 }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      const problem = problemOf(current);
      if (problem) return { path: pathOf(visit), problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (visit.depth >= maxNesting) {
      return { path: pathOf(visit), problem: `must not nest deeper than ${maxNesting} levels` };
    }
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((item, i) => [i, item])
      : Object.entries(current);
    for (const [key] of entries) {
      const problem = typeof key === 'string' ? problemOf(key) : undefined;
      // The key itself is no name to show back: point at the object holding it.
      if (problem) return { path: pathOf(visit), problem: `field names ${problem}` };
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      pending.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
    }
  }
  return undefined;
}

/**
 * Where JSON text nests deeper than `maxNesting`, read from the text before it is parsed, with
 * the same path and problem `findUnstorableInput` gives for the parsed value. Parsing builds every
 * level first (100,000 levels of `[` cost JSON.parse about 0.1 s of CPU) only for the validator to
 * refuse the value at level 65; this scan costs linear time in the text, strings skipped whole.
 * Text that is not JSON is left to the parser.
 */
export function findDeepJsonNesting(text: string): UnstorableInput | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) i = stringEnd(text, i);
    else if (c === openBracket || c === openBrace) {
      if (depth === maxNesting) {
        return {
          path: jsonPathAt(text, i),
          problem: `must not nest deeper than ${maxNesting} levels`,
        };
      }
      depth++;
    } else if (c === closeBracket || c === closeBrace) depth--;
  }
  return undefined;
}

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const comma = 0x2c;

/** The index of the quote closing the string opened at `start` (the text's end if none does). */
function stringEnd(text: string, start: number): number {
  for (let at = text.indexOf('"', start + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let escapes = 0;
    while (text.charCodeAt(at - 1 - escapes) === backslash) escapes++;
    if (escapes % 2 === 0) return at;
  }
  return text.length;
}

/** The object keys and array indexes leading to the value that starts at `end`. */
function jsonPathAt(text: string, end: number): (string | number)[] {
  const frames: { index: number; key: string | number | undefined; inObject: boolean }[] = [];
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const top = frames.at(-1);
    if (c === quote) {
      const close = stringEnd(text, i);
      // A string that follows `{` or `,` in an object is a key.
      if (top?.inObject && top.key === undefined) top.key = keyOf(text.slice(i, close + 1));
      i = close;
    } else if (c === openBracket) frames.push({ index: 0, key: 0, inObject: false });
    else if (c === openBrace) frames.push({ index: 0, key: undefined, inObject: true });
    else if (c === closeBracket || c === closeBrace) frames.pop();
    else if (c === comma && top) top.key = top.inObject ? undefined : ++top.index;
  }
  return frames.map((f) => f.key ?? '');
}

function keyOf(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}
