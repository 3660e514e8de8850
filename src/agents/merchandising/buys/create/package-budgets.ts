/**
 * The budget of each package a source answered, by its product in request order: a product can
 * be in a buy several times (a package per pacing period, say), so a map by product id would
 * give every one of them the last one's budget. Each answered package takes the next budget
 * asked for its product, as sources answer packages in the order they were sent.
 */
export function budgetsInOrder(
  routed: ReadonlyArray<{ product_id: string; budget?: number }>,
): (productId: string) => number | undefined {
  const queues = new Map<string, Array<number | undefined>>();
  for (const pkg of routed) {
    queues.set(pkg.product_id, [...(queues.get(pkg.product_id) ?? []), pkg.budget]);
  }
  return (productId) => queues.get(productId)?.shift();
}
