import type { z } from 'zod';
import type { Config, NotificationsConfig, UploadsConfig } from './config/settings.js';
import { gamServiceAccountOf } from './config/gam-service-account.js';
import { fields } from './config/variables.js';
import { ConfigError } from './platform/config-error.js';
import { providerConfigOf } from './provider-config.js';

export type {
  AdServersConfig,
  Config,
  JobsConfig,
  NotificationsConfig,
  ReportingConfig,
  RetentionConfig,
  TrustConfig,
  UploadsConfig,
  WritesConfig,
} from './config/settings.js';
export { ConfigError };

type Fields = typeof fields;
type Parsed = { [K in keyof Fields]: z.output<Fields[K]> };

export const sandboxVariable = 'INTERCHANGE_SANDBOX';

/** Whether the environment asks for the sandbox (1/true); anything else but unset is refused. */
export function sandboxRequested(env: Record<string, string | undefined>): boolean {
  const value = env[sandboxVariable]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(sandboxVariable, 'must be 1 or 0');
}

/** Why the sandbox never runs in production (src/demo/sandbox/start.ts says it again at start). */
export const sandboxInProduction =
  'refused under NODE_ENV=production: the sandbox runs local fakes of ad servers and ' +
  'providers and lets loopback past the outbound guard; unset it, or run without NODE_ENV=production';

/**
 * What never runs under NODE_ENV=production, refused when the config is read: `serve` validates
 * its config before anything is opened, so an unreachable DATABASE_URL cannot keep it waiting.
 */
