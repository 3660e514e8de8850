/**
 * The storefront's orders as its seller reads them: each buy's seller status (pending
 * approval, forwarding, booked, delivering…), the list urgent first and one buy's timeline; and
 * as their buyer reads them, beside its campaigns' buys (buyer-buys-store.ts). A read-only module: it
 * reads storefront_media_buys (module orders), customers' names (identity), campaign buys
 * (campaigns) and storefront names (storefronts) through its own projections (read-tables.ts)
 * and a buy's events through merchandising-events. Seller analytics builds its buy facts and
 * reporting on what it exports.
 */
export { createStorefrontMediaBuysService } from './service.js';
export type { StorefrontMediaBuysService } from './service.js';
export { registerOrderDownloads, storefrontMediaBuyRoutes } from './routes.js';
export type { OrderDownloads } from './order-download.js';
export type { OrderPorts } from './orders.js';
export { behindPaceRatio, type BehindPaceBuy } from './behind-pace.js';
export { customersRead, type ForwardLegRead, storefrontMediaBuysRead } from './read-tables.js';
export { mediaBuysOf, type MediaBuyReadRow } from './store.js';
export {
  confirmedBudgetOf,
  productIdsOf,
  type SellerMediaBuyStatus,
  sellerMediaBuyStatuses,
  sellerStatusOf,
} from './views.js';
