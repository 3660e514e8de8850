/**
 * Advertisers (seed 004): a buyer's advertisers, their linked source accounts (discovered with
 * AdCP list_accounts), test cohorts and measurement config. Other modules (event sources,
 * catalogs) reach an advertiser through `requireAdvertiser` / `requireActive` on the service:
 * the caller's own advertiser, or NOT_FOUND (archived: CONFLICT for requireActive); they feed
 * the nested GET through the `eventSourcesOf` collaborator; the buying flow asks
 * `accounts.linkedAt` for the account to send a source.
 */
export { createAdvertisersService } from './service.js';
export type { AdvertisersService, AdvertisersDeps } from './service.js';
export type { AdvertiserRow, LinkRow } from './store.js';
export type { SourceAccess } from './accounts/source-access.js';
export { advertiserRoutes } from './routes.js';
export { advertiserParams } from './schemas.js';
