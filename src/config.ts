import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { AssetStorageConfig } from './platform/storage/index.js';
import { providerConfigOf, type ProviderConfig } from './provider-config.js';

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
  adminKey: string | undefined;
  /** Raw INTERCHANGE_SECRET_KEY; parsed into a keyring by platform/crypto. */
  secretKey: string | undefined;
  publicUrl: string;
  demo: boolean;
  /** Wired provider adapters' OAuth apps and API bases (provider-config.ts). */
  providers: ProviderConfig;
  allowPrivateNetwork: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * How log lines are written: `pretty` (human-readable, for a terminal), `json` (one object a
   * line, for collectors), or unset: pretty on a terminal outside production, JSON otherwise.
   */
  logFormat: 'json' | 'pretty' | undefined;
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
  /** Upper bound on one capability probe of an inventory source. */
  probeTimeoutMs: number;
  /** A storefront agent's time budget per inventory source for one discovery call. */
  sourceBudgetMs: number;
  /** How long a storefront agent reuses a source's answer to one buyer's identical get_products; 0: never. */
  sourceAnswerTtlMs: number;
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
  /**
   * Origins (scheme://host[:port]) besides our own that an OAuth consent may redirect to when a
   * client sends redirectUri; empty by default, so only our own callback receives codes.
   */
  oauthRedirectOrigins: string[];
  jobs: JobsConfig;
  /** Writes to sellers whose outcome must survive a crash (modules/seller-writes). */
  writes: WritesConfig;
  reporting: ReportingConfig;
  /** Where uploaded creative assets are kept (disk by default, or an S3-compatible bucket). */
  assetStorage: AssetStorageConfig;
  /** The largest asset one upload may carry. */
  assetMaxBytes: number;
  /** How long a signed asset link stays valid (sellers fetch creatives through these links). */
  assetUrlTtlSeconds: number;
  /** How often a buyer's cached list of an agent's creative formats is refreshed (a job). */
  formatsRefreshSeconds: number;
  /** Compliance runs, publisher authorization and linked storefronts (issue 31). */
  trust: TrustConfig;
  /** Ad-server sources (issue 35): where each ad server's API is, and the delivery import cadence. */
  adServers: AdServersConfig;
}

