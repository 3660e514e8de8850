import { sandboxSourceId } from '../sandbox/sandbox.js';

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
