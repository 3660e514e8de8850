import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import type { AppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { UpstreamClient } from '../../upstream/index.js';
import type { ActivityService } from '../activity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { SourceRow } from './store.js';

/** What the inventory-sources service is built with. */
export interface InventorySourcesDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  storefronts: StorefrontsService;
  activity: ActivityService;
  allowPrivateNetwork: boolean;
  /** This deployment's own `host:port`s (the built-in demo agent lives there). */
  trustedHosts: ReadonlySet<string>;
  probeTimeoutMs: number;
  now?: () => Date;
  /**
   * Told when a source got an endpoint or credential to call (created, or its endpoint,
   * protocol or credential changed): the compliance module runs its storyboards.
   */
  onConnected?: (row: SourceRow, principal: CustomerPrincipal) => Promise<void>;
  /**
   * Why the source may not go ACTIVE beyond its probe, if at all: under the strict compliance
   * policy, a latest compliance run that failed (the compliance module answers).
   */
  activationRefusal?: (row: SourceRow) => Promise<AppError | undefined>;
  /** A source that answered its last probe failed this one (the seller is notified). */
  onUnhealthy?: (
    row: { storefrontId: number; sourceId: string; name: string },
    reason: string,
    at: Date,
  ) => Promise<void>;
}
