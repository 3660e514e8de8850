import type { CustomerPrincipal } from '../../platform/principal.js';
import type { AdvertiserLookup } from './cohorts/service.js';
import type { UpdateMeasurementConfigInput } from './schemas.js';
import * as store from './store.js';
import { measurementView } from './views.js';

/** An advertiser's measurement configuration (MMM, incrementality, brand lift). */
export function createMeasurement(deps: AdvertiserLookup) {
  const { db, requireAdvertiser, requireActive } = deps;
  return {
    async get(principal: CustomerPrincipal, id: string) {
      const advertiser = await requireAdvertiser(principal.customerId, id);
      return {
        measurementConfig: measurementView(
          advertiser,
          await store.findMeasurement(db, advertiser.id),
        ),
      };
    },
    async put(principal: CustomerPrincipal, id: string, input: UpdateMeasurementConfigInput) {
      const advertiser = await requireActive(principal.customerId, id);
      const row = await store.upsertMeasurement(db, principal.customerId, advertiser.id, {
        ...(input.mmmEnabled !== undefined && { mmmEnabled: input.mmmEnabled }),
        ...(input.mmmConfig !== undefined && { mmmConfig: input.mmmConfig }),
        ...(input.incrementalityTestingEnabled !== undefined && {
          incrementalityTestingEnabled: input.incrementalityTestingEnabled,
        }),
        ...(input.brandLiftEnabled !== undefined && { brandLiftEnabled: input.brandLiftEnabled }),
        ...(input.settings !== undefined && { settings: input.settings }),
      });
      return { measurementConfig: measurementView(advertiser, row) };
    },
  };
}
