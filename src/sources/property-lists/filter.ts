/*
 * Seller-side property lists (AdCP 3.1 targeting `property_list`): which of a storefront's
 * products serve within a buyer's resolved lists. Pure: the lists arrive resolved (resolve.ts).
 */

/** A buyer's reference to a list kept by a property-list agent (core/property-list-ref.json). */
export interface PropertyListRef {
  agent_url: string;
  list_id: string;
  auth_token?: string;
}

/** A list as resolved from its agent: the domains it names, and where the buyer named it. */
export interface ResolvedPropertyList {
  ref: PropertyListRef;
  /** The request field the reference came from, for a refusal's `field`. */
  field: string;
  /** Its `domain` identifiers, lower-case (the identifiers a product's properties are keyed on). */
  domains: ReadonlySet<string>;
}

/**
 * What a buyer asked: run only within `include` (`property_list`) and never on `exclude`
 * (`property_list_exclude`, our addition beside the spec's `collection_list_exclude`).
 */
export interface PropertyLists {
  include?: ResolvedPropertyList;
  exclude?: ResolvedPropertyList;
}

/** The part of an AdCP product this reads: where it serves. */
export interface ServesOn {
  publisher_properties?: ReadonlyArray<{ publisher_domain?: string }> | undefined;
  property_targeting_allowed?: boolean | undefined;
}

/** Why a product serves outside a buyer's lists, or undefined when it serves within them. */
export function outsideLists(product: ServesOn, lists: PropertyLists): string | undefined {
  const domains = domainsOf(product);
  if (domains.length === 0) return 'the product names no publisher domain it serves on';
  // A product its buyer cannot narrow (property_targeting_allowed false, the spec's default)
  // runs on every one of its domains: all must be allowed. One that can be narrowed runs on the
  // intersection: at least one must be left.
  const narrowable = product.property_targeting_allowed === true;
  const { include, exclude } = lists;
  const allowed = (domain: string) =>
    (!include || include.domains.has(domain)) && !exclude?.domains.has(domain);
  const kept = domains.filter(allowed);
  if (kept.length === 0) return `it serves on ${domains.join(', ')}, none of them within the list`;
  if (!narrowable && kept.length < domains.length) {
    const outside = domains.filter((domain) => !allowed(domain));
    return `it serves on ${outside.join(', ')} outside the list and cannot be narrowed to it (property_targeting_allowed is false)`;
  }
  return undefined;
}

/** The distinct publisher domains a product serves on, lower-case. */
export function domainsOf(product: ServesOn): string[] {
  const domains = new Set<string>();
  for (const property of product.publisher_properties ?? []) {
    if (typeof property.publisher_domain === 'string') {
      domains.add(property.publisher_domain.toLowerCase());
    }
  }
  return [...domains];
}
