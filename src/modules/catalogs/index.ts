/**
 * Catalogs and their offerings (seed 004; AdCP sync_catalogs): CRUD, the hosted sync with
 * inline items and versions, streamed bulk import, and pushing catalogs to the sources an
 * advertiser linked accounts on. Reached through an advertiser of the caller's customer.
 */
export { createCatalogsService } from './service.js';
export type { CatalogsService } from './service.js';
export { createCatalogPartners } from './partners.js';
export { catalogRoutes, IMPORT_MAX_BYTES } from './routes.js';
export { csvOfferings, jsonLines } from './import-formats.js';
export { hashOf, itemOf } from './item-rules.js';
export type { CatalogItem } from './item-rules.js';
