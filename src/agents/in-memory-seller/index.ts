/**
 * An AdCP seller kept in memory (@adcp/sdk decisioning platform over a catalogue and a media-buy
 * book in an SDK state store): what the storefront sandbox sells on, and what the built-in demo
 * seller (src/demo) serves over MCP and A2A.
 */
export { createMediaBuyBook, type MediaBuyBook } from './book.js';
export {
  createInMemoryPlatform,
  createInMemorySeller,
  type InMemoryPlatform,
  type InMemorySeller,
} from './platform.js';
export {
  matchingFilters,
  selectProducts,
  type CatalogPrice,
  type Product,
  type SellerCatalog,
} from './catalog.js';
