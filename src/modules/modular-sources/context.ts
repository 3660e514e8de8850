import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { UrlSigner } from '../../platform/signed-urls.js';
import type { ActivityService } from '../activity/index.js';
import type { InventorySourcesService, StoredSourceRow } from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import type { XlsxLimits } from './feeds/readers.js';
import { findModular, findModularOf, type ModularRow } from './setup/store.js';
import { modularDescriptor } from '../../source-kinds/descriptors.js';

export const modularExecutionType = modularDescriptor.executionType;

/**
 * Bounds on reading feeds (docs/security.md, "Uploads"): past one the feed is refused, never
 * read whole. How an upload's bytes may arrive is platform/uploads' (the file is spooled first).
 */
export interface FeedLimits {
  /** Rows, every row element counted (INTERCHANGE_FEED_MAX_ROWS). */
  maxRows: number;
  /** Reading an arrived feed (INTERCHANGE_FEED_PARSE_SECONDS). */
  maxSeconds: number;
  maxJsonBytes: number;
  /** How long a preview may wait for its commit. */
  previewTtlSeconds: number;
  xlsx: XlsxLimits;
  /** The CPM ceiling of a source that sets none (INTERCHANGE_FEED_MAX_CPM). */
  maxCpm: number;
}

export const defaultFeedLimits: FeedLimits = {
  maxRows: 250_000,
  maxSeconds: 300,
  maxJsonBytes: 8 * 1024 * 1024,
  previewTtlSeconds: 24 * 3600,
  xlsx: {
    maxEntryBytes: 256 * 1024 * 1024,
    maxInflatedBytes: 512 * 1024 * 1024,
    maxRatio: 200,
    maxSharedStrings: 1_000_000,
    maxSharedChars: 16_000_000,
  },
  maxCpm: 1000,
};

/** Signed CSV downloads of the ledger: how links are signed, where, for how long. */
export interface LedgerDownloads {
  signer: UrlSigner;
  publicUrl: () => string;
  ttlSeconds: number;
}

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
  /** Buyer customers' names (identity), shown on work items; absent: names are null. */
  customerNames?: (ids: number[]) => Promise<Map<number, string>>;
  feedLimits?: Partial<FeedLimits>;
  /** Signed CSV downloads of the ledger (avails, bookings, work items). */
  ledgerDownloads: LedgerDownloads;
  now?: () => Date;
  /**
   * Told after a buy's task settles here (a person confirmed or declined a booking), so
   * the storefront waiting on it looks now (wiring/flows/source-task-settled.ts).
   */
  taskSettled?: (task: { storefrontId: number; sourceId: string; taskId: string }) => Promise<void>;
}

export type { ModularRow };

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
  const modularOf = (inventorySourceId: number) => findModular(deps.db, inventorySourceId);
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
      const modular = await findModularOf(deps.db, storefront.id, row.id);
      if (!modular) throw notFound('Modular inventory source');
      return { storefront, row, modular };
    },
  };
}
