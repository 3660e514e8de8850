import type { UploadGate } from '../../../platform/uploads/gate.js';
import type { ModularSourcesService } from '../service.js';
import { catalogRoutes } from './catalog.js';
import { deliveryReportRoutes } from './delivery-reports.js';
import { feedRoutes } from './feeds.js';
import { ledgerRoutes } from './ledger.js';

export { registerLedgerDownloads } from './ledger.js';
import { setupRoutes } from './setup.js';
import { workItemRoutes } from './work-items.js';

/** Every modular-source route (hosted group `modular`). */
export function modularSourceRoutes(service: ModularSourcesService, uploads: UploadGate) {
  return [
    ...setupRoutes(service),
    ...feedRoutes(service, uploads),
    ...catalogRoutes(service),
    ...ledgerRoutes(service),
    ...workItemRoutes(service),
    ...deliveryReportRoutes(service),
  ];
}