export interface AdServersConfig {
  /** Google Ad Manager's SOAP base (the API version and service are appended). */
  gamSoapUrl: string;
  /** Google's OAuth token endpoint for service accounts. */
  gamTokenUrl: string;
  /** Seconds between scheduled delivery imports from ad servers; 0 leaves imports on demand. */
  reportIntervalSeconds: number;
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

/** The background job queue (src/jobs): how this instance works it. */
export interface JobsConfig {
  /** Handlers of one job type running at once on this instance. */
  concurrency: number;
  /** How often an idle worker asks the queue for work. */
  pollIntervalSeconds: number;
  /** How often expired jobs (an instance died mid-job) are failed into retry, and old ones purged. */
  maintenanceIntervalSeconds: number;
  /** On shutdown, how long running handlers get to finish before their jobs are failed for retry. */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const positiveInt = z.coerce.number().int().positive();

// proxy-addr's names for whole ranges, accepted beside addresses and CIDRs.
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) =>
  proxyRangeNames.has(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry);

/**
 * "0"/unset: trust no proxy; a number: that many hops; else a comma-separated list of proxy
 * addresses or CIDRs. Never "true": believing X-Forwarded-For from anyone lets every client pick
 * its own rate-limit bucket.
 */
const trustProxy = z
  .string()
  .trim()
  .refine((v) => /^\d+$/.test(v) || v.split(',').every((e) => isProxyAddress(e.trim())), {
    message: 'must be a hop count or a comma-separated list of IP addresses or CIDRs',
  })
  .transform((v): false | number | string[] => {
    if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
    return v.split(',').map((e) => e.trim());
  });

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** An http(s) origin with nothing after it: no path, query, fragment or credentials. */
function isPlainOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return /^https?:$/.test(url.protocol) && url.origin === entry.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

const fields = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  INTERCHANGE_DATA_DIR: z.string().min(1).default('./.interchange'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: positiveInt.max(200).default(10),
  INTERCHANGE_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  INTERCHANGE_SECRET_KEY: z.string().min(1).optional(),
  INTERCHANGE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  INTERCHANGE_DEMO: flag.default(true),
  INTERCHANGE_ALLOW_PRIVATE_NETWORK: flag.default(false),
  INTERCHANGE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  INTERCHANGE_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  NODE_ENV: z.string().optional(),
  INTERCHANGE_RATE_LIMIT: positiveInt.default(1200),
  INTERCHANGE_PUBLIC_RATE_LIMIT: positiveInt.default(120),
  INTERCHANGE_BODY_LIMIT: positiveInt.default(1024 * 1024),
  INTERCHANGE_TRUST_PROXY: trustProxy.optional(),
  INTERCHANGE_PROBE_TIMEOUT_MS: positiveInt.max(120_000).default(8000),
  INTERCHANGE_SOURCE_BUDGET_MS: positiveInt.max(60_000).default(4000),
  INTERCHANGE_SOURCE_ANSWER_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(0),
  INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: positiveInt.max(120_000).default(6000),
  INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: positiveInt.max(210_000).default(10_000),
  INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: positiveInt.max(120_000).default(15_000),
  INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: positiveInt.max(3600).default(120),
  INTERCHANGE_TRANSACT_BUDGET_MS: positiveInt.max(120_000).default(15_000),
  INTERCHANGE_WRITE_RECOVERY_SECONDS: z.coerce.number().min(0.5).max(3600).default(10),
  INTERCHANGE_TEST_CRASH_FILE: z.string().min(1).optional(),
  INTERCHANGE_STATUS_SYNC_MIN_SECONDS: z.coerce.number().min(0.5).max(86_400).default(10),
  INTERCHANGE_STATUS_SYNC_MAX_SECONDS: z.coerce.number().min(1).max(86_400).default(900),
  INTERCHANGE_OAUTH_REDIRECT_ORIGINS: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isPlainOrigin), {
      message: 'must be a comma-separated list of origins like https://app.example.com',
    })
    .optional(),
  INTERCHANGE_ASSET_STORAGE: z.enum(['disk', 's3']).default('disk'),
  INTERCHANGE_ASSET_DIR: z.string().min(1).optional(),
  INTERCHANGE_ASSET_MAX_BYTES: positiveInt.max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  INTERCHANGE_ASSET_URL_TTL_SECONDS: positiveInt.max(366 * 86_400).default(7 * 86_400),
  INTERCHANGE_S3_BUCKET: z.string().min(1).optional(),
  INTERCHANGE_S3_REGION: z.string().min(1).default('us-east-1'),
  INTERCHANGE_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  INTERCHANGE_S3_FORCE_PATH_STYLE: flag.default(false),
  INTERCHANGE_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\/)*$/, 'must be empty or folders ending in /, e.g. interchange/')
    .default(''),
  INTERCHANGE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  INTERCHANGE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  INTERCHANGE_FORMATS_REFRESH_SECONDS: positiveInt.max(7 * 86_400).default(3600),
  INTERCHANGE_JOBS_CONCURRENCY: positiveInt.max(100).default(2),
  INTERCHANGE_DELIVERY_IMPORT_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(900),
  INTERCHANGE_GAM_SOAP_URL: z.string().url().default('https://ads.google.com/apis/ads/publisher'),
  INTERCHANGE_GAM_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  INTERCHANGE_AD_SERVER_REPORT_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(3600),
  INTERCHANGE_REPORT_DOWNLOAD_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  // pg-boss polls no faster than every half second.
  INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(3600).default(2),
  INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: positiveInt.max(86_400).default(120),
  INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(30_000),
  INTERCHANGE_COMPLIANCE_POLICY: z.enum(['strict', 'warn', 'off']).default('warn'),
  INTERCHANGE_COMPLIANCE_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  INTERCHANGE_COMPLIANCE_RUN_TIMEOUT_MS: positiveInt.min(5000).max(1_800_000).default(300_000),
  INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(120_000)
    .default(20_000),
  INTERCHANGE_ADAGENTS_URL: z
    .string()
    .refine((v) => v.includes('{domain}') && isHttpUrl(v.replace('{domain}', 'example.com')), {
      message: 'must be an http(s) URL containing {domain}',
    })
    .default('https://{domain}/.well-known/adagents.json'),
  INTERCHANGE_ADAGENTS_TTL_SECONDS: positiveInt
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  INTERCHANGE_LINK_MAX_DEPTH: positiveInt.max(10).default(3),
} as const;

