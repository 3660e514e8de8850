import { and, eq } from 'drizzle-orm';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ActivityService } from '../activity/index.js';
import type { InventorySourcesService, StoredSourceRow } from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { modularSources } from './tables.js';

export const modularExecutionType = 'MODULAR_SOURCE';

/** Bounds on feeds: uploads are refused past them, never read whole. */
export interface FeedLimits {
  maxUploadBytes: number;
  maxRows: number;
  maxSeconds: number;
  maxJsonBytes: number;
  /** How long a preview may wait for its commit. */
  previewTtlSeconds: number;
  /** The CPM ceiling of a source that sets none (INTERCHANGE_FEED_MAX_CPM). */
  maxCpm: number;
}

export const defaultFeedLimits: FeedLimits = {
  maxUploadBytes: 64 * 1024 * 1024,
  maxRows: 250_000,
  maxSeconds: 300,
  maxJsonBytes: 8 * 1024 * 1024,
  previewTtlSeconds: 24 * 3600,
  maxCpm: 1000,
};

/** What the modular-sources module needs: its tables' database and other modules' doors. */
export interface ModularDeps {
  db: Db;
  secrets: SecretBox;
  storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById'>;
  inventorySources: Pick<
    InventorySourcesService,
    'registerOfKind' | 'recordSelfReport' | 'findStored' | 'allRowsOf'
  >;
  activity: Pick<ActivityService, 'record'>;
  feedLimits?: Partial<FeedLimits>;
  now?: () => Date;
}

export type ModularRow = typeof modularSources.$inferSelect;

/** A modular source as its operator reaches it: the storefront, the source row, its setup. */
export interface OwnedModular {
  storefront: StorefrontRow;
  row: StoredSourceRow;
  modular: ModularRow;
}

export interface ModularContext {
  deps: ModularDeps;
  db: Db;
  now: () => Date;
  limits: FeedLimits;
  /** The caller's modular source by slug; another storefront's (or another kind's) is NOT_FOUND. */
  requireOwned(principal: CustomerPrincipal, sourceId: string): Promise<OwnedModular>;
  /** A modular source by its global row id (work the storefront does for no operator). */
  modularOf(inventorySourceId: number): Promise<ModularRow | undefined>;
}

export function createModularContext(deps: ModularDeps): ModularContext {
  const limits = { ...defaultFeedLimits, ...deps.feedLimits };
  const modularOf = async (inventorySourceId: number) => {
    const [row] = await deps.db
      .select()
      .from(modularSources)
      .where(eq(modularSources.inventorySourceId, inventorySourceId));
    return row;
  };
  return {
    deps,
    db: deps.db,
    now: deps.now ?? (() => new Date()),
    limits,
    modularOf,
    async requireOwned(principal, sourceId) {
      const storefront = await deps.storefronts.requireOwn(principal);
      const row = await deps.inventorySources.findStored(storefront.id, sourceId);
      if (!row || row.executionType !== modularExecutionType)
        throw notFound('Modular inventory source');
      const [modular] = await deps.db
        .select()
        .from(modularSources)
        .where(
          and(
            eq(modularSources.inventorySourceId, row.id),
            eq(modularSources.storefrontId, storefront.id),
          ),
        );
      if (!modular) throw notFound('Modular inventory source');
      return { storefront, row, modular };
    },
  };
}
