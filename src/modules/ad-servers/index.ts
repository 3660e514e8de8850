/**
 * Ad-server sources (issue 40): Google Ad Manager (SOAP), FreeWheel and SpringServe as inventory
 * sources: sealed connections, inventory sync into products, orders booked and held for the
 * seller's approval at the ad server, delivery read back.
 */
export { createAdServersService, type AdServersService } from './service.js';
export { adServerRoutes } from './routes/index.js';
export { adServerExecutionType } from './context.js';
export { refreshSchema } from './answer-schemas.js';
export { defaultEndpoints, type AdServerEndpoints } from './adapters/registry.js';
// The MANAGED_SALES_AGENT kind's adapter (src/source-kinds/ad-server/) books through these.
export type { AdServerKindParts } from './kind-parts.js';
export type { ConnectionRow } from './context.js';
export { AdServerError } from './adapters/port.js';
export { placeOrder } from './booking/book.js';
export { cancelOrder } from './booking/cancel.js';
export { ordersOfBuyer, updateOrder } from './booking/orders-store.js';
export { BookingRefused, type OrderRow } from './booking/booking-request.js';
export { applyChanges, asksForChanges } from './booking/changes.js';
export { creativeChanges, creativeChangesOf } from './booking/creative-changes.js';
export { productsFor } from './product-set.js';
export { deliveryOf } from './reporting/import.js';
