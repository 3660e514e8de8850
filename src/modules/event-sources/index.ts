/**
 * Event sources and conversion events of an advertiser (seed 004; AdCP sync_event_sources and
 * log_event): which pixels and feeds may send events, the events themselves (once per event
 * id), and their counts. The advertisers module shows an advertiser's sources in its nested GET
 * through `eventSourcesReader`, which needs only the database, so neither service waits on the
 * other; performance feedback counts conversions through `conversionsReader` likewise.
 */
export { createEventSourcesService, eventSourcesReader } from './service.js';
export type { EventSourcesService } from './service.js';
export { conversionsReader, type CountedEvent } from './conversions-store.js';
export { eventSourceRoutes } from './routes.js';
export { eventTypeSchema } from './schemas.js';
export type { EventSellers, SellerOutcome } from './sellers.js';
