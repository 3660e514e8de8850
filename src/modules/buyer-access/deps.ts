import type { UpstreamClient } from '../../upstream/index.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { ReadCache } from '../../platform/read-cache.js';
import type { IdentityService } from '../identity/index.js';
import type { InventorySourcesService } from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import type { OAuthService } from './oauth/service.js';
import type * as rawStore from './store.js';

export interface BuyerAccessDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  identity: IdentityService;
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  probeTimeoutMs: number;
  /** The guarded fetch for OAuth servers. */
  fetch: OutboundFetch;
  /** This deployment's public origin (OAuth redirect URIs point at it). */
  publicUrl: () => string;
  /** Origins besides ours an OAuth consent may send its code to (redirectUri). */
  oauthRedirectOrigins?: readonly string[];
  /** A storefront's availability (the storefront availability flow, owned by readiness). */
  availability: (storefront: StorefrontRow) => Promise<{
    canTransact: boolean;
    effectiveStatus: 'archived' | 'paused' | 'blocked' | 'live';
    blockerIds: string[];
  }>;
  /** Recent buyer-discovery timing of a storefront (owned by discovery-runs). */
  discoveryPerformance: (storefrontId: number) => Promise<DiscoveryPerformance>;
  now?: () => Date;
}

export interface DiscoveryPerformance {
  sampleCount: number;
  successCount: number;
  timeoutCount: number;
  avgResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  lastResponseTimeMs: number | null;
  lastDiscoveryAt: string | null;
}

/**
 * What the buyer-access parts share, built once by createBuyerAccessService: the store wrapped
 * so credential writes clear the read cache, and the OAuth flow writing through that same store.
 */
export interface BuyerAccessContext {
  deps: BuyerAccessDeps;
  store: typeof rawStore;
  cache: ReadCache;
  oauth: OAuthService;
  now: () => Date;
}
