import type { JobsConfig } from '../platform/jobs/index.js';
import type { GamServiceAccountKey } from './gam-service-account.js';
import type { AssetStorageConfig } from '../platform/storage/index.js';
import type { ProviderConfig } from '../provider-config.js';

export type { JobsConfig };

/**
 * The whole runtime configuration, validated once from the environment and passed down.
 * Nothing reads process.env anywhere else.
 */
export interface Config {
  port: number;
  host: string;
  /** Directory of the embedded database and generated secret key, or 'memory'. */
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  /**
   * DATABASE_STATEMENT_TIMEOUT_MS: the longest any statement of the pool runs before PostgreSQL
   * cancels it (0: no limit). Migrations lift it for their own transaction.
   */
  databaseStatementTimeoutMs: number;
  adminKey: string | undefined;
  /** Raw INTERCHANGE_SECRET_KEY; parsed into a keyring by platform/crypto. */
  secretKey: string | undefined;
  publicUrl: string;
  demo: boolean;
  allowPrivateNetwork: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * How log lines are written: `pretty` (human-readable, for a terminal), `json` (one object a
   * line, for collectors), or unset: pretty on a terminal outside production, JSON otherwise.
   */
  logFormat: 'json' | 'pretty' | undefined;
  /** Wired provider adapters' OAuth apps and API bases (provider-config.ts). */
  providers: ProviderConfig;
  /** INTERCHANGE_METRICS: serve Prometheus metrics at /metrics (docs/operations.md). */
  metrics: boolean;
  /** INTERCHANGE_METRICS_TOKEN: the bearer token a scraper presents at /metrics. */
  metricsToken: string | undefined;
  /** NODE_ENV=production: request lines at info (at debug otherwise), and no SDK validation. */
  production: boolean;
  /** Requests per minute per API key. */
  rateLimitPerKey: number;
  /** Requests per minute per client IP on unauthenticated requests. */
  rateLimitPerIp: number;
  /**
   * Which proxies' X-Forwarded-For is believed when working out a client's IP (Fastify's
   * trustProxy): a hop count, or addresses/CIDRs of the load balancers; false believes none.
   */
  trustProxy: false | number | string[];
  bodyLimitBytes: number;
  /** How long a stopping instance waits for requests in flight (INTERCHANGE_DRAIN_TIMEOUT_MS). */
  drainTimeoutMs: number;
  /** Upper bound on one capability probe of an inventory source. */
  probeTimeoutMs: number;
  /** A storefront agent's time budget per inventory source for one discovery call. */
  sourceBudgetMs: number;
  /** How long a storefront agent reuses a source's answer to one buyer's identical get_products; 0: never. */
  sourceAnswerTtlMs: number;
  /**
   * The OpenAI-compatible endpoint that rewrites a brief into the matcher's structured ask
   * before get_products ranks (issue 47); null: the deterministic ask alone. The key is a secret.
   */
  briefLlm: { url: string; model: string; apiKey: string | undefined; timeoutMs: number } | null;
  /** Buyer discovery: longest one storefront agent is waited for (it is then reported timed out). */
  discoveryAgentBudgetMs: number;
  /** Buyer discovery: longest the whole request waits for its agents (they run in parallel). */
  discoveryTotalBudgetMs: number;
  /** Campaign execution: longest one create/update_media_buy call to an agent is waited for. */
  executeAgentBudgetMs: number;
  /**
   * Status sync of placed media buys: the first look at a buy's seller comes this long after a
   * change, each look that learns nothing doubles the wait, up to statusSyncMaxSeconds.
   */
  statusSyncMinSeconds: number;
  statusSyncMaxSeconds: number;
  /** Seconds between optimisation sweeps over campaigns with goals; 0 turns them off. */
  optimizationIntervalSeconds: number;
  /**
   * How long an agent's get_adcp_capabilities answer is held per buyer for audience and
   * conversion forwarding (cleared by any registration change); 0 asks on every request.
   */
  capabilityCacheSeconds: number;
  /**
   * Origins (scheme://host[:port]) besides our own that an OAuth consent may redirect to when a
   * client sends redirectUri; empty by default, so only our own callback receives codes.
   */
  oauthRedirectOrigins: string[];
  jobs: JobsConfig;
  /** Notifications: the sweep of scheduled events, and email (docs/notifications.md). */
  notifications: NotificationsConfig;
  /** Writes to sellers whose outcome must survive a crash (modules/seller-writes). */
  writes: WritesConfig;
  /** What is pruned once only looking back needs it (src/jobs/retention.ts). */
  retention: RetentionConfig;
  reporting: ReportingConfig;
  /** Where uploaded creative assets are kept (disk by default, or an S3-compatible bucket). */
  assetStorage: AssetStorageConfig;
  /** The largest asset one upload may carry. */
  assetMaxBytes: number;
  /** How long a signed asset link stays valid (sellers fetch creatives through these links). */
  assetUrlTtlSeconds: number;
  /** The CPM ceiling of an avails feed row when its source sets none (maxCpm). */
  feedMaxCpm: number;
  /** How often a buyer's cached list of an agent's creative formats is refreshed (a job). */
  formatsRefreshSeconds: number;
  /** Compliance runs, publisher authorization and linked storefronts (issue 31). */
  trust: TrustConfig;
  /** Ad-server sources (issue 35): where each ad server's API is, and the delivery import cadence. */
  adServers: AdServersConfig;
  /** Uploaded files and feeds: how their bytes arrive and how far they are read (issue 45). */
  uploads: UploadsConfig;
}

