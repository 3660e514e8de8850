import type { FastifyInstance } from 'fastify';
import { stopTracing } from './platform/observability/index.js';
import { type AppExtension, buildApp, ownUrl } from './app.js';
import { createServices, type Services } from './services.js';
import { type Config, ConfigError } from './config.js';
import {
  readyRequestValidators,
  storefrontSkills,
  type ValidatorsReady,
} from './agents/merchandising/index.js';
import { resolveSecretBox } from './platform/crypto/keyring-file.js';
import type { Database } from './platform/db/database.js';
import { openConfiguredDatabase } from './open-database.js';
import { migrate } from './platform/db/migrate.js';

export interface Platform {
  database: Database;
  services: Services;
  secrets: ReturnType<typeof resolveSecretBox>;
  /** Where background failures (failed jobs, hooks) are reported once a logger exists. */
  reportErrorsTo(report: (error: unknown, context: string) => void): void;
}

/**
 * Opens the database (starting the embedded PostgreSQL when there is no DATABASE_URL), applies
 * migrations and builds the services: what every command needs. `opening`: the database the
 * caller began opening already (openConfiguredDatabase), e.g. while this module loaded.
 */
export async function openPlatform(
  config: Config,
  opening: Promise<Database> = openConfiguredDatabase(config),
): Promise<Platform> {
  const database = await opening;
  // After the database: a data directory refused as it is (an old PGlite one) is left untouched.
  let secrets: ReturnType<typeof resolveSecretBox>;
  try {
    secrets = resolveSecretBox(config);
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  let report: (error: unknown, context: string) => void = () => undefined;
  const services = createServices({
    config,
    database,
    secrets,
    onError: (error, context) => report(error, context),
  });
  return { database, services, secrets, reportErrorsTo: (r) => void (report = r) };
}

/**
 * What the entry point adds from outside production code: the demo (src/demo) mounts its seller
 * agent and seeds an empty embedded database with a workspace.
 */
export interface ServeExtras {
  extensions?: AppExtension[];
  /** Seeds an empty database once the server listens; answers the lines to print. */
  seed?: (services: Services, baseUrl: string) => Promise<string[] | undefined>;
  /** Local origins let past the private-network guard: the sandbox's fakes, exactly. */
  trustedLocalOrigins?: string[];
  /** Lines printed once the server listens (the sandbox's own). */
  banner?: (baseUrl: string) => string[];
}

/**
 * Starts serving; SIGTERM/SIGINT drain in-flight requests, stop the job workers, then close the
 * database (stopping the embedded PostgreSQL). A start that fails part-way closes what it opened.
 * `opening`: the database the caller began opening already (see openPlatform).
 */
export async function serve(
  config: Config,
  print: (line: string) => void,
  extras: ServeExtras = {},
  opening?: Promise<Database>,
): Promise<FastifyInstance> {
  // The SDK compiles a tool's request schema on the tool's first call (seconds under load, the
  // event loop blocked throughout). A build compiled them already; otherwise they compile before
  // listening, so no buyer's call, and no call in flight to a source with its deadline running,
  // waits on a compile. That runs while the database opens (an embedded cluster starts in
  // processes of its own), on the other core.
  const warming = readyRequestValidators(Object.keys(storefrontSkills));
  let platform: Platform;
  try {
    platform = await openPlatform(config, opening);
  } finally {
    await warming.catch(() => undefined);
  }
  try {
    return await startServing(config, platform, print, extras, await warming);
  } catch (error) {
    await platform.services.close().catch(() => undefined);
    await platform.database.close().catch(() => undefined);
    throw error;
  }
}

async function startServing(
  config: Config,
  platform: Platform,
  print: (line: string) => void,
  extras: ServeExtras,
  validators: ValidatorsReady | undefined,
): Promise<FastifyInstance> {
  const app = await buildApp({ config, ...platform, extensions: extras.extensions ?? [] });
  platform.reportErrorsTo((error, context) =>
    app.log.warn({ err: error, context }, 'background task failed'),
  );

  const generatedAdminKey = await platform.services.identity.ensureAdminKey(config.adminKey);
  app.log.info(validators ?? {}, 'request validators ready');
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError('PORT', `${config.host}:${config.port} is already in use`);
    throw error;
  }
  const base = ownUrl(app, config);
  platform.services.trustOwnOrigin(base);
  for (const origin of extras.trustedLocalOrigins ?? []) platform.services.trustLocalOrigin(origin);

  const database = await platform.database.ping();
  const engine = `PostgreSQL ${database.version}${database.kind === 'embedded' ? ', embedded' : ''}`;
  print(`Interchange is listening on ${base} (${engine})`);
  print(`  API reference   ${base}/docs`);
  print(`  Console         ${base}/console (sign in with a seller or a buyer API key)`);
  print(`  Buyer OpenAPI   ${base}/api/v2/buyer/openapi.json`);
  print(`  Seller OpenAPI  ${base}/api/v2/storefront/openapi.json`);
  if (generatedAdminKey) {
    print('');
    print(`Platform admin key (shown once, stored hashed): ${generatedAdminKey}`);
  }
  if (config.demo && platform.database.kind === 'embedded' && extras.seed) {
    const demo = await extras.seed(platform.services, base);
    if (demo) for (const line of demo) print(line);
  }
  for (const line of extras.banner?.(base) ?? []) print(line);
  // Workers start once the server answers, so a job may call back into it (e.g. the demo agent).
  await platform.services.jobs.start();
  // Every instance asks; one sweep waits at a time (a singleton), so this queues at most one.
  await platform.services.deliveryImport.startSweeps();
  // Optimisation suggestions are weighed on their schedule (one sweep waits).
  await platform.services.optimizationJobs.startSweeps();
  // Performance feedback from buyers' logged conversions, on the same schedule (one sweep waits).
  await platform.services.performanceFeedbackJobs.startSweeps();
  await platform.services.modularHolds.startSweeps();
  await platform.services.notificationSweep.startSweeps();
  await platform.services.adServers.startSweeps();
  // Status sync picks up where the last run left (buys due while no instance was running).
  await platform.services.mediaBuySync.resume();
  // Writes to sellers left in doubt by a crash are established (modules/seller-writes).
  await platform.services.sellerWriteRecovery.resume();
  // Audience syncs left open by a stopped instance are worked again where they stopped.
  await platform.services.audiences.resume();
  // AudioStack productions left unfinished are worked again from the step they reached.
  await platform.services.audioProductions.resume();
  // Compliance runs on their schedule, and runs left waiting are handed over (one sweep waits).
  await platform.services.complianceSchedule.startSweeps();
  // adagents.json reads past their expiry are refreshed (one sweep waits).
  await platform.services.authorizationSchedule.startSweeps();
  // Settled intents and old task push configs are pruned (one run waits).
  await platform.services.retention.startSweeps();
  // Each instance watches the wholesale feed revision for its storefronts' feed webhooks.
  platform.services.feedWebhooks.start();
  print('Ready.');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests and running jobs');
    try {
      await app.close();
      // Stops the job workers first, waiting for running handlers (INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS).
      await platform.services.close();
      await platform.database.close();
      await stopTracing();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return app;
}
