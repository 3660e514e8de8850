import type { Db } from '../../../platform/db/database.js';
import { listActiveFor } from '../store.js';

/** What one ACTIVE source declared: shown on storefront views and discovery cards. */
export interface ActiveCoverage {
  channels: string[];
  countries: string[];
  sellsProducts: boolean;
}

/**
 * Per storefront, what its ACTIVE sources declared. A read over the database alone, so the
 * storefronts module (which inventory sources are built over) reads it without the service.
 */
export function activeCoverageReader(db: Db) {
  return async (storefrontIds: number[]): Promise<Map<number, ActiveCoverage[]>> => {
    const out = new Map<number, ActiveCoverage[]>();
    for (const row of await listActiveFor(db, storefrontIds)) {
      const caps = row.capabilities;
      out.set(row.storefrontId, [
        ...(out.get(row.storefrontId) ?? []),
        {
          channels: caps?.channels ?? [],
          countries: caps?.countries ?? [],
          sellsProducts: caps?.products === 'supported',
        },
      ]);
    }
    return out;
  };
}
