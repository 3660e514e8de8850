/**
 * The merchandising event log: outcome events of storefront media buys (submitted for approval,
 * forwarded, forward failed, rejected, delivery reported), each tied to the discovery run that
 * showed the products, and the delivery the storefront agent relayed per package and day
 * (storefront_delivery_days). Written through the orders module (its buys' events, and delivery
 * the storefront agent reads); read, read-only through its own read model, by seller analytics
 * for attribution, and one buy's events (eventsOfBuy) by its timeline (order-views).
 */
export type { MerchandisingEvent } from './tables.js';
export { recordDeliveryDays, type PackageDays } from './delivery-days-store.js';
export {
  type EventSubject,
  eventsOfBuy,
  latestDeliveriesOf,
  recordMerchandisingEvent,
} from './store.js';
