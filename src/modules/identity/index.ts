/** Identity: customers, users, memberships, API keys and terms acceptance. */
export { createIdentityService } from './service.js';
export type { IdentityService, CustomerCreatedHook } from './service.js';
export { accountRoutes } from './routes/accounts.js';
export { adminIdentityRoutes } from './routes/admin.js';
export { currentTerms } from './terms.js';
export { customerDomainMissing, customerDomainMissingText } from './domain-notice.js';
export type { CustomerView } from './schemas.js';
export {
  assertMayTransact,
  assertStorefrontVisible,
  canSeeStorefront,
  isAgentExposed,
  maySeeStorefront,
  mayUseStorefrontAgent,
  storefrontScopeOf,
} from './scope.js';
export type { StorefrontExposure } from './scope.js';
export type { SponsoredBuyerView, SponsorshipAction } from './sponsorships.js';
export { sponsoredBuyerRoutes } from './routes/sponsored-buyers.js';
