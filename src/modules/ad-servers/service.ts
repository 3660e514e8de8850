import { createOrderFollower } from './booking/follow.js';
import { createCatalog } from './catalog/catalog.js';
import { createConnections } from './connections/connections.js';
import { createForecasts } from './forecasts/forecasts.js';
import { createAdServerContext, type AdServerDeps } from './context.js';
import type { AdServerKindParts } from './kind-parts.js';
import { createOperations } from './operations/operations.js';
import { adServerSandbox } from './sandbox/fixtures.js';
import { adServerSimulations } from './sandbox/simulated.js';
import { createDeliveryImport } from './reporting/import.js';
import { createSyncSchedule } from './sync/schedule.js';
import { createInventorySync } from './sync/sync.js';

/**
 * Ad-server sources (issue 35): connections to a publisher's own ad server, inventory sync, the
 * source kind the Merchandising Agent sells through, bookings and delivery import.
 */
export function createAdServersService(deps: AdServerDeps) {
  const ctx = createAdServerContext(deps);
  const sync = createInventorySync(ctx);
  const delivery = createDeliveryImport(ctx);
  const syncSchedule = createSyncSchedule(ctx, sync);
  const connections = createConnections(ctx, sync);
  const operations = createOperations(ctx, sync, delivery);
  const forecasts = createForecasts(ctx);
  const orders = createOrderFollower(ctx);
  return {
    connections,
    /** What the source sells and the orders it placed, for its operator. */
    catalog: createCatalog(ctx),
    operations,
    sync,
    delivery,
    forecasts,
    orders,
    /** What the MANAGED_SALES_AGENT kind (src/source-kinds/ad-server/) books through. */
    kindParts: {
      ctx,
      forecasts,
      orders,
      sandbox: { ...adServerSandbox(ctx), ...adServerSimulations(ctx) },
    } satisfies AdServerKindParts,
    startSweeps: async () => {
      await delivery.startSweeps();
      await syncSchedule.startSweeps();
    },
  };
}

export type AdServersService = ReturnType<typeof createAdServersService>;