function refuseOutsideProduction(env: Record<string, string | undefined>, p: Parsed): void {
  if (sandboxRequested(env)) throw new ConfigError(sandboxVariable, sandboxInProduction);
  if (p.INTERCHANGE_TEST_CRASH_FILE) {
    throw new ConfigError('INTERCHANGE_TEST_CRASH_FILE', 'is a test hook, refused in production');
  }
}

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
  if (p.INTERCHANGE_METRICS && !p.INTERCHANGE_METRICS_TOKEN) {
    throw new ConfigError(
      'INTERCHANGE_METRICS_TOKEN',
      'is required when INTERCHANGE_METRICS=1: it is the only credential /metrics takes',
    );
  }
  if (p.NODE_ENV === 'production') refuseOutsideProduction(env, p);
  if (!p.INTERCHANGE_S3_ACCESS_KEY_ID !== !p.INTERCHANGE_S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(
      'INTERCHANGE_S3_SECRET_ACCESS_KEY',
      'INTERCHANGE_S3_ACCESS_KEY_ID and INTERCHANGE_S3_SECRET_ACCESS_KEY go together',
    );
  }
  const gamServiceAccountKey = gamServiceAccountOf(
    p.INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY,
    p.INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE,
  );
  return {
    port: p.PORT,
    host: p.HOST,
    dataDir: p.INTERCHANGE_DATA_DIR,
    databaseUrl: p.DATABASE_URL,
    databasePoolMax: p.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: p.DATABASE_STATEMENT_TIMEOUT_MS,
    adminKey: p.INTERCHANGE_ADMIN_KEY,
    secretKey: p.INTERCHANGE_SECRET_KEY,
    publicUrl: (p.INTERCHANGE_PUBLIC_URL ?? `http://${hostForUrl(p.HOST)}:${p.PORT}`).replace(
      /\/+$/,
      '',
    ),
    demo: p.INTERCHANGE_DEMO,
    allowPrivateNetwork: p.INTERCHANGE_ALLOW_PRIVATE_NETWORK,
    logLevel: p.INTERCHANGE_LOG_LEVEL,
    logFormat: p.INTERCHANGE_LOG_FORMAT,
    providers: providerConfigOf(env),
    metrics: p.INTERCHANGE_METRICS,
    metricsToken: p.INTERCHANGE_METRICS_TOKEN,
    adServers: adServersOf(p, gamServiceAccountKey),
    production: p.NODE_ENV === 'production',
    rateLimitPerKey: p.INTERCHANGE_RATE_LIMIT,
    rateLimitPerIp: p.INTERCHANGE_PUBLIC_RATE_LIMIT,
    trustProxy: p.INTERCHANGE_TRUST_PROXY ?? false,
    bodyLimitBytes: p.INTERCHANGE_BODY_LIMIT,
    drainTimeoutMs: p.INTERCHANGE_DRAIN_TIMEOUT_MS,
    probeTimeoutMs: p.INTERCHANGE_PROBE_TIMEOUT_MS,
    sourceBudgetMs: p.INTERCHANGE_SOURCE_BUDGET_MS,
    sourceAnswerTtlMs: p.INTERCHANGE_SOURCE_ANSWER_TTL_MS,
    briefLlm: briefLlmOf(p),
    discoveryAgentBudgetMs: p.INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS,
    discoveryTotalBudgetMs: p.INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS,
    executeAgentBudgetMs: p.INTERCHANGE_EXECUTE_AGENT_BUDGET_MS,
    statusSyncMinSeconds: p.INTERCHANGE_STATUS_SYNC_MIN_SECONDS,
    statusSyncMaxSeconds: Math.max(
      p.INTERCHANGE_STATUS_SYNC_MAX_SECONDS,
      p.INTERCHANGE_STATUS_SYNC_MIN_SECONDS,
    ),
    oauthRedirectOrigins: p.INTERCHANGE_OAUTH_REDIRECT_ORIGINS ?? [],
    reporting: {
      deliveryImportIntervalSeconds: p.INTERCHANGE_DELIVERY_IMPORT_INTERVAL_SECONDS,
      downloadTtlSeconds: p.INTERCHANGE_REPORT_DOWNLOAD_TTL_SECONDS,
    },
    optimizationIntervalSeconds: p.INTERCHANGE_OPTIMIZATION_INTERVAL_SECONDS,
    capabilityCacheSeconds: p.INTERCHANGE_CAPABILITY_CACHE_SECONDS,
    writes: {
      idempotencyClaimSeconds: p.INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS,
      transactBudgetMs: p.INTERCHANGE_TRANSACT_BUDGET_MS,
      recoverySeconds: p.INTERCHANGE_WRITE_RECOVERY_SECONDS,
      crashFile: p.INTERCHANGE_TEST_CRASH_FILE,
    },
    retention: {
      intervalSeconds: p.INTERCHANGE_RETENTION_INTERVAL_SECONDS,
      settledWriteDays: p.INTERCHANGE_SETTLED_WRITE_RETENTION_DAYS,
      taskPushDays: p.INTERCHANGE_TASK_PUSH_RETENTION_DAYS,
    },
    notifications: notificationsOf(p),
    jobs: {
      concurrency: p.INTERCHANGE_JOBS_CONCURRENCY,
      pollIntervalSeconds: p.INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS,
      maintenanceIntervalSeconds: p.INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS,
      leaseSeconds: p.INTERCHANGE_JOBS_LEASE_SECONDS,
      shutdownTimeoutMs: p.INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS,
    },
    assetStorage: assetStorageOf(p),
    assetMaxBytes: p.INTERCHANGE_ASSET_MAX_BYTES,
    assetUrlTtlSeconds: p.INTERCHANGE_ASSET_URL_TTL_SECONDS,
    feedMaxCpm: p.INTERCHANGE_FEED_MAX_CPM,
    formatsRefreshSeconds: p.INTERCHANGE_FORMATS_REFRESH_SECONDS,
    uploads: uploadsOf(p),
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

/** The ad servers' endpoints (the sandbox's fakes point them elsewhere) and their sync and report cadence. */
function adServersOf(
  p: Parsed,
  gamServiceAccountKey: Config['adServers']['gamServiceAccountKey'],
): Config['adServers'] {
  return {
    gamSoapUrl: p.INTERCHANGE_GAM_SOAP_URL,
    gamTokenUrl: p.INTERCHANGE_GAM_TOKEN_URL,
    gamServiceAccountKey,
    springServeUrl: p.INTERCHANGE_SPRINGSERVE_URL,
    freeWheelUrl: p.INTERCHANGE_FREEWHEEL_URL,
    freeWheelStagingUrl: p.INTERCHANGE_FREEWHEEL_STAGING_URL,
    reportIntervalSeconds: p.INTERCHANGE_AD_SERVER_REPORT_INTERVAL_SECONDS,
    reportMaxPages: p.INTERCHANGE_AD_SERVER_REPORT_MAX_PAGES,
    syncMaxPages: p.INTERCHANGE_AD_SERVER_SYNC_MAX_PAGES,
    syncJobTimeoutSeconds: p.INTERCHANGE_AD_SERVER_SYNC_JOB_TIMEOUT_SECONDS,
    syncIntervalSeconds: p.INTERCHANGE_AD_SERVER_SYNC_INTERVAL_SECONDS,
    fullSyncEveryHours: p.INTERCHANGE_AD_SERVER_FULL_SYNC_HOURS,
    orderPollSeconds: p.INTERCHANGE_AD_SERVER_ORDER_POLL_SECONDS,
    forecastFreshSeconds: p.INTERCHANGE_AD_SERVER_FORECAST_FRESH_SECONDS,
  };
}

/** Where uploaded assets are kept: an S3 bucket, or a folder on disk. */
function assetStorageOf(p: Parsed): Config['assetStorage'] {
  return p.INTERCHANGE_ASSET_STORAGE === 's3'
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
    : { kind: 'disk', dir: p.INTERCHANGE_ASSET_DIR };
}

/** docs/notifications.md: the sweep, the hold window, and email (off unless both are set). */
function notificationsOf(p: Parsed): NotificationsConfig {
  if (!p.INTERCHANGE_SMTP_URL !== !p.INTERCHANGE_SMTP_FROM) {
    throw new ConfigError(
      'INTERCHANGE_SMTP_FROM',
      'INTERCHANGE_SMTP_URL and INTERCHANGE_SMTP_FROM go together',
    );
  }
  return {
    sweepSeconds: p.INTERCHANGE_NOTIFICATIONS_SWEEP_SECONDS,
    holdWindowHours: p.INTERCHANGE_NOTIFICATIONS_HOLD_WINDOW_HOURS,
    retrySeconds: p.INTERCHANGE_NOTIFICATIONS_RETRY_SECONDS,
    smtp:
      p.INTERCHANGE_SMTP_URL && p.INTERCHANGE_SMTP_FROM
        ? { url: p.INTERCHANGE_SMTP_URL, from: p.INTERCHANGE_SMTP_FROM }
        : null,
  };
}

/** docs/security.md, "Uploads". */
/** The language-model endpoint that rewrites briefs, when its URL is set. */
function briefLlmOf(p: Parsed): Config['briefLlm'] {
  if (!p.INTERCHANGE_BRIEF_LLM_URL) return null;
  return {
    url: p.INTERCHANGE_BRIEF_LLM_URL,
    model: p.INTERCHANGE_BRIEF_LLM_MODEL,
    apiKey: p.INTERCHANGE_BRIEF_LLM_API_KEY,
    timeoutMs: p.INTERCHANGE_BRIEF_LLM_TIMEOUT_MS,
  };
}

function uploadsOf(p: Parsed): UploadsConfig {
  // Each upload being read holds a database connection: the cap stays below the pool.
  const concurrency =
    p.INTERCHANGE_UPLOAD_CONCURRENCY ?? Math.max(1, Math.min(4, p.DATABASE_POOL_MAX - 2));
  if (concurrency >= p.DATABASE_POOL_MAX && p.DATABASE_POOL_MAX > 1) {
    throw new ConfigError(
      'INTERCHANGE_UPLOAD_CONCURRENCY',
      `must be below DATABASE_POOL_MAX (${p.DATABASE_POOL_MAX}): each upload being read holds a database connection`,
    );
  }
  return {
    maxBytes: p.INTERCHANGE_UPLOAD_MAX_BYTES,
    idleSeconds: p.INTERCHANGE_UPLOAD_IDLE_SECONDS,
    bodySeconds: p.INTERCHANGE_UPLOAD_BODY_SECONDS,
    concurrency,
    concurrencyPerCustomer: p.INTERCHANGE_UPLOAD_CONCURRENCY_PER_CUSTOMER,
    maxRows: p.INTERCHANGE_FEED_MAX_ROWS,
    parseSeconds: p.INTERCHANGE_FEED_PARSE_SECONDS,
    xlsx: {
      maxEntryBytes: p.INTERCHANGE_XLSX_MAX_ENTRY_BYTES,
      maxInflatedBytes: p.INTERCHANGE_XLSX_MAX_INFLATED_BYTES,
      maxRatio: p.INTERCHANGE_XLSX_MAX_RATIO,
      maxSharedStrings: p.INTERCHANGE_XLSX_MAX_SHARED_STRINGS,
      maxSharedChars: p.INTERCHANGE_XLSX_MAX_SHARED_CHARS,
    },
  };
}

// Values of these may hold credentials, so a complaint never echoes them.
const secretVariables = new Set([
  'DATABASE_URL',
  'INTERCHANGE_ADMIN_KEY',
  'INTERCHANGE_SECRET_KEY',
  'INTERCHANGE_S3_SECRET_ACCESS_KEY',
  'INTERCHANGE_METRICS_TOKEN',
  'INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY',
  'INTERCHANGE_SMTP_URL',
  'INTERCHANGE_BRIEF_LLM_API_KEY',
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
