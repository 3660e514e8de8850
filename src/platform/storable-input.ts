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
