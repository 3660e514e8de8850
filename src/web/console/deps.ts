import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Guard } from '../../platform/guard/guard.js';
import type { UploadLimits } from '../../platform/uploads/gate.js';
import type { ConsoleSessionsService } from '../../modules/console-sessions/index.js';
import type { CreativeReviewsService } from '../../modules/creative-reviews/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import type { JoinLinksService } from '../../modules/join-links/index.js';
import type { MediaBuysService } from '../../modules/orders/index.js';
import type { NotificationsService } from '../../modules/notifications/index.js';
import type { ReadinessService } from '../../modules/readiness/index.js';
import type { SellerAnalyticsService } from '../../modules/seller-analytics/index.js';
import type { StorefrontsService } from '../../modules/storefronts/index.js';

/** What the console is built from: the services its direct actions call, and its settings. */
export interface ConsoleDeps {
  services: {
    identity: IdentityService;
    storefronts: StorefrontsService;
    readiness: ReadinessService;
    inventorySources: InventorySourcesService;
    joinLinks: JoinLinksService;
    mediaBuys: MediaBuysService;
    creativeReviews: CreativeReviewsService;
    sellerAnalytics: SellerAnalyticsService;
    consoleSessions: ConsoleSessionsService;
    /** The navigation's unread count (the inbox page itself reads through the API). */
    notifications: Pick<NotificationsService, 'unreadCount'>;
  };
  secrets: SecretBox;
  /** Keys and callers, as every surface judges them (platform/guard). */
  guard: Guard;
  /** The configured public URL: https makes the session cookie Secure. */
  publicUrl: string;
  /** Where this deployment is reachable (with the real port), for join-link URLs. */
  ownUrl: () => string;
  /** The largest creative asset the API takes (the upload behind the creative form). */
  assetMaxBytes: number;
  /** How an upload's bytes may arrive (the avails form streams its file on to the API's upload). */
  uploads: UploadLimits;
}
