import type { BookedPackage } from '../tables.js';

/**
 * The id a buyer names a package by: the seller's package id once assigned, before that our own
 * ref (unique in the buy: the pacing periods of one product share its product id), and for buys
 * booked before refs were kept, the product id.
 */
export const packageKeyOf = (p: BookedPackage): string => p.packageId ?? p.ref ?? p.productId;

/**
 * Our refs for a buy's packages, before any seller id: the product id for a product's only
 * package (as buyers named it so far), `{productId}~{n}` for each of its period packages.
 */
export function withRefs(packages: BookedPackage[]): BookedPackage[] {
  const counts = new Map<string, number>();
  for (const p of packages) counts.set(p.productId, (counts.get(p.productId) ?? 0) + 1);
  return packages.map((p) =>
    (counts.get(p.productId) ?? 0) > 1 && p.pacingPeriod
      ? { ...p, ref: `${p.productId}~${p.pacingPeriod.index}` }
      : { ...p, ref: p.productId },
  );
}
