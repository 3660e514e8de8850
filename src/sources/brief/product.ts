import type { BriefCandidate } from './match.js';
import { countryOfDomain } from './places.js';

/** The parts of an AdCP product the matcher reads (any kind's products have them). */
export interface ProductLike {
  name: string;
  description?: string | undefined;
  channels?: readonly string[] | undefined;
  format_ids?: ReadonlyArray<{ id: string }> | undefined;
  /** 3.1's canonical format declarations: a v2-only product carries these and no format_ids. */
  format_options?: ReadonlyArray<object> | undefined;
  pricing_options?: ReadonlyArray<object> | undefined;
  publisher_properties?: ReadonlyArray<{ publisher_domain?: string | undefined }> | undefined;
}

/** The least spend any of its pricing options asks of a package, if one says. */
function minSpendOf(product: ProductLike): number | null {
  const spends = (product.pricing_options ?? []).flatMap((option) => {
    const spend = (option as { min_spend_per_package?: unknown }).min_spend_per_package;
    return typeof spend === 'number' ? [spend] : [];
  });
  return spends.length ? Math.min(...spends) : null;
}

/**
 * An AdCP product as the matcher reads it: the storefront ranks every source's products this way,
 * so the same product ranks the same whichever kind of source answered it.
 */
export function candidateOfProduct(product: ProductLike): BriefCandidate {
  return {
    name: product.name,
    description: product.description,
    channels: product.channels,
    formatIds: (product.format_ids ?? []).map((f) => f.id),
    namesNoFormat: !product.format_ids?.length && (product.format_options?.length ?? 0) > 0,
    minSpend: minSpendOf(product),
    impliedCountries: [
      ...new Set(
        (product.publisher_properties ?? []).flatMap((p) => {
          const country = p.publisher_domain ? countryOfDomain(p.publisher_domain) : null;
          return country ? [country] : [];
        }),
      ),
    ],
  };
}
