/**
 * Linked storefronts (federation): link requests kept by the upstream storefront, decided by its
 * seller, and the link graph's loop check. Owns storefront_links.
 */
export {
  createStorefrontLinksService,
  linkLoop,
  type Downstream,
  type StorefrontLinksService,
} from './service.js';
export { storefrontLinkRoutes } from './routes.js';
export { linkSchema, type LinkView } from './schemas.js';
export type { LinkRow, LinkStatus } from './store.js';
export {
  linkChainOf,
  maxLinkHops,
  withLinkChain,
  type LinkAdmission,
  type LinkRefusal,
} from './admission.js';
