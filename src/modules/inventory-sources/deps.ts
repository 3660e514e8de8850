import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import type { UpstreamClient } from '../../upstream/index.js';
import type { ActivityService } from '../activity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';

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
  /** A source that answered its last probe failed this one (the seller is notified). */
  onUnhealthy?: (
    row: { storefrontId: number; sourceId: string; name: string },
    reason: string,
    at: Date,
  ) => Promise<void>;
}
