/**
 * Publisher authorization: each publisher domain a storefront sells is checked against the
 * publisher's /.well-known/adagents.json (read through the guarded client, kept per storefront
 * with an expiry). Owns publisher_domain_checks.
 */
export {
  createPublisherAuthorizationService,
  type AuthorizationScheduler,
  type PublisherAuthorizationService,
} from './service.js';
export { publisherAuthorizationRoutes } from './routes.js';
export { publisherDomainSchema, type PublisherDomainReadiness } from './schemas.js';
export { agentKey } from './adagents.js';
