import type { InventorySource } from '../../../sources/port.js';
import type { StoredSourceRow } from '../store.js';

/**
 * One kind of inventory source: makes the storefront's rows of that kind into sources for one
 * buyer's request (sources of one request may share what they look up, such as the buyer's
 * domain). Registered by executionType in the agent's source registry
 * (source-kinds/registry.ts).
 * It lives with the rows it opens: the port (src/sources/port.ts) knows no table.
 */
export interface SourceKind {
  /**
   * Rows are every ACTIVE SALES row of the kind, as stored: a kind Interchange serves itself has
   * no endpoint (StoredSourceRow), and a kind reached over the network keeps only its connected
   * rows (isConnected).
   */
  open(rows: StoredSourceRow[], customerId: number | null): InventorySource[];
}
