import type { OrderFollower } from './booking/follow.js';
import type { AdServerContext } from './context.js';
import type { Forecasts } from './forecasts/forecasts.js';
import type { AdServerSandbox } from './sandbox/fixtures.js';
import type { AdServerSimulations } from './sandbox/simulated.js';

/**
 * What the MANAGED_SALES_AGENT kind's adapter (src/source-kinds/ad-server/) works through: the
 * module's context (connections, the ad-server adapters, the clock) and what follows a source's
 * products and orders: forecasts and the ad server's order approval.
 */
export interface AdServerKindParts {
  ctx: AdServerContext;
  forecasts?: Forecasts;
  orders?: OrderFollower;
  /** A sandbox buyer's seeded products and the controller's scenarios on its buys (sandbox/). */
  sandbox?: AdServerSandbox & AdServerSimulations;
}
