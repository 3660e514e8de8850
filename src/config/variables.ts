import ipaddr from 'ipaddr.js';
import { z } from 'zod';

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

/**
 * The environment variables the config is read from, each with its parse, bounds and default;
 * src/config.ts turns their values into the Config the rest of the code is given.
 */
export const fields = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  INTERCHANGE_DATA_DIR: z.string().min(1).default('./.interchange'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: positiveInt.max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  INTERCHANGE_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  INTERCHANGE_SECRET_KEY: z.string().min(1).optional(),
  INTERCHANGE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  INTERCHANGE_DEMO: flag.default(true),
  INTERCHANGE_ALLOW_PRIVATE_NETWORK: flag.default(false),
  INTERCHANGE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  INTERCHANGE_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  INTERCHANGE_METRICS: flag.default(false),
  INTERCHANGE_GAM_SOAP_URL: z.string().url().default('https://ads.google.com/apis/ads/publisher'),
  INTERCHANGE_GAM_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  // The instance's own service account for Ad Manager: read and checked by gam-service-account.ts.
  INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: z.string().min(1).optional(),
  INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: z.string().min(1).optional(),
  INTERCHANGE_SPRINGSERVE_URL: z.string().url().default('https://console.springserve.com'),
  INTERCHANGE_FREEWHEEL_URL: z.string().url().default('https://api.freewheel.tv'),
  INTERCHANGE_FREEWHEEL_STAGING_URL: z.string().url().default('https://api.stg.freewheel.tv'),
  INTERCHANGE_AD_SERVER_REPORT_MAX_PAGES: z.coerce.number().int().min(1).max(100_000).default(1000),
  INTERCHANGE_AD_SERVER_SYNC_JOB_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(600),
  INTERCHANGE_AD_SERVER_SYNC_MAX_PAGES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10_000),
  INTERCHANGE_AD_SERVER_SYNC_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(604_800)
    .default(3600),
  INTERCHANGE_AD_SERVER_FULL_SYNC_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
  INTERCHANGE_AD_SERVER_REPORT_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(3600),
  INTERCHANGE_AD_SERVER_ORDER_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  INTERCHANGE_AD_SERVER_FORECAST_FRESH_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  INTERCHANGE_METRICS_TOKEN: z.string().min(16).optional(),
  NODE_ENV: z.string().optional(),
  INTERCHANGE_RATE_LIMIT: positiveInt.default(1200),
  INTERCHANGE_PUBLIC_RATE_LIMIT: positiveInt.default(120),
  INTERCHANGE_BODY_LIMIT: positiveInt.default(1024 * 1024),
  INTERCHANGE_TRUST_PROXY: trustProxy.optional(),
  INTERCHANGE_PROBE_TIMEOUT_MS: positiveInt.max(120_000).default(8000),
  INTERCHANGE_SOURCE_BUDGET_MS: positiveInt.max(60_000).default(4000),
  INTERCHANGE_SOURCE_ANSWER_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(0),
  INTERCHANGE_BRIEF_LLM_URL: z
    .string()
    .trim()
    .refine(isHttpUrl, {
      message: 'must be an http(s) URL (the API base, before /chat/completions)',
    })
    .optional(),
  INTERCHANGE_BRIEF_LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  INTERCHANGE_BRIEF_LLM_API_KEY: z.string().min(1).optional(),
  INTERCHANGE_BRIEF_LLM_TIMEOUT_MS: positiveInt.max(10_000).default(1500),
  INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: positiveInt.max(120_000).default(6000),
  INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: positiveInt.max(210_000).default(10_000),
  INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: positiveInt.max(120_000).default(15_000),
  INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: positiveInt.max(3600).default(120),
  INTERCHANGE_TRANSACT_BUDGET_MS: positiveInt.max(120_000).default(15_000),
  INTERCHANGE_WRITE_RECOVERY_SECONDS: z.coerce.number().min(0.5).max(3600).default(10),
  INTERCHANGE_TEST_CRASH_FILE: z.string().min(1).optional(),
  INTERCHANGE_RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(604_800).default(3600),
  INTERCHANGE_SETTLED_WRITE_RETENTION_DAYS: positiveInt.max(3650).default(30),
  INTERCHANGE_TASK_PUSH_RETENTION_DAYS: positiveInt.max(3650).default(30),
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
  // numeric(14, 4) holds the cpm: a ceiling past it could not be stored.
  INTERCHANGE_FEED_MAX_CPM: z.coerce.number().positive().max(9_999_999_999.9999).default(1000),
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
  INTERCHANGE_OPTIMIZATION_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(3600),
  INTERCHANGE_CAPABILITY_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  INTERCHANGE_REPORT_DOWNLOAD_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  // pg-boss polls no faster than every half second.
  INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(3600).default(2),
  INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: positiveInt.max(86_400).default(30),
  // A running job's hold on its key: renewed while it runs, lapsed this long after its
  // instance died (src/platform/jobs/lease.ts).
  INTERCHANGE_JOBS_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(60),
  // How long a stopping instance waits for requests in flight before it cuts their connections.
  INTERCHANGE_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
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
  // Notifications (docs/notifications.md): email through the operator's SMTP server, off unset.
  INTERCHANGE_SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]+\/?$/.test(v), {
      message: 'must be smtp://[user:pass@]host[:port] or smtps://…',
    })
    .optional(),
  INTERCHANGE_SMTP_FROM: z.email().optional(),
  INTERCHANGE_NOTIFICATIONS_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  INTERCHANGE_NOTIFICATIONS_HOLD_WINDOW_HOURS: positiveInt.max(24 * 30).default(24),
  INTERCHANGE_NOTIFICATIONS_RETRY_SECONDS: positiveInt.max(3600).default(10),
  // Uploads (docs/security.md, "Uploads"): how a file's bytes may arrive, and how many at once.
  INTERCHANGE_UPLOAD_MAX_BYTES: positiveInt.max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  INTERCHANGE_UPLOAD_IDLE_SECONDS: positiveInt.max(3600).default(30),
  INTERCHANGE_UPLOAD_BODY_SECONDS: positiveInt.max(86_400).default(300),
  // Unset: 4, or fewer on a small pool (src/config.ts).
  INTERCHANGE_UPLOAD_CONCURRENCY: positiveInt.max(200).optional(),
  INTERCHANGE_UPLOAD_CONCURRENCY_PER_CUSTOMER: positiveInt.max(200).default(2),
  // Reading a feed once it has arrived: rows (every row element, empty ones too) and time.
  INTERCHANGE_FEED_MAX_ROWS: positiveInt.max(10_000_000).default(250_000),
  INTERCHANGE_FEED_PARSE_SECONDS: positiveInt.max(3600).default(300),
  // Inflating a workbook (XLSX is a zip): per entry, in all, by ratio, and its shared strings.
  INTERCHANGE_XLSX_MAX_ENTRY_BYTES: positiveInt
    .max(4 * 1024 * 1024 * 1024)
    .default(256 * 1024 * 1024),
  INTERCHANGE_XLSX_MAX_INFLATED_BYTES: positiveInt
    .max(16 * 1024 * 1024 * 1024)
    .default(512 * 1024 * 1024),
  INTERCHANGE_XLSX_MAX_RATIO: positiveInt.max(100_000).default(200),
  INTERCHANGE_XLSX_MAX_SHARED_STRINGS: positiveInt.max(100_000_000).default(1_000_000),
  INTERCHANGE_XLSX_MAX_SHARED_CHARS: positiveInt.max(1_000_000_000).default(16_000_000),
} as const;