/** docs/security.md, "Uploads": each bound is refused with a 4xx naming its variable. */
export interface UploadsConfig {
  /** The largest uploaded file; the byte past it is answered 413 at once. */
  maxBytes: number;
  /** 408 when no byte of an upload arrives for this long. */
  idleSeconds: number;
  /** 408 when an upload has not arrived whole by then, however steadily it trickles. */
  bodySeconds: number;
  /** Uploads received and read at once on one instance (503 beyond); kept below the pool. */
  concurrency: number;
  /** Uploads one customer has in flight on one instance (429 beyond). */
  concurrencyPerCustomer: number;
  /** Rows a feed may hold, every row element counted (an XLSX's empty rows too). */
  maxRows: number;
  /** How long reading an arrived feed may take. */
  parseSeconds: number;
  xlsx: {
    /** Inflated bytes of one zip entry. */
    maxEntryBytes: number;
    /** Inflated bytes of every entry read, together. */
    maxInflatedBytes: number;
    /** Inflated bytes per compressed byte an entry may reach (past its first MiB). */
    maxRatio: number;
    maxSharedStrings: number;
    /** Characters of all shared strings together. */
    maxSharedChars: number;
  };
}

export interface AdServersConfig {
  /** Google Ad Manager's SOAP base (the API version and service are appended). */
  gamSoapUrl: string;
  /** Google's OAuth token endpoint for service accounts. */
  gamTokenUrl: string;
  /**
   * The instance's own Google service account (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE or
   * INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY): Ad Manager sources saved without a key of their own act
   * as it. Configuration only: never stored, logged or returned.
   */
  gamServiceAccountKey?: GamServiceAccountKey | undefined;
  /** SpringServe's API base (https://console.springserve.com; /api/v0/… is appended). */
  springServeUrl: string;
  /** FreeWheel's Publisher API base for production (https://api.freewheel.tv). */
  freeWheelUrl: string;
  /** FreeWheel's staging API base, for the `staging` and `sandbox` environments. */
  freeWheelStagingUrl: string;
  /** The most report pages one delivery import reads; past it the import is marked partial. */
  reportMaxPages: number;
  /** The most inventory pages one sync run reads; past it the run is marked partial. */
  syncMaxPages: number;
  /** Seconds before a sync job whose instance died expires and resumes elsewhere. */
  syncJobTimeoutSeconds: number;
  /** Seconds between scheduled inventory syncs of each active ad-server source; 0: on demand only. */
  syncIntervalSeconds: number;
  /** Hours after which a sync is full again rather than incremental. */
  fullSyncEveryHours: number;
  /** Seconds between scheduled delivery imports from ad servers; 0 leaves imports on demand. */
  reportIntervalSeconds: number;
  /** Seconds between checks of an order waiting for the ad server's own approval. */
  orderPollSeconds?: number;
  /** Seconds a product's availability forecast is fresh before it is refreshed. */
  forecastFreshSeconds?: number;
}

