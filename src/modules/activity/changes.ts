/** What one update changed, field by field, as the setup log records it. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * The fields of `patch` whose value differs from `before` (compared as JSON, so arrays and
 * objects compare by content; a missing value reads as null). `redacted` fields are recorded
 * with placeholders instead of their values (secrets never reach the log).
 */
export function changesOf(
  before: object,
  patch: object,
  options: {
    fields?: readonly string[];
    redacted?: Record<string, { from: string; to: string }>;
  } = {},
): Changes {
  const changes: Changes = {};
  const was = before as Record<string, unknown>;
  const next = patch as Record<string, unknown>;
  for (const field of options.fields ?? Object.keys(next)) {
    const to = next[field];
    if (to === undefined) continue;
    const placeholder = options.redacted?.[field];
    if (placeholder) {
      changes[field] = { ...placeholder };
      continue;
    }
    const from = was[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** "Product rule "X" updated: price, name", or "…: no changes". */
export const describeChanges = (what: string, changes: Changes) =>
  `${what} updated: ${Object.keys(changes).join(', ') || 'no changes'}`;

export const changed = (changes: Changes) => Object.keys(changes).length > 0;
