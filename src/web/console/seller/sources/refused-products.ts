import type { ProductIssue } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import { panel, table, when } from '../../layout.js';

/**
 * The products a source answered that AdCP's product schema refuses (readiness
 * sourceDiagnostics[].invalidProducts): buyers are not shown them until the seller fixes them
 * where the source keeps them. Nothing when there are none; `sourceName` adds a Source column
 * (the readiness page lists every source's).
 */
export function refusedProductsPanel(
  issues: ReadonlyArray<ProductIssue & { sourceName?: string }>,
): string {
  if (issues.length === 0) return '';
  const bySource = issues.some((i) => i.sourceName !== undefined);
  const rows = issues.map((i) => [
    ...(bySource ? [e(i.sourceName ?? '')] : []),
    `<code>${e(i.productId)}</code>`,
    `<code>${e(i.field)}</code>`,
    e(i.message),
    when(i.firstSeenAt),
    when(i.lastSeenAt),
  ]);
  return panel(
    'refused-h',
    "Products left out of buyers' answers",
    `<p class="note">AdCP's product schema refuses these products, so no buyer is shown them; the source's other products still sell. Fix each where the source keeps it (the sheet, the ad server, the agent): it is sold again on the next answer that carries it valid.</p>
${table(
  "Products left out of buyers' answers",
  [...(bySource ? ['Source'] : []), 'Product', 'Field', 'What AdCP requires', 'Since', 'Last seen'],
  rows,
  '',
)}`,
  );
}
