import { TestControllerError } from '@adcp/sdk/testing';
import { isRecord } from '../../../../platform/is-record.js';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { sandboxScope } from '../../../../sources/sandbox.js';

/**
 * comply_test_controller `seed_measurement_catalog` (3.1): `params.metrics[]` stands as the
 * measurement vendor `params.vendor`'s published `measurement.metrics[]` for the caller's
 * sandbox on this storefront, for the compliance session. A vendor_metric goal on a sandbox
 * product is then checked against it (buys/create/vendor-metric-checks.ts). Seeding the same
 * vendor again replaces its catalog; seeding a product (the next storyboard's fixtures) clears
 * the catalogs, as it ends a forced outage (sandbox.ts).
 */
export async function seedMeasurementCatalog(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const vendor = params['vendor'];
  const domain = isRecord(vendor) ? vendor['domain'] : undefined;
  if (typeof domain !== 'string' || domain === '') {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'seed_measurement_catalog needs params.vendor.domain',
    );
  }
  const metrics = params['metrics'];
  const ids = Array.isArray(metrics)
    ? metrics.map((m) => (isRecord(m) ? m['metric_id'] : undefined))
    : [];
  if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'seed_measurement_catalog needs params.metrics[], each with a metric_id',
    );
  }
  const { storefront, principal } = agentRequest();
  deps.sandbox.seedMeasurementCatalog(sandboxScope(storefront.id, principal.customerId), domain, [
    ...new Set(ids),
  ]);
  return {
    success: true,
    message: `Measurement catalog of ${domain} seeded (${ids.length} metrics)`,
  };
}
