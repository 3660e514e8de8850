import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ActivityService } from '../activity/index.js';
import type {
  InventorySourcesService,
  SourceWorkQueue,
  StoredSourceRow,
} from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { adapterOf } from './adapters/registry.js';
import type { AdServerAdapter } from './adapters/port.js';
import type { AdServerEndpoints } from './adapters/registry.js';
import type { ServiceAccountKey } from './adapters/gam/token.js';
import {
  findConnection,
  findOwnedConnection,
  type ConnectionRow,
} from './connections/connections-store.js';
import { adServerDescriptor } from '../../source-kinds/descriptors.js';

export const adServerExecutionType = adServerDescriptor.executionType;

export type { ConnectionRow };

/** What the ad-servers module needs: its database, the secret box, other modules' doors. */
export interface AdServerDeps {
  db: Db;
  secrets: SecretBox;
  storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById'>;
  inventorySources: Pick<
    InventorySourcesService,
    'registerOfKind' | 'recordSelfReport' | 'findStored'
  >;
  activity: Pick<ActivityService, 'record'>;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  /** The guarded outbound client's fetch: every call to an ad server goes through it. */
  fetch: OutboundFetch;
  endpoints: AdServerEndpoints;
  /**
   * The instance's own Google service account (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE): Ad
   * Manager sources without a key of their own act as it. Configuration, never stored.
   */
  gamServiceAccountKey?: ServiceAccountKey | undefined;
  /** Objects per inventory page (the ad server's maximum by default). */
  pageSize?: number;
  /** The most report pages one delivery import reads before it is marked partial. */
  reportMaxPages?: number;
  /** The most inventory pages one sync run reads before it is marked partial. */
  syncMaxPages?: number;
  /** Seconds of pages one sync job reads before it queues the rest of the run as the next job. */
  syncSliceSeconds?: number;
  /** Seconds before a sync job left running (its instance died) expires and is retried. */
  syncJobTimeoutSeconds?: number;
  /** Seconds between scheduled inventory syncs of each active source; 0 turns the schedule off. */
  syncIntervalSeconds?: number;
  /** Hours after which a scheduled or refreshed sync is full again rather than incremental. */
  fullSyncEveryHours?: number;
  /** Seconds between scheduled delivery imports; 0 turns the schedule off. */
  reportIntervalSeconds?: number;
  /** Seconds a product's availability forecast is fresh before it is refreshed (default 3600). */
  forecastFreshSeconds?: number;
  /** Seconds between checks of an order waiting for the ad server's approval (default 60). */
  orderPollSeconds?: number;
  /** Backoff before a retried ad-server call (tests shorten it). */
  backoffMs?: number;
  /**
   * The storefront's work queue: a buyer's cancel the ad server could not carry out becomes a
   * seller's work item there (booking/cancel.ts); without it such a cancel is refused.
   */
  workQueue?: SourceWorkQueue | undefined;
  onError?: (error: unknown, context: string) => void;
  now?: () => Date;
}

export interface OwnedConnection {
  storefront: StorefrontRow;
  row: StoredSourceRow;
  connection: ConnectionRow | undefined;
}

export interface AdServerContext {
  deps: AdServerDeps;
  db: Db;
  now: () => Date;
  /** The caller's ad-server source by slug; another storefront's (or another kind's) is NOT_FOUND. */
  requireOwned(principal: CustomerPrincipal, sourceId: string): Promise<OwnedConnection>;
  connectionOf(inventorySourceId: number): Promise<ConnectionRow | undefined>;
  /** The adapter for a connection, its credentials opened for this use only. */
  adapterFor(connection: ConnectionRow): AdServerAdapter;
}

/** The sealing context of a connection's credentials: a ciphertext moved to another row will not open. */
export const credentialContext = (inventorySourceId: number) =>
  `ad-server-credentials:${inventorySourceId}`;

export function createAdServerContext(deps: AdServerDeps): AdServerContext {
  const connectionOf = (inventorySourceId: number) => findConnection(deps.db, inventorySourceId);
  return {
    deps,
    db: deps.db,
    now: deps.now ?? (() => new Date()),
    connectionOf,
    async requireOwned(principal, sourceId) {
      const storefront = await deps.storefronts.requireOwn(principal);
      const row = await deps.inventorySources.findStored(storefront.id, sourceId);
      if (!row || row.executionType !== adServerExecutionType) {
        throw notFound('Ad-server inventory source');
      }
      const connection = await findOwnedConnection(deps.db, row.id, storefront.id);
      return { storefront, row, connection };
    },
    adapterFor(connection) {
      const credentials = connection.credentialsSealed
        ? (JSON.parse(
            deps.secrets.open(
              connection.credentialsSealed,
              credentialContext(connection.inventorySourceId),
            ),
          ) as Record<string, unknown>)
        : {};
      return adapterOf(connection.type, connection.config, credentials, {
        endpoints: deps.endpoints,
        fetch: deps.fetch,
        gamServiceAccountKey: deps.gamServiceAccountKey,
        ...(deps.pageSize && { pageSize: deps.pageSize }),
        ...(deps.backoffMs !== undefined && { backoffMs: deps.backoffMs }),
      });
    },
  };
}
