#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from './config.js';
import { openConfiguredDatabase } from './open-database.js';
import type { Platform } from './server.js';
import { startTracing } from './platform/observability/index.js';
import { uploadFeed } from './cli/feed-upload.js';
import { ImportRefused, importOfferings } from './cli/import-offerings.js';
import { registerDbCommands } from './cli/db.js';
import { EmbeddedClusterError } from './platform/db/embedded/cluster.js';
import { DataDirInUse } from './platform/db/embedded/data-dir-lock.js';
import { MissingBinaries } from './platform/db/embedded/binaries.js';
import { OldPgliteData } from './platform/db/embedded/pglite-data.js';
import { PgliteToolsMissing } from './platform/db/embedded/pglite-export.js';
import { DumpRefused } from './platform/db/import-dump.js';

/** The `interchange` CLI: serve, migrate and admin bootstrap commands. */
const print = (line: string) => process.stdout.write(`${line}\n`);

function config() {
  return loadConfig(process.env);
}

/**
 * The server's modules (seconds of loading on a small machine) are imported by the commands that
 * need them, not by every command, and `serve` loads them while its database starts.
 */
const server = () => import('./server.js');

async function withPlatform<T>(run: (p: Platform) => Promise<T>): Promise<T> {
  const platform = await (await server()).openPlatform(config());
  try {
    return await run(platform);
  } finally {
    await platform.services.close();
    await platform.database.close();
  }
}

const program = new Command()
  .name('interchange')
  .description('Open, self-hostable agentic advertising marketplace on AdCP');

program
  .command('serve', { isDefault: true })
  .description('apply migrations and serve the API')
  .action(async () => {
    // Traces when the standard OTEL_* variables ask for them (docs/operations.md).
    startTracing();
    const settings = config();
    // The database first: a first start's initdb and the cluster's start run in processes of
    // their own, on the other core, while this process loads the server's modules.
    const opening = openConfiguredDatabase(settings);
    opening.catch(() => undefined); // awaited by serve; a failure is reported there
    const closingOnFailure = async (error: unknown): Promise<never> => {
      await opening.then((database) => database.close()).catch(() => undefined);
      throw error;
    };
    const [{ serve }, { demo }, sandboxes] = await Promise.all([
      server(),
      import('./demo/index.js'),
      import('./demo/sandbox/index.js'),
    ]).catch(closingOnFailure);
    // The entry point is the one place the demo is plugged in (src/demo), and with it the
    // sandbox's fakes (INTERCHANGE_SANDBOX=1, refused under NODE_ENV=production).
    if (!sandboxes.sandboxRequested(process.env))
      return void (await serve(settings, print, demo, opening));
    const sandbox = await sandboxes.startSandbox(process.env).catch(closingOnFailure);
    const withFakes = loadConfig({ ...process.env, ...sandbox.env });
    await serve(withFakes, print, sandboxes.withSandbox(demo, sandbox), opening);
  });

program
  .command('migrate')
  .description('apply pending database migrations, prepare the job queues, and exit')
  .action(async () => {
    // The job queues are made here too, so a release's migrate step leaves the first start
    // (and each compliance job's server, started on a copy of a migrated template) nothing to make.
    await withPlatform(async ({ services }) => {
      await services.jobs.prepare();
      print('migrations applied');
    });
  });

program
  .command('import-offerings')
  .description('stream a JSON-lines or CSV file of offerings into a catalog, with a progress bar')
  .argument('<file>', 'a .jsonl/.ndjson file (one offering per line) or a .csv file with a header')
  .requiredOption('--advertiser <id>', 'advertiser id')
  .requiredOption('--catalog <id>', 'catalog id')
  .option('--url <url>', 'the server', process.env.INTERCHANGE_URL ?? 'http://127.0.0.1:3000')
  .option('--key <key>', 'your API key (or INTERCHANGE_API_KEY)', process.env.INTERCHANGE_API_KEY)
  .option('--format <format>', 'csv or jsonl (default: from the file name)')
  .action(
    async (
      file: string,
      opts: { advertiser: string; catalog: string; url: string; key?: string; format?: string },
    ) => {
      if (!opts.key) throw new ConfigError('--key', 'is required (or set INTERCHANGE_API_KEY)');
      if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'jsonl')
        throw new ConfigError('--format', 'must be csv or jsonl');
      const result = await importOfferings({
        file,
        url: opts.url,
        key: opts.key,
        advertiser: opts.advertiser,
        catalog: opts.catalog,
        ...(opts.format !== undefined && { format: opts.format }),
      });
      print(JSON.stringify(result, null, 2));
    },
  );

