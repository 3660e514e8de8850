import type { ComplianceService } from '../../modules/compliance/index.js';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createFlow } from './flow.js';

/**
 * Source activation. Owner: compliance (modules/compliance), which runs the storyboards of a
 * source connected and, under the strict policy, refuses a source whose last run failed.
 * Caller: inventory sources, when a seller connects a source and when a source would go
 * ACTIVE. Inventory sources are built first; compliance reads them.
 */
export function createSourceActivation() {
  const flow = createFlow<Pick<ComplianceService, 'sourceConnected' | 'activationRefusal'>>(
    'source activation',
    'modules',
  );
  return {
    flow,
    onConnected: (row: SourceRow, principal: CustomerPrincipal) =>
      flow.owner().sourceConnected(row, principal.customerId, principal.userId),
    activationRefusal: (row: SourceRow) => flow.owner().activationRefusal(row),
  };
}
