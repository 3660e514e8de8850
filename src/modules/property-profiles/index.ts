/**
 * Property profiles: what a seller says of each of its sites (countries, audience, content), read
 * with every product of the site, of any source kind, by the storefront's ranking.
 */
export { createPropertyProfilesService, type PropertyProfilesService } from './service.js';
export { propertyProfileRoutes } from './routes.js';
