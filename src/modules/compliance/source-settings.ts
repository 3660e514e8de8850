import { AppError } from '../../platform/errors.js';
import { isoDateOrNull } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StoredSourceRow } from '../inventory-sources/index.js';
import type { ComplianceDeps } from './deps.js';
import type { SourceSettings, SourceSettingsInput } from './schemas.js';
import * as store from './store.js';
import { bookingsAllowed, storyboardsFor, withheldStoryboards } from './storyboards.js';

/**
 * A seller's compliance settings per source (GET/PUT …/inventory-sources/{sourceId}/
 * compliance-settings): whether the storyboards that book may run at a source that declares no
 * sandbox. Each change is kept with who made it and recorded in the activity log.
 */
export function createSourceSettings(deps: ComplianceDeps, now: () => Date) {
  const { db } = deps;

  async function ownSource(principal: CustomerPrincipal, sourceId: string) {
    const storefront = await deps.storefronts.requireOwn(principal);
    const row = (await deps.inventorySources.allRowsOf(storefront.id)).find(
      (r) => r.sourceId === sourceId,
    );
    if (!row) {
      throw new AppError('not_found', 'No inventory source of your storefront has this id', {
        field: 'sourceId',
      });
    }
    return row;
  }

  function view(row: StoredSourceRow, saved: store.SourceSettingsRow | undefined): SourceSettings {
    const allowed = saved?.allowBookingStoryboards ?? false;
    const bookings = bookingsAllowed(row.capabilities, allowed);
    return {
      sourceId: row.sourceId,
      sandboxDeclared: row.capabilities?.sandbox === true,
      allowBookingStoryboards: allowed,
      storyboards: storyboardsFor(row.capabilities, { bookings }),
      withheld: bookings ? [] : withheldStoryboards(row.capabilities),
      updatedBy: saved?.updatedBy ?? null,
      updatedAt: isoDateOrNull(saved?.updatedAt),
    };
  }

  return {
    /** Whether a run of this source may book (a sandbox declared, or its seller's leave). */
    async bookingsAllowedFor(row: Pick<StoredSourceRow, 'id' | 'capabilities'>) {
      if (row.capabilities?.sandbox === true) return true;
      return (await store.settingsOf(db, row.id))?.allowBookingStoryboards === true;
    },

    async get(principal: CustomerPrincipal, sourceId: string): Promise<SourceSettings> {
      const row = await ownSource(principal, sourceId);
      return view(row, await store.settingsOf(db, row.id));
    },

    async put(
      principal: CustomerPrincipal,
      sourceId: string,
      input: SourceSettingsInput,
    ): Promise<SourceSettings> {
      const row = await ownSource(principal, sourceId);
      const before = await store.settingsOf(db, row.id);
      const saved = await store.putSettings(
        db,
        {
          inventorySourceId: row.id,
          storefrontId: row.storefrontId,
          allowBookingStoryboards: input.allowBookingStoryboards,
          updatedBy: principal.userId,
        },
        now(),
      );
      const from = before?.allowBookingStoryboards ?? false;
      await deps.activity.record({
        storefrontId: row.storefrontId,
        action: 'UPDATE',
        resourceType: 'STOREFRONT_INVENTORY_SOURCE',
        resourceId: row.sourceId,
        resourceName: row.name,
        userId: principal.userId,
        actorOrigin: 'human',
        changes: { allowBookingStoryboards: { from, to: input.allowBookingStoryboards } },
        description: input.allowBookingStoryboards
          ? 'Compliance runs may play the booking storyboards at this source without a sandbox'
          : 'Compliance runs play no booking storyboards at this source without a sandbox',
      });
      return view(row, saved);
    },
  };
}
