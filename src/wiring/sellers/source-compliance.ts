import type { ComplianceService } from '../../modules/compliance/index.js';
import type {
  InventorySourcesService,
  SourceConnection,
} from '../../modules/inventory-sources/index.js';

/**
 * A seller connecting or activating a source, an action across two modules: inventory sources
 * registers, probes and saves the source; compliance runs the storyboards of a source that got
 * an endpoint or credential, and under the strict policy refuses one whose latest run failed
 * from going ACTIVE (asked after the probe, before anything is saved). Compliance is built over
 * inventory sources; this function is above both, so neither asks the other. The services the
 * REST routes, the console and the demo call are these; the modules below read the plain ones.
 */
export function sourceEditsUnderCompliance(
  sources: InventorySourcesService,
  compliance: Pick<ComplianceService, 'sourceConnected' | 'activationRefusal'>,
): InventorySourcesService {
  const connection: SourceConnection = {
    connected: (row, principal) =>
      compliance.sourceConnected(row, principal.customerId, principal.userId),
    activationRefusal: (row) => compliance.activationRefusal(row),
  };
  return {
    ...sources,
    create: (principal, input) => sources.create(principal, input, connection),
    update: (principal, sourceId, input) => sources.update(principal, sourceId, input, connection),
  };
}