program
  .command('feed-upload')
  .description(
    "preview a modular source's avails file (CSV, XLSX, JSON lines) with a progress bar, and commit it",
  )
  .argument('<file>', 'a .csv, .xlsx, .json or .jsonl file of avails')
  .requiredOption('--source <sourceId>', 'the modular source')
  .option('--commit', 'commit the previewed revision when no row was refused')
  .option('--force', 'with --commit: commit the rows that passed even if some were refused')
  .option('--url <url>', 'the server', process.env.INTERCHANGE_URL ?? 'http://127.0.0.1:3000')
  .option('--key <key>', 'your API key (or INTERCHANGE_API_KEY)', process.env.INTERCHANGE_API_KEY)
  .action(
    async (
      file: string,
      opts: { source: string; commit?: boolean; force?: boolean; url: string; key?: string },
    ) => {
      if (!opts.key) throw new ConfigError('--key', 'is required (or set INTERCHANGE_API_KEY)');
      const result = await uploadFeed({
        file,
        url: opts.url,
        key: opts.key,
        sourceId: opts.source,
        commit: opts.commit === true,
        force: opts.force === true,
      });
      print(JSON.stringify(result, null, 2));
    },
  );

registerDbCommands(program, config, print);

const admin = program.command('admin').description('platform admin bootstrap');

admin
  .command('create-customer')
  .description('create a customer (a SELLER gets its storefront at once)')
  .requiredOption('--name <name>', 'customer name')
  .requiredOption('--role <role>', 'BUYER or SELLER')
  .option('--domain <domain>', 'customer domain, e.g. example.com (required for a BUYER)')
  .action(async (opts: { name: string; role: string; domain?: string }) => {
    const role = opts.role.toUpperCase();
    if (role !== 'BUYER' && role !== 'SELLER')
      throw new ConfigError('--role', 'must be BUYER or SELLER');
    // Storefronts name a buyer's domain as the operator of its accounts at their sources.
    if (role === 'BUYER' && !opts.domain)
      throw new ConfigError('--domain', 'is required for a BUYER');
    await withPlatform(async ({ services }) => {
      const customer = await services.identity.createCustomer({
        name: opts.name,
        customerRole: role,
        customerDomain: opts.domain?.toLowerCase(),
      });
      print(JSON.stringify(customer, null, 2));
    });
  });

admin
  .command('create-key')
  .description('create an API key (shown once) for a customer, or a platform admin key')
  .option('--customer <id>', 'customer id')
  .option('--admin', 'create a platform admin key instead')
  .option('--name <name>', 'a label for the key')
  .action(async (opts: { customer?: string; admin?: boolean; name?: string }) => {
    await withPlatform(async ({ services }) => {
      if (opts.admin) {
        const key = await services.identity.createAdminApiKey(opts.name ?? null);
        print(JSON.stringify(key, null, 2));
        return;
      }
      const id = Number(opts.customer);
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new ConfigError('--customer', 'must be a customer id (or pass --admin)');
      }
      const key = await services.identity.createCustomerApiKey(id, opts.name ?? null);
      print(JSON.stringify(key, null, 2));
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  // One line naming what is wrong; a stack only for the unexpected.
  const oneLine = [
    ConfigError,
    DataDirInUse,
    OldPgliteData,
    MissingBinaries,
    EmbeddedClusterError,
    PgliteToolsMissing,
    DumpRefused,
  ];
  if (oneLine.some((kind) => error instanceof kind)) {
    process.stderr.write(`interchange: ${(error as Error).message}\n`);
  } else if (error instanceof ImportRefused || (error instanceof Error && 'kind' in error)) {
    process.stderr.write(`interchange: ${error.message}\n`);
  } else {
    process.stderr.write(`interchange: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
