/**
 * `npm run compat:doc`: writes the generated section of docs/hosted-compatibility.md from the
 * compatibility check of this checkout's app against the vendored hosted documents, and lists any
 * gap without a reason in scripts/hosted-compat/reasons.ts (exit 1).
 */
import { writeFileSync } from 'node:fs';
import { createHarness } from '../../test/harness.js';
import { countsOf, reasonProblems } from './render.js';
import { compatRows, docUrl, expectedDoc } from './doc.js';

const h = await createHarness();
try {
  const rows = await compatRows(h.app);
  writeFileSync(docUrl, await expectedDoc(rows));
  for (const g of [...new Set(rows.map((r) => r.group))]) {
    const c = countsOf(rows.filter((r) => r.group === g));
    console.log(
      `${g}: ${c.operations} hosted operations, ${c.present} present, ${c.clean} shape-clean`,
    );
  }
  const { unexplained, stale } = reasonProblems(rows);
  for (const k of unexplained) console.error(`no reason in reasons.ts for: ${k}`);
  for (const k of stale) console.error(`reasons.ts explains a gap that no longer exists: ${k}`);
  if (unexplained.length || stale.length) process.exitCode = 1;
} finally {
  await h.close();
}
// The embedded database this harness started outside vitest would keep the process alive; its
// keeper stops it when this process ends.
process.exit();
