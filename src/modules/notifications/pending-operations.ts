import type { CustomerPrincipal } from '../../platform/principal.js';
import type {
  AwaitingSourceItem,
  CreativeReviewItem,
  FailedForwardItem,
  GamCleanupItem,
  SourceDegradationItem,
} from './pending-operations-schemas.js';
import type { PendingOperations } from './schemas.js';

type Groups = Required<Omit<PendingOperations, 'total'>>;
type Buyer = { customerId: number | null; name: string | null };

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
  /** Creatives pending the operator's review (manual creative review). */
  creativeReviews(principal: CustomerPrincipal): Promise<CreativeReviewItem[]>;
  /** Buys whose forward failed at every source, each with its error code. */
  failedForwards(principal: CustomerPrincipal): Promise<FailedForwardItem[]>;
  /** Buys every taking source answered with a task it has not settled yet. */
  awaitingSource(principal: CustomerPrincipal): Promise<AwaitingSourceItem[]>;
  /** Sources whose last health probe failed. */
  sourceDegradations(principal: CustomerPrincipal): Promise<SourceDegradationItem[]>;
  /** Ad-server orders left by a failed booking that could not be archived. */
  adServerCleanups(principal: CustomerPrincipal): Promise<GamCleanupItem[]>;
  /** Buyer names by customer id, for the groups naming a buyer. */
  customerNames(ids: number[]): Promise<Map<number, string>>;
}

/** A group when it has items (hosted's rule: groups appear only when non-empty). */
const groupOf = <T>(items: T[]) => (items.length > 0 ? { count: items.length, items } : undefined);

/** Failed forwards grouped by error code: a source outage reads as one row, not one per buy. */
function failedForwardGroups(items: FailedForwardItem[]) {
  const groups = new Map<string, FailedForwardItem[]>();
  for (const item of items)
    groups.set(item.errorCode, [...(groups.get(item.errorCode) ?? []), item]);
  return [...groups.entries()].map(([errorCode, of]) => ({
    errorCode,
    recovery: of[0]!.recovery,
    action: of[0]!.action,
    count: of.length,
    items: of.map(({ errorCode: _e, recovery: _r, ...item }) => item),
  }));
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
      const [approvals, workItems, holds, reviews, failed, awaiting, degraded, cleanups] =
        await Promise.all([
          ports.approvals(principal),
          ports.workItems(principal),
          ports.expiringHolds(principal, until),
          ports.creativeReviews(principal),
          ports.failedForwards(principal),
          ports.awaitingSource(principal),
          ports.sourceDegradations(principal),
          ports.adServerCleanups(principal),
        ]);
      const buyers = [approvals, reviews, failed, awaiting].flat().map((i) => i.buyer.customerId);
      const ids = [...new Set(buyers.filter((id) => id !== null))];
      const names = ids.length ? await ports.customerNames(ids) : new Map<number, string>();
      const named = <T extends { buyer: Buyer }>(items: T[]) =>
        items.map((i) => ({
          ...i,
          buyer: {
            customerId: i.buyer.customerId,
            name: (i.buyer.customerId !== null && names.get(i.buyer.customerId)) || null,
          },
        }));
      const groups = {
        approvals: groupOf(named(approvals)),
        workItems: groupOf(workItems),
        expiringHolds: holds.length
          ? { count: holds.length, windowHours: options.holdWindowHours, items: holds }
          : undefined,
        creativeReviews: groupOf(named(reviews)),
        failedForwards: failed.length
          ? { count: failed.length, groups: failedForwardGroups(named(failed)) }
          : undefined,
        awaitingSource: groupOf(named(awaiting)),
        sourceDegradations: groupOf(degraded),
        gamCleanups: groupOf(cleanups),
      };
      // An empty group is undefined, so it is left out of the JSON answer (hosted's rule).
      const total = Object.values(groups).reduce((n, g) => n + (g?.count ?? 0), 0);
      return { ...groups, total };
    },
  };
}

export type PendingOperationsService = ReturnType<typeof createPendingOperations>;
