/**
 * The package the buyer sent for each package a source answered, by its product in request
 * order: a product can be in a buy several times (a package per pacing period, say), so a map by
 * product id would give every one of them the last one's budget (or context). Each answered
 * package takes the next package asked for its product, as sources answer packages in the order
 * they were sent.
 */
export function packagesInOrder<P extends { product_id: string }>(
  routed: readonly P[],
): (productId: string) => P | undefined {
  const queues = new Map<string, P[]>();
  for (const pkg of routed) {
    queues.set(pkg.product_id, [...(queues.get(pkg.product_id) ?? []), pkg]);
  }
  return (productId) => queues.get(productId)?.shift();
}
