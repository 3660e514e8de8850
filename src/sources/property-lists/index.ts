/**
 * Seller-side property lists (AdCP 3.1 `property_list` in get_products and in a package's
 * targeting): references read (ref.ts), resolved from the list's agent (resolve.ts) and
 * products judged against them (filter.ts). docs/property-lists.md.
 */
export {
  domainsOf,
  outsideLists,
  type PropertyListRef,
  type PropertyLists,
  type ResolvedPropertyList,
  type ServesOn,
} from './filter.js';
export {
  createPropertyListResolver,
  type ListFailure,
  type ListResolution,
  type PropertyListResolver,
  type ResolverOptions,
} from './resolve.js';
export { listRefsOf, type ListRefs } from './ref.js';
