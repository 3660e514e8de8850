/**
 * Advertisers (seed 004): a buyer's advertisers, their linked source accounts (discovered with
 * AdCP list_accounts), test cohorts and measurement config. Other modules (event sources,
 * catalogs) reach an advertiser through `requireAdvertiser` / `requireActive` on the service:
 * the caller's own advertiser, or NOT_FOUND.
 */
export { createAdvertisersService } from './service.js';
export type { AdvertisersService, AdvertisersDeps } from './service.js';
export type { AdvertiserRow } from './store.js';
export type { SourceAccess } from './source-access.js';
export { advertiserRoutes } from './routes.js';
export { advertiserParams } from './schemas.js';
