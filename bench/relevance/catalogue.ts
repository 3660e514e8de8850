import { adapterEntries } from './catalogue-adapters.js';
import { adServerEntries } from './catalogue-adservers.js';
import { agentEntries } from './catalogue-agents.js';
import { spreadsheetEntries } from './catalogue-sheets.js';
import type { Entry } from './types.js';

/**
 * The mixed catalogue, in the storefront's source order (spreadsheet, ad server, adapters,
 * agents): the order ties keep.
 */
export function catalogue(): Entry[] {
  const all = [
    ...spreadsheetEntries(),
    ...adServerEntries(),
    ...adapterEntries(),
    ...agentEntries(),
  ];
  const ids = new Set<string>();
  for (const e of all) {
    if (ids.has(e.product.product_id))
      throw new Error(`duplicate product id ${e.product.product_id}`);
    ids.add(e.product.product_id);
  }
  return all;
}
