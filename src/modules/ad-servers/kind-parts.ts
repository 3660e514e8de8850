import type { OrderFollower } from './booking/follow.js';
import type { AdServerContext } from './context.js';
import type { Forecasts } from './forecasts/forecasts.js';

/**
 * What the MANAGED_SALES_AGENT kind's adapter (src/source-kinds/ad-server/) works through: the
 * module's context (connections, the ad-server adapters, the clock) and what follows a source's
 * products and orders: forecasts and the ad server's order approval.
 */
export interface AdServerKindParts {
  ctx: AdServerContext;
  forecasts?: Forecasts;
  orders?: OrderFollower;
}
