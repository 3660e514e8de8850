import type { SourceRegistry } from '../../../source-kinds/registry.js';
import type { InventorySource } from '../../../sources/port.js';
import { sourceRefused } from '../../../sources/refused.js';
import { outsideLists, type PropertyLists } from '../../../sources/property-lists/index.js';

/**
 * `registry` as a get_products naming property lists sees it: a source whose products say where
 * they serve (InventorySource.filtersByProperty: spreadsheets, ad servers) answers only those
 * serving within the lists; any other is left out of the answer with UNSUPPORTED_FEATURE on the
 * list's field, never asked and silently unfiltered.
 */
export function withPropertyLists(registry: SourceRegistry, lists: PropertyLists): SourceRegistry {
  return {
    async of(storefrontId, customerId) {
      const sources = await registry.of(storefrontId, customerId);
      // Routable too: the buyer's sandbox, asked beside the sellable sources, is narrowed alike.
      return {
        ...sources,
        sellable: sources.sellable.map((port) => filtered(port, lists)),
        routable: sources.routable.map((port) => filtered(port, lists)),
      };
    },
  };
}

function filtered(port: InventorySource, lists: PropertyLists): InventorySource {
  const field = (lists.include ?? lists.exclude)?.field ?? 'property_list';
  return Object.assign({}, port, {
    getProducts: async (...args: Parameters<InventorySource['getProducts']>) => {
      if (!port.filtersByProperty) {
        return {
          ok: false as const,
          error: sourceRefused(port.source, {
            code: 'UNSUPPORTED_FEATURE',
            message: `Source ${port.source.sourceId} cannot honour a property list: it does not say where its products serve, so its products are left out`,
            field,
            reason: 'property_list_unsupported',
          }),
        };
      }
      const answer = await port.getProducts(...args);
      if (!answer.ok) return answer;
      const products = answer.data.products.filter(
        (product) => outsideLists(product, lists) === undefined,
      );
      return { ...answer, data: { ...answer.data, products } };
    },
  });
}
