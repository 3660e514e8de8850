import type { Buys } from './buys/service.js';
import type { ModularContext } from './context.js';
import type { DeliveryReports } from './delivery/service.js';

/**
 * What the MODULAR_SOURCE kind's adapter (src/source-kinds/modular/) works through: the
 * module's context (its setup rows and clock), the buys placed in the ledger, and the delivery
 * reports. The adapter reads the ledger only through what index.ts exports next to this.
 */
export interface ModularKindParts {
  ctx: ModularContext;
  buys: Buys;
  reports: DeliveryReports;
}
