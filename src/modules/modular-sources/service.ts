import type { CustomerPrincipal } from '../../platform/principal.js';
import { createCatalog } from './buys/catalog.js';
import { createBuys } from './buys/service.js';
import { createModularContext, type ModularDeps } from './context.js';
import type { ModularKindParts } from './kind-parts.js';
import { createNotices } from './notices/store.js';
import { createDeliveryReports } from './delivery/service.js';
import { createFeeds } from './feeds/service.js';
import { createLedgerReport } from './ledger/report.js';
import { createLedger } from './ledger/service.js';
import { createLifecycle } from './lifecycle/service.js';
import { createSetup } from './setup/service.js';
import { createWorkItems } from './work-items/service.js';
import { createSourceWorkQueue } from './work-items/source-queue.js';
import { createStorefrontQueue } from './work-items/storefront-queue.js';
import { sandboxSeeds } from './sandbox/fixtures.js';
import { sandboxSimulations } from './sandbox/simulated.js';

/**
 * Modular sources (seed 003), cut by concern: setup (create, module config, credentials), feeds
 * (preview, commit, push), the ledger (reservations, bookings), buys placed through the
 * storefront, work items, delivery reports and the lifecycle projection. Operator calls resolve the caller's own
 * source first (`owned`): another storefront's source, feed, booking or item is NOT_FOUND.
 */
export function createModularSourcesService(deps: ModularDeps) {
  const ctx = createModularContext(deps);
  const lifecycle = createLifecycle(ctx);
  const setup = createSetup(ctx, lifecycle);
  const feeds = createFeeds(ctx, lifecycle);
  const buys = createBuys(ctx);
  const ledger = createLedger(ctx, lifecycle, buys);
  const deliveryReports = createDeliveryReports(ctx, lifecycle, buys);
  const workItems = createWorkItems(ctx, lifecycle, buys, deliveryReports);
  return {
    owned: (principal: CustomerPrincipal, sourceId: string) =>
      ctx.requireOwned(principal, sourceId),
    setup,
    feeds,
    ledger,
    /** The ledger as its operator reads it, and its CSV downloads. */
    ledgerReport: createLedgerReport(ctx, deps.ledgerDownloads),
    workItems,
    /** Every open work item of the storefront's sources, with counts (the review queues). */
    storefrontQueue: createStorefrontQueue(ctx, buys),
    /** The queue as every source kind opens items in it, and completes any item by id. */
    sourceWorkQueue: createSourceWorkQueue(ctx, workItems),
    deliveryReports,
    lifecycle,
    catalog: createCatalog(ctx),
    /** What the MODULAR_SOURCE kind (src/source-kinds/modular/) sells and books through. */
    kindParts: {
      ctx,
      buys,
      reports: deliveryReports,
      sandbox: { ...sandboxSeeds(ctx), ...sandboxSimulations(ctx) },
    } satisfies ModularKindParts,
    /** What the notifications sweep and the seller's pending operations read (read-only). */
    notices: createNotices(ctx.db),
    /** Releases holds past their expiry (the hold-expiry job); answers how many. */
    expireHolds: () => buys.expireHolds(),
  };
}

export type ModularSourcesService = ReturnType<typeof createModularSourcesService>;
