import type { Base } from '../base.js';
import { adServerExecutionType, type AdServersService } from '../../modules/ad-servers/index.js';
import type { CreativeReviewsService } from '../../modules/creative-reviews/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import type { ModularSourcesService } from '../../modules/modular-sources/index.js';
import {
  createPendingOperations,
  type PendingOperationsPorts,
} from '../../modules/notifications/index.js';
import { mediaBuysOf, sellerStatusOf } from '../../modules/order-views/index.js';
import type { MediaBuysService } from '../../modules/orders/index.js';
import type { StorefrontsService } from '../../modules/storefronts/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';

/** What the pending-operations queue reads, each from the module that records it. */
export interface PendingOperationsSources {
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  modularSources: Pick<ModularSourcesService, 'notices' | 'storefrontQueue'>;
  identity: Pick<IdentityService, 'customerNames'>;
  inventorySources: Pick<InventorySourcesService, 'list'>;
  mediaBuys: Pick<MediaBuysService, 'listApprovals'>;
  creativeReviews: Pick<CreativeReviewsService, 'listReviews'>;
  adServers: Pick<AdServersService, 'catalog'>;
}

// AdCP error codes by what the operator can do of them; a code in neither set is escalated.
const transient = new Set(['SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'TIMEOUT', 'INTERNAL_ERROR']);
const correctable = new Set([
  'INVALID_REQUEST',
  'VALIDATION_ERROR',
  'PRODUCT_UNAVAILABLE',
  'PRODUCT_NOT_FOUND',
  'BUDGET_TOO_LOW',
  'POLICY_VIOLATION',
  'CREATIVE_REJECTED',
]);
type Recovery = 'transient' | 'correctable' | null;
type RecoveryAction = 'retry' | 'fix_and_resubmit' | 'escalate';
const recoveryOf = (code: string): Recovery =>
  transient.has(code) ? 'transient' : correctable.has(code) ? 'correctable' : null;
const actionOf = (recovery: Recovery): RecoveryAction =>
  recovery === 'transient' ? 'retry' : recovery === 'correctable' ? 'fix_and_resubmit' : 'escalate';

/** The storefront's buys with their seller status, read once per group that needs them. */
async function buysIn(
  base: Base,
  storefrontId: number,
  status: 'forward_failed' | 'awaiting_source',
) {
  const rows = await mediaBuysOf(base.db, storefrontId, {});
  return rows.filter((row) => sellerStatusOf(row.buy, row.delivered) === status);
}

/** GET /pending-operations' ports over the modules holding what waits on a seller. */
export function pendingOperationsOf(
  base: Base,
  of: PendingOperationsSources,
  settings: { holdWindowHours: number },
) {
  const ports: PendingOperationsPorts = {
    approvals: async (principal) =>
      (await of.mediaBuys.listApprovals(principal, 'pending')).map((a) => ({
        mediaBuyId: a.mediaBuyId,
        kind: a.kind,
        buyer: { customerId: a.buyerCustomerId, name: null },
        submittedAt: a.createdAt,
      })),
    workItems: async (principal) => {
      const queue = await of.modularSources.storefrontQueue.list(principal, {
        status: ['OPEN', 'IN_PROGRESS', 'BLOCKED'],
        limit: 100,
      });
      return queue.items.map((i) => ({
        workItemId: i.id,
        kind: i.kind,
        title: i.title,
        status: i.status,
        sourceId: i.source.sourceId,
        mediaBuyId: i.mediaBuyId,
        dueAt: i.dueAt,
        createdAt: i.createdAt,
      }));
    },
    expiringHolds: async (principal, until) => {
      const storefront = await of.storefronts.requireOwn(principal);
      const holds = await of.modularSources.notices.expiringHolds(
        new Date(),
        until,
        storefront.id,
        100,
      );
      return holds.map(({ storefrontId: _s, inventorySourceId, expiresAt, ...hold }) => ({
        ...hold,
        sourceId: String(inventorySourceId),
        expiresAt: (expiresAt ?? until).toISOString(),
      }));
    },
    creativeReviews: async (principal) =>
      (await of.creativeReviews.listReviews(principal, 'pending')).map((r) => ({
        creativeId: r.creativeId,
        mediaBuyId: r.mediaBuyId,
        buyer: { customerId: r.buyerCustomerId, name: null },
        submittedAt: r.createdAt,
      })),
    failedForwards: (principal) => failedForwards(base, of, principal),
    awaitingSource: (principal) => awaitingSource(base, of, principal),
    sourceDegradations: async (principal) =>
      (await of.inventorySources.list(principal))
        // A degradation: an active source failing, or one that answered before and no longer
        // does; a source still being set up (never answered, not active) is not degraded.
        .filter(
          (s) =>
            s.health.status === 'failing' &&
            (s.status === 'ACTIVE' || (s.status === 'PENDING' && s.health.lastSuccessAt !== null)),
        )
        .map((s) => ({
          sourceId: s.sourceId,
          sourceName: s.name,
          // An active source failing is one buyers are sold and cannot be served by.
          severity: s.status === 'ACTIVE' ? ('blocking' as const) : ('attention' as const),
          headline:
            `${s.name} failed its last health probe (${s.health.lastError?.code ?? 'error'})` +
            (s.status === 'ACTIVE' ? ': buys through it fail until it answers again.' : '.'),
        })),
    adServerCleanups: (principal) => adServerCleanups(of, principal),
    customerNames: (ids) => of.identity.customerNames(ids),
  };
  return createPendingOperations(ports, settings);
}

/** Buys every source refused, each with the first refusal's code and what the operator can do. */
async function failedForwards(
  base: Base,
  of: PendingOperationsSources,
  principal: CustomerPrincipal,
) {
  const storefront = await of.storefronts.requireOwn(principal);
  return (await buysIn(base, storefront.id, 'forward_failed')).map(({ buy }) => {
    const errorCode =
      (buy.forwardResult ?? []).find((l) => l.error)?.error?.code ?? 'FORWARD_FAILED';
    const recovery = recoveryOf(errorCode);
    const action = actionOf(recovery);
    return {
      errorCode,
      recovery,
      mediaBuyId: buy.mediaBuyId,
      buyer: { customerId: buy.buyerCustomerId, name: null },
      since: (buy.forwardedAt ?? buy.createdAt).toISOString(),
      // The platform never re-forwards by itself: only a transient failure is worth the
      // operator's retry-forward, anything else stays as it is until someone acts.
      terminalized: action !== 'retry',
      action,
      references: {
        idempotencyKey: buy.idempotencyKey,
        requestedAt: buy.createdAt.toISOString(),
      },
    };
  });
}

/** Buys a source took as a task it has not settled: one item per such source, with its task. */
async function awaitingSource(
  base: Base,
  of: PendingOperationsSources,
  principal: CustomerPrincipal,
) {
  const storefront = await of.storefronts.requireOwn(principal);
  const [buys, sources] = await Promise.all([
    buysIn(base, storefront.id, 'awaiting_source'),
    of.inventorySources.list(principal),
  ]);
  const names = new Map(sources.map((s) => [s.sourceId, s.name]));
  // One item per source still moderating its part of the buy.
  return buys.flatMap(({ buy }) =>
    (buy.forwardResult ?? [])
      .filter((leg) => leg.status === 'submitted')
      .map((leg) => ({
        mediaBuyId: buy.mediaBuyId,
        sourceId: leg.sourceId,
        sourceName: names.get(leg.sourceId) ?? null,
        buyer: { customerId: buy.buyerCustomerId, name: null },
        since: (buy.forwardedAt ?? buy.createdAt).toISOString(),
        taskId: leg.upstreamTaskId ?? null,
      })),
  );
}

/** Orders a failed booking left in an ad server that would not archive them (cleanup_pending). */
async function adServerCleanups(of: PendingOperationsSources, principal: CustomerPrincipal) {
  const adServerSources = (await of.inventorySources.list(principal)).filter(
    (s) => s.executionType === adServerExecutionType,
  );
  const pages = await Promise.all(
    adServerSources.map(async (s) => ({
      source: s,
      page: await of.adServers.catalog.orders(principal, s.sourceId, {
        status: 'cleanup_pending',
        limit: 100,
      }),
    })),
  );
  return pages.flatMap(({ source, page }) =>
    page.orders.map((o) => ({
      operationId: o.mediaBuyId,
      orderId: o.adServerOrderId ?? '',
      sourceId: source.sourceId,
      sourceName: source.name,
      // Archiving the order failed after the ad server refused its line items: nothing
      // here verifies that archiving is safe, so the operator cleans it up by hand.
      outcome: 'failed' as const,
      safeToCleanup: false,
      requiredPermission: null,
      retryDisposition: 'manual_review_required' as const,
      safeNextAction: 'clean_up_manually_in_gam' as const,
      createdAt: o.createdAt,
    })),
  );
}
