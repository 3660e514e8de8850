import { sandboxSourceId } from '../sandbox/sandbox.js';
import type { Product } from '../types.js';
import { matcherExtOf } from '../../../sources/brief/index.js';

/**
 * Storefront product ids: `${sourceId}__${upstreamProductId}`. Stable (both halves are), and a
 * later create_media_buy finds the source of every package from the id alone. A sourceId may
 * itself contain `__`, so ids are parsed against the storefront's source ids (longest match),
 * never by splitting.
 */
const separator = '__';

export function namespacedProductId(sourceId: string, upstreamProductId: string): string {
  // Sandbox inventory keeps the ids it was seeded with (conformance fixtures name them).
  if (sourceId === sandboxSourceId) return upstreamProductId;
  return `${sourceId}${separator}${upstreamProductId}`;
}

/** The source and upstream id of a storefront product id; undefined when no source matches. */
export function parseProductId(
  productId: string,
  sourceIds: readonly string[],
): { sourceId: string; upstreamProductId: string } | undefined {
  // Un-namespaced ids are the sandbox's, when it is among the sources.
  if (sourceIds.includes(sandboxSourceId) && !productId.includes(separator)) {
    return { sourceId: sandboxSourceId, upstreamProductId: productId };
  }
  const sourceId = [...sourceIds]
    .sort((a, b) => b.length - a.length)
    .find((id) => productId.startsWith(`${id}${separator}`) && productId.length > id.length + 2);
  if (sourceId === undefined) return undefined;
  return { sourceId, upstreamProductId: productId.slice(sourceId.length + separator.length) };
}

/**
 * The storefront's copy of a source's product: its id namespaced, and the routing annotation
 * (`ext.interchange`: the storefront's agent, the source, the source's own id). Copied with
 * Object.assign, not spread (composition.ts relabelAll says why).
 */
export function relabeledCopy(product: Product, agentId: string, sourceId: string): Product {
  return Object.assign({}, product, {
    product_id: namespacedProductId(sourceId, product.product_id),
    ext: Object.assign({}, product.ext, {
      interchange: {
        // What the source says of it for the brief matcher (sources/brief/product.ts) stays.
        ...matcherExtOf(product),
        storefront: agentId,
        source_id: sourceId,
        upstream_product_id: product.product_id,
      },
    }),
  });
}
