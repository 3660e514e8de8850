import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import type { Product } from '../types.js';

/**
 * Publisher authorization as the agent applies it under the strict policy: whether a publisher
 * domain's adagents.json lists the storefront's agent or the source agent it resells, from the
 * storefront's last reads (publisher-authorization gateFor).
 */
export interface PublisherGate {
  gateFor(
    storefront: StorefrontRow,
    domains: string[],
  ): Promise<(domain: string, sourceEndpointUrl: string | null) => boolean>;
}

/** One source's products and the endpoint of its agent (null: no agent, e.g. the sandbox). */
export interface OfferedProducts {
  products: Product[];
  sourceEndpointUrl: string | null;
}

/**
 * The products whose every publisher domain authorizes the storefront's agent or the source's:
 * a product naming an unauthorized (not listed, file missing or invalid, not read yet) domain is
 * not offered; one naming no domain is. Answers the products in the order offered.
 */
export async function authorizedOnly(
  gate: PublisherGate,
  storefront: StorefrontRow,
  offered: OfferedProducts[],
): Promise<Product[]> {
  const domainsOf = (product: Product) =>
    (product.publisher_properties ?? []).flatMap((p) =>
      typeof p.publisher_domain === 'string' ? [p.publisher_domain.toLowerCase()] : [],
    );
  const all = [
    ...new Set(
      offered.flatMap(({ products }) => products.flatMap((product) => domainsOf(product))),
    ),
  ];
  if (all.length === 0) return offered.flatMap(({ products }) => products);
  const authorized = await gate.gateFor(storefront, all);
  return offered.flatMap(({ products, sourceEndpointUrl }) =>
    products.filter((product) =>
      domainsOf(product).every((domain) => authorized(domain, sourceEndpointUrl)),
    ),
  );
}
