import type { Buys } from './buys/service.js';
import type { ModularContext } from './context.js';
import type { DeliveryReports } from './delivery/service.js';
import type { SandboxSeeds } from './sandbox/fixtures.js';
import type { SandboxSimulations } from './sandbox/simulated.js';

/**
 * What the MODULAR_SOURCE kind's adapter (src/source-kinds/modular/) works through: the
 * module's context (its setup rows and clock), the buys placed in the ledger, the delivery
 * reports, and sandbox buyers' seeded avails. The adapter reads the ledger only through what index.ts exports next to this.
 */
export interface ModularKindParts {
  ctx: ModularContext;
  buys: Buys;
  reports: DeliveryReports;
  /**
   * A sandbox buyer's seeded products, held as sandbox avails (sandbox/fixtures.ts), and the
   * delivery simulated on its sandbox buys (sandbox/simulated.ts).
   */
  sandbox: SandboxSeeds & SandboxSimulations;
}
