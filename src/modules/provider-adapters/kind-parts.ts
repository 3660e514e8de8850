import type { AdapterDeps } from './context.js';
import type { Connections } from './oauth/connections.js';

/**
 * What the PROVIDER_ADAPTER kind's adapter (src/source-kinds/provider/) works through: the
 * module's collaborators (its database, clock, inventory sources) and the delegated OAuth
 * connections that give each source its provider and token.
 */
export interface AdapterKindParts {
  deps: AdapterDeps;
  connections: Connections;
}
