/** Property profiles: what a seller says of each of its sites (countries, audience, content). */
export { createPropertyProfilesService, type PropertyProfilesService } from './service.js';
export { propertyProfileRoutes } from './routes.js';
