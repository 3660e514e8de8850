import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyerAccessContext } from './deps.js';

/** A buyer's request for access to storefronts, and the seller's view of who asked. */
export function createBuyerInterest({ deps, store }: BuyerAccessContext) {
  const { db } = deps;
  return {
    async submitInterest(
      principal: CustomerPrincipal,
      input: { storefrontIds?: number[] | undefined; notes?: string | undefined },
    ) {
      const row = await store.insertInterest(db, {
        customerId: principal.customerId,
        userId: principal.userId,
        storefrontIds: [...new Set(input.storefrontIds ?? [])],
        notes: input.notes ?? null,
      });
      return { submitted: true, submittedAt: isoDate(row.submittedAt) };
    },

    async interestStatus(principal: CustomerPrincipal) {
      const row = await store.latestInterest(db, principal.customerId);
      return { submitted: row !== undefined, submittedAt: row ? isoDate(row.submittedAt) : null };
    },

    /** Seller side: who asked for access to the caller's storefront. */
    async interestInMyStorefront(principal: CustomerPrincipal) {
      const storefront = await deps.storefronts.requireOwn(principal);
      const rows = await store.interestIn(db, storefront.id);
      const names = await deps.identity.customerNames([...new Set(rows.map((r) => r.customerId))]);
      const items = rows.map((r) => ({
        buyerCustomerId: r.customerId,
        buyerName: names.get(r.customerId) ?? null,
        notes: r.notes,
        submittedAt: isoDate(r.submittedAt),
      }));
      return { items, total: items.length };
    },
  };
}
