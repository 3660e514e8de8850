import type { ModularSourcesService } from '../service.js';
import { catalogRoutes } from './catalog.js';
import { deliveryReportRoutes } from './delivery-reports.js';
import { feedRoutes } from './feeds.js';
import { ledgerRoutes } from './ledger.js';
import { setupRoutes } from './setup.js';
import { workItemRoutes } from './work-items.js';

/** Every modular-source route (hosted group `modular`). */
export function modularSourceRoutes(service: ModularSourcesService, maxUploadBytes: number) {
  return [
    ...setupRoutes(service),
    ...feedRoutes(service, maxUploadBytes),
    ...catalogRoutes(service),
    ...ledgerRoutes(service),
    ...workItemRoutes(service),
    ...deliveryReportRoutes(service),
  ];
}