type Fields = typeof fields;
type Parsed = { [K in keyof Fields]: z.output<Fields[K]> };

/** Builds the config from an environment map; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(fields)) {
    const raw = env[name];
    const result = schema.safeParse(raw === '' ? undefined : raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ConfigError(name, describeIssue(name, issue?.message, raw));
    }
    parsed[name] = result.data;
  }
  const p = parsed as Parsed;
  if (p.INTERCHANGE_ASSET_STORAGE === 's3' && !p.INTERCHANGE_S3_BUCKET) {
    throw new ConfigError('INTERCHANGE_S3_BUCKET', 'is required when INTERCHANGE_ASSET_STORAGE=s3');
  }
  if (p.INTERCHANGE_TEST_CRASH_FILE && p.NODE_ENV === 'production') {
    throw new ConfigError('INTERCHANGE_TEST_CRASH_FILE', 'is a test hook, refused in production');
  }
  if (!p.INTERCHANGE_S3_ACCESS_KEY_ID !== !p.INTERCHANGE_S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(
      'INTERCHANGE_S3_SECRET_ACCESS_KEY',
      'INTERCHANGE_S3_ACCESS_KEY_ID and INTERCHANGE_S3_SECRET_ACCESS_KEY go together',
    );
  }
  return {
    port: p.PORT,
    host: p.HOST,
    dataDir: p.INTERCHANGE_DATA_DIR,
    databaseUrl: p.DATABASE_URL,
    databasePoolMax: p.DATABASE_POOL_MAX,
    adminKey: p.INTERCHANGE_ADMIN_KEY,
    secretKey: p.INTERCHANGE_SECRET_KEY,
    publicUrl: (p.INTERCHANGE_PUBLIC_URL ?? `http://${hostForUrl(p.HOST)}:${p.PORT}`).replace(
      /\/+$/,
      '',
    ),
    demo: p.INTERCHANGE_DEMO,
    providers: providerConfigOf(env),
    allowPrivateNetwork: p.INTERCHANGE_ALLOW_PRIVATE_NETWORK,
    logLevel: p.INTERCHANGE_LOG_LEVEL,
    logFormat: p.INTERCHANGE_LOG_FORMAT,
    production: p.NODE_ENV === 'production',
    rateLimitPerKey: p.INTERCHANGE_RATE_LIMIT,
    rateLimitPerIp: p.INTERCHANGE_PUBLIC_RATE_LIMIT,
    trustProxy: p.INTERCHANGE_TRUST_PROXY ?? false,
    bodyLimitBytes: p.INTERCHANGE_BODY_LIMIT,
    probeTimeoutMs: p.INTERCHANGE_PROBE_TIMEOUT_MS,
    sourceBudgetMs: p.INTERCHANGE_SOURCE_BUDGET_MS,
    sourceAnswerTtlMs: p.INTERCHANGE_SOURCE_ANSWER_TTL_MS,
    discoveryAgentBudgetMs: p.INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS,
    discoveryTotalBudgetMs: p.INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS,
    executeAgentBudgetMs: p.INTERCHANGE_EXECUTE_AGENT_BUDGET_MS,
    statusSyncMinSeconds: p.INTERCHANGE_STATUS_SYNC_MIN_SECONDS,
    statusSyncMaxSeconds: Math.max(
      p.INTERCHANGE_STATUS_SYNC_MAX_SECONDS,
      p.INTERCHANGE_STATUS_SYNC_MIN_SECONDS,
    ),
    oauthRedirectOrigins: p.INTERCHANGE_OAUTH_REDIRECT_ORIGINS ?? [],
    adServers: {
      gamSoapUrl: p.INTERCHANGE_GAM_SOAP_URL,
      gamTokenUrl: p.INTERCHANGE_GAM_TOKEN_URL,
      reportIntervalSeconds: p.INTERCHANGE_AD_SERVER_REPORT_INTERVAL_SECONDS,
    },
    reporting: {
      deliveryImportIntervalSeconds: p.INTERCHANGE_DELIVERY_IMPORT_INTERVAL_SECONDS,
      downloadTtlSeconds: p.INTERCHANGE_REPORT_DOWNLOAD_TTL_SECONDS,
    },
    writes: {
      idempotencyClaimSeconds: p.INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS,
      transactBudgetMs: p.INTERCHANGE_TRANSACT_BUDGET_MS,
      recoverySeconds: p.INTERCHANGE_WRITE_RECOVERY_SECONDS,
      crashFile: p.INTERCHANGE_TEST_CRASH_FILE,
    },
    jobs: {
      concurrency: p.INTERCHANGE_JOBS_CONCURRENCY,
      pollIntervalSeconds: p.INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS,
      maintenanceIntervalSeconds: p.INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS,
      shutdownTimeoutMs: p.INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS,
    },
    assetStorage:
      p.INTERCHANGE_ASSET_STORAGE === 's3'
        ? {
            kind: 's3',
            bucket: p.INTERCHANGE_S3_BUCKET as string,
            region: p.INTERCHANGE_S3_REGION,
            endpoint: p.INTERCHANGE_S3_ENDPOINT,
            forcePathStyle: p.INTERCHANGE_S3_FORCE_PATH_STYLE,
            prefix: p.INTERCHANGE_S3_PREFIX,
            credentials:
              p.INTERCHANGE_S3_ACCESS_KEY_ID && p.INTERCHANGE_S3_SECRET_ACCESS_KEY
                ? {
                    accessKeyId: p.INTERCHANGE_S3_ACCESS_KEY_ID,
                    secretAccessKey: p.INTERCHANGE_S3_SECRET_ACCESS_KEY,
                  }
                : undefined,
          }
        : { kind: 'disk', dir: p.INTERCHANGE_ASSET_DIR },
    assetMaxBytes: p.INTERCHANGE_ASSET_MAX_BYTES,
    assetUrlTtlSeconds: p.INTERCHANGE_ASSET_URL_TTL_SECONDS,
    formatsRefreshSeconds: p.INTERCHANGE_FORMATS_REFRESH_SECONDS,
    trust: {
      compliancePolicy: p.INTERCHANGE_COMPLIANCE_POLICY,
      complianceIntervalSeconds: p.INTERCHANGE_COMPLIANCE_INTERVAL_SECONDS,
      complianceRunTimeoutMs: p.INTERCHANGE_COMPLIANCE_RUN_TIMEOUT_MS,
      complianceRefreshWaitMs: p.INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS,
      adagentsUrl: p.INTERCHANGE_ADAGENTS_URL,
      adagentsTtlSeconds: p.INTERCHANGE_ADAGENTS_TTL_SECONDS,
      linkMaxDepth: p.INTERCHANGE_LINK_MAX_DEPTH,
    },
  };
}

// Values of these may hold credentials, so a complaint never echoes them.
const secretVariables = new Set([
  'DATABASE_URL',
  'INTERCHANGE_ADMIN_KEY',
  'INTERCHANGE_SECRET_KEY',
  'INTERCHANGE_S3_SECRET_ACCESS_KEY',
]);

function describeIssue(name: string, message: string | undefined, raw: string | undefined) {
  const problem = message ?? 'invalid value';
  if (raw === undefined || secretVariables.has(name)) return problem;
  return `${problem} (got ${JSON.stringify(raw)})`;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
