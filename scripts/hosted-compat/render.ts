import type { CompatRow, Gap, GapKind } from './compare.js';
import { type ReasonEntry, reasons as allReasons } from './reasons.js';

export const beginMarker =
  '<!-- BEGIN GENERATED: hosted gaps (npm run compat:doc writes this; do not edit by hand) -->';
export const endMarker = '<!-- END GENERATED: hosted gaps -->';

/** How reasons.ts names an operation: its operationId, prefixed by its document when shared. */
export function opKeyOf(row: CompatRow, rows: readonly CompatRow[]): string {
  const shared = rows.filter((r) => r.operationId === row.operationId).length > 1;
  return shared ? `${row.api}:${row.operationId}` : row.operationId;
}

const gapKey = (op: string, kind: GapKind, field: string) => `${op} ${kind} ${field}`;

/** reasons.ts flattened to `op kind field` → reason. */
export function reasonIndex(entries: readonly ReasonEntry[] = allReasons): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of entries) {
    for (const op of entry.ops) {
      if (entry.operation) out.set(gapKey(op, 'operation', ''), entry.operation);
      for (const kind of ['body', 'required', 'optional', 'query', 'response'] as const) {
        for (const [field, why] of Object.entries(entry[kind] ?? {})) {
          out.set(gapKey(op, kind, field), why);
        }
      }
    }
  }
  return out;
}

/** The gaps with no reason, and the reasons for gaps that no longer exist. */
export function reasonProblems(rows: readonly CompatRow[], index = reasonIndex()) {
  const used = new Set<string>();
  const unexplained: string[] = [];
  for (const row of rows) {
    for (const gap of row.gaps) {
      const key = gapKey(opKeyOf(row, rows), gap.kind, gap.field);
      if (index.has(key)) used.add(key);
      else unexplained.push(key);
    }
  }
  return { unexplained, stale: [...index.keys()].filter((k) => !used.has(k)) };
}

function gapLine(gap: Gap): string {
  const f = `\`${gap.field}\``;
  switch (gap.kind) {
    case 'operation':
      return 'not served';
    case 'body':
      return `request field ${f} not accepted`;
    case 'required':
      return `request field ${f} required here, not in hosted's body`;
    case 'optional':
      return `request field ${f} required here, optional in hosted's`;
    case 'query':
      return `query parameter ${f} not taken`;
    case 'response':
      return `response field ${f}${gap.required ? ' (hosted: required)' : ''} not answered`;
  }
}

export const countsOf = (rows: readonly CompatRow[]) => ({
  operations: rows.length,
  present: rows.filter((r) => r.present).length,
  clean: rows.filter((r) => r.present && !r.gaps.length).length,
  gaps: rows.reduce((n, r) => n + r.gaps.length, 0),
});

/** The generated section, markers included. */
export function renderSection(rows: readonly CompatRow[], index = reasonIndex()): string {
  const groups = [...new Set(rows.map((r) => r.group))];
  const out = [
    beginMarker,
    '',
    'Every gap the compatibility check finds between the hosted documents',
    '(`test/fixtures/hosted-openapi/`, the operations of its `scope.tsv`) and the OpenAPI documents',
    'this server serves, with why it is left out (reasons: `scripts/hosted-compat/reasons.ts`).',
    '`test/compat/hosted-api.test.ts` fails when this section is stale or a gap has no reason.',
    '',
    '| group | hosted operations | served | shape-clean | gaps |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const g of [...groups, null]) {
    const c = countsOf(g ? rows.filter((r) => r.group === g) : rows);
    out.push(`| ${g ?? 'total'} | ${c.operations} | ${c.present} | ${c.clean} | ${c.gaps} |`);
  }
  for (const g of groups) {
    const withGaps = rows.filter((r) => r.group === g && r.gaps.length);
    out.push('', `### Group \`${g}\``, '');
    if (!withGaps.length) out.push('No gaps: every operation is served and shape-clean.');
    for (const row of withGaps) {
      const op = opKeyOf(row, rows);
      out.push(`- \`${row.method} ${row.path}\` (${op})`);
      for (const gap of row.gaps) {
        const why = index.get(gapKey(op, gap.kind, gap.field)) ?? '**no reason given**';
        out.push(`  - ${gapLine(gap)}: ${why}`);
      }
    }
  }
  out.push('', endMarker);
  return out.join('\n');
}

/** The document with its generated section replaced (the markers must be there once each). */
export function spliceSection(doc: string, section: string): string {
  const start = doc.indexOf(beginMarker);
  const end = doc.indexOf(endMarker);
  if (start < 0 || end < start || doc.indexOf(beginMarker, start + 1) >= 0) {
    throw new Error('docs/hosted-compatibility.md needs one BEGIN and one END generated marker');
  }
  return doc.slice(0, start) + section + doc.slice(end + endMarker.length);
}
