import type { MerchandisingDeps } from '../deps.js';
import type { Product } from '../types.js';

/**
 * What one answer left out and why (issue 47, item 2): the products the brief matcher excluded
 * (with its reason), then those ranked below the page shown (`answer_size`: the cursor reaches
 * them). Products of earlier pages were shown then, so they are not counted.
 */
export function leftOutOf(
  ranked: readonly Product[],
  excluded: ReadonlyArray<{ productId: string; reason: string }>,
  shown: readonly Product[],
): Array<{ productId: string; reason: string }> {
  const ids = new Set(shown.map((product) => product.product_id));
  let last = -1;
  ranked.forEach((product, i) => {
    if (ids.has(product.product_id)) last = i;
  });
  const below = last < 0 ? [] : ranked.slice(last + 1);
  return [
    ...excluded,
    ...below.map((product) => ({ productId: product.product_id, reason: 'answer_size' })),
  ];
}

/**
 * Records the left-out products with the run once it is committed, off the answer's path; a
 * run that left nothing out writes nothing. A failure is the seller's diagnostics, never the
 * buyer's answer.
 */
export function recordLeftOut(
  deps: Pick<MerchandisingDeps, 'leftOut' | 'onError'>,
  storefrontId: number,
  written: Promise<number>,
  leftOut: Array<{ productId: string; reason: string }>,
): void {
  const door = deps.leftOut;
  if (!door || leftOut.length === 0) return;
  written
    .then((discoveryRunId) => door.recordRunLeftOut({ storefrontId, discoveryRunId, leftOut }))
    .catch((error: unknown) => deps.onError?.(error, 'recording what a run left out'));
}