/** How far the instance trusts its sources (docs/compliance.md, docs/federation.md). */
export interface TrustConfig {
  /**
   * `strict`: a source whose latest compliance run failed cannot go ACTIVE and is left out of
   * composition and passthrough, and products of publisher domains that do not authorize the
   * storefront are not offered; `warn`: they serve, and readiness says why; `off`: no runs are
   * started automatically and nothing is gated.
   */
  compliancePolicy: 'strict' | 'warn' | 'off';
  /** Seconds between scheduled compliance runs of a source; 0 turns the schedule off. */
  complianceIntervalSeconds: number;
  /** Upper bound on one compliance run (its storyboards are then stopped and it is recorded). */
  complianceRunTimeoutMs: number;
  /** How long POST …/readiness/compliance/refresh waits for its runs before answering. */
  complianceRefreshWaitMs: number;
  /** Where a publisher's adagents.json is read; `{domain}` is replaced by the domain. */
  adagentsUrl: string;
  /** How long a resolved adagents.json is trusted when it names no max-age of its own. */
  adagentsTtlSeconds: number;
  /** How many storefronts a request may pass through on a chain of links. */
  linkMaxDepth: number;
}

/** Delivery import and reporting downloads (issue 15). */
export interface ReportingConfig {
  /** Seconds between delivery import sweeps over booked buys; 0 turns the sweep off. */
  deliveryImportIntervalSeconds: number;
  /** How long a signed report download URL stays valid. */
  downloadTtlSeconds: number;
}

/** Writes that cross to a seller: how their outcome is established after a crash. */
export interface RetentionConfig {
  /** INTERCHANGE_RETENTION_INTERVAL_SECONDS: how often the prune runs (0: never). */
  intervalSeconds: number;
  /** INTERCHANGE_SETTLED_WRITE_RETENTION_DAYS: how long a settled seller-write intent is kept. */
  settledWriteDays: number;
  /** INTERCHANGE_TASK_PUSH_RETENTION_DAYS: how long a buyer's task push config is kept. */
  taskPushDays: number;
}

export interface WritesConfig {
  /**
   * How long a storefront agent request holds its idempotency key (AdCP's 120 s working
   * timeout by default); a retry after that takes over the key of a request that died.
   */
  idempotencyClaimSeconds: number;
  /** A storefront agent's time budget per inventory source for one media-buy or creative write. */
  transactBudgetMs: number;
  /** The first look at a write whose outcome is unknown comes this long after; it then doubles. */
  recoverySeconds: number;
  /**
   * Tests only (refused with NODE_ENV=production): a file naming the point of a seller write at
   * which this process kills itself (`kind:phase`), read at each such point.
   */
  crashFile: string | undefined;
}

export interface NotificationsConfig {
  /** Seconds between sweeps of scheduled events and stalled deliveries; 0 turns them off. */
  sweepSeconds: number;
  /** A hold expiring within this many hours is told to its seller. */
  holdWindowHours: number;
  /** A failed delivery's first retry comes this many seconds later, doubling after. */
  retrySeconds: number;
  /** The operator's SMTP server; absent, no email is sent. */
  smtp: { url: string; from: string } | null;
}
