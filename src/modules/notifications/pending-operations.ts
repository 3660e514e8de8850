import type { CustomerPrincipal } from '../../platform/principal.js';
import type { PendingOperations } from './schemas.js';

type Groups = Required<Omit<PendingOperations, 'total'>>;

/** What waits on a seller, read from the modules that hold it (the composition root wires these). */
export interface PendingOperationsPorts {
  /** Buys pending the operator's approval on the caller's storefront. */
  approvals(principal: CustomerPrincipal): Promise<Groups['approvals']['items']>;
  /** Open work items of the storefront's sources, most pressing first. */
  workItems(principal: CustomerPrincipal): Promise<Groups['workItems']['items']>;
  /** Holds on the storefront's avails expiring before `until`. */
  expiringHolds(
    principal: CustomerPrincipal,
    until: Date,
  ): Promise<Groups['expiringHolds']['items']>;
  /** Buyer names by customer id, for the approvals group. */
  customerNames(ids: number[]): Promise<Map<number, string>>;
}

/**
 * GET /api/v2/storefront/pending-operations: one queue of what waits on the seller, a group per
 * kind with its count, a group present only when it has something (hosted's rule).
 */
export function createPendingOperations(
  ports: PendingOperationsPorts,
  options: { holdWindowHours: number; now?: () => Date },
) {
  const now = options.now ?? (() => new Date());
  return {
    async of(principal: CustomerPrincipal): Promise<PendingOperations> {
      const until = new Date(now().getTime() + options.holdWindowHours * 3600_000);
      const [approvals, workItems, holds] = await Promise.all([
        ports.approvals(principal),
        ports.workItems(principal),
        ports.expiringHolds(principal, until),
      ]);
      const ids = approvals.map((a) => a.buyer.customerId).filter((id) => id !== null);
      const names = ids.length ? await ports.customerNames([...new Set(ids)]) : new Map();
      const named = approvals.map((a) => ({
        ...a,
        buyer: {
          customerId: a.buyer.customerId,
          name: (a.buyer.customerId !== null && names.get(a.buyer.customerId)) || null,
        },
      }));
      return {
        ...(named.length > 0 && { approvals: { count: named.length, items: named } }),
        ...(workItems.length > 0 && { workItems: { count: workItems.length, items: workItems } }),
        ...(holds.length > 0 && {
          expiringHolds: {
            count: holds.length,
            windowHours: options.holdWindowHours,
            items: holds,
          },
        }),
        total: named.length + workItems.length + holds.length,
      };
    },
  };
}

export type PendingOperationsService = ReturnType<typeof createPendingOperations>;
