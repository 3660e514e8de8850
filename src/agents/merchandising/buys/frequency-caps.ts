import { AdcpError } from '@adcp/sdk/server';
import { isRecord } from '../../../platform/is-record.js';
import { capProblem } from '../../../sources/frequency-caps.js';
import type { InventorySource } from '../../../sources/port.js';
import { speaks31 } from '../../adcp31/index.js';
import { parseProductId } from '../products/product-ids.js';

interface CappedPackage {
  product_id?: string | undefined;
  package_id?: string | undefined;
  targeting_overlay?: unknown;
}

/**
 * A package's frequency cap its source cannot enforce is refused UNSUPPORTED_FEATURE at
 * `packages[i].targeting_overlay.frequency_cap`, before anything is recorded or sent
 * (sources/frequency-caps.ts), never passed on to be dropped. A 3.1 caller (to whom the
 * storefront declares frequency_capping) gets a cap only where the source vouches for it; a 3.0
 * caller's cap still goes to an AdCP agent as before 3.1 (the agent judges it), and is refused
 * by the kinds that would drop it. `create` judges buys' packages by product id, `update` a
 * placed buy's packages by package id.
 */
export function refuseUnenforcedCaps(
  packages: readonly CappedPackage[],
  sources: readonly InventorySource[],
  on: 'create' | 'update',
): void {
  const v31 = speaks31();
  const sourceIds = sources.map((port) => port.source.sourceId);
  for (const [index, pkg] of packages.entries()) {
    const cap = isRecord(pkg.targeting_overlay)
      ? pkg.targeting_overlay['frequency_cap']
      : undefined;
    if (cap === undefined) continue;
    const id = on === 'create' ? pkg.product_id : pkg.package_id;
    const owner = id === undefined ? undefined : parseProductId(id, sourceIds);
    // A package no source holds is refused by the checks that find its product or package.
    const port = owner && sources.find((source) => source.source.sourceId === owner.sourceId);
    if (!port || (!v31 && port.frequencyCaps?.forwarded)) continue;
    const problem = capProblem(cap, port.frequencyCaps, on);
    if (problem === undefined) continue;
    throw new AdcpError('UNSUPPORTED_FEATURE', {
      message: `The frequency cap of package ${id} cannot be honoured: ${problem}. Nothing was booked; send the package without it, or buy a product whose source enforces caps`,
      field: `packages[${index}].targeting_overlay.frequency_cap`,
      recovery: 'correctable',
    });
  }
}
