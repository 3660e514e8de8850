import { adapterEntries } from './catalogue-adapters.js';
import { adServerEntries } from './catalogue-adservers.js';
import { agentEntries } from './catalogue-agents.js';
import { spreadsheetEntries } from './catalogue-sheets.js';
import { grownAdServerEntries, grownAdapterEntries, grownAgentEntries } from './grown-others.js';
import { grownSpreadsheetEntries } from './grown-sheets.js';
import type { Entry, Product } from './types.js';

/** The CPM a buyer would pay at least: a fixed price, else the floor; null when neither. */
function cpmOf(product: Product): number | null {
  const prices = product.pricing_options.flatMap((p) => {
    const o = p as { fixed_price?: number; floor_price?: number };
    return o.fixed_price ?? o.floor_price ?? [];
  });
  return prices.length ? Math.min(...prices) : null;
}

/**
 * The mixed catalogue, in the storefront's source order (spreadsheet, ad server, adapters,
 * agents): the order ties keep. Each product's truth gains its CPM from its pricing (a price is
 * structured, not text).
 */
export function catalogue(): Entry[] {
  const all = [
    ...spreadsheetEntries(),
    ...grownSpreadsheetEntries(),
    ...adServerEntries(),
    ...grownAdServerEntries(),
    ...adapterEntries(),
    ...grownAdapterEntries(),
    ...agentEntries(),
    ...grownAgentEntries(),
  ];
  const ids = new Set<string>();
  for (const e of all) {
    if (ids.has(e.product.product_id))
      throw new Error(`duplicate product id ${e.product.product_id}`);
    ids.add(e.product.product_id);
    e.truth = { ...e.truth, cpm: cpmOf(e.product) };
  }
  return all;
}
