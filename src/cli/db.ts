import type { Command } from 'commander';
import { type Config, ConfigError } from '../config.js';
import { openDatabase } from '../platform/db/database.js';
import { backupDataDir, restoreDataDir } from '../platform/db/embedded/backup.js';
import { runningClusterUrl } from '../platform/db/embedded/cluster.js';
import { exportPglite } from '../platform/db/embedded/pglite-export.js';
import { importDump } from '../platform/db/import-dump.js';
import { migrate } from '../platform/db/migrate.js';

/** `interchange db …`: backup, restore and moving data in and out of the embedded cluster. */
export function registerDbCommands(
  program: Command,
  config: () => Config,
  print: (line: string) => void,
): void {
  const db = program.command('db').description('the database: backup, restore, import, export');
  const embeddedOnly = (what: string) => {
    const c = config();
    if (c.databaseUrl)
      throw new ConfigError(
        'DATABASE_URL',
        `is set: ${what} works on the embedded cluster; use pg_dump/pg_restore for your server`,
      );
    if (c.dataDir === 'memory')
      throw new ConfigError('INTERCHANGE_DATA_DIR', `is memory: ${what} needs a data directory`);
    return c;
  };

  db.command('backup')
    .description('a physical backup of the embedded cluster (works while Interchange runs)')
    .argument('<file>', 'the .tar.gz to write')
    .action(async (file: string) => {
      const c = embeddedOnly('db backup');
      const result = await backupDataDir(c.dataDir, file);
      print(`backup written: ${result.file} (${result.bytes} bytes)`);
      if (result.withSecretKey)
        print("it holds the data directory's secret.key: keep it as safe as the key itself");
    });

  db.command('restore')
    .description('restore a backup into INTERCHANGE_DATA_DIR, which must hold no cluster yet')
    .argument('<file>', 'a .tar.gz written by db backup')
    .action(async (file: string) => {
      const c = embeddedOnly('db restore');
      const result = await restoreDataDir(file, c.dataDir);
      print(
        `restored into ${result.dataDir} (PostgreSQL ${result.version}); start Interchange on it`,
      );
    });

  db.command('url')
    .description(
      'the connection URL of the embedded cluster of a running Interchange (for pg_dump, psql)',
    )
    .action(() => {
      const c = embeddedOnly('db url');
      const url = runningClusterUrl(c.dataDir);
      if (!url)
        throw new ConfigError(
          'INTERCHANGE_DATA_DIR',
          `no running Interchange on ${c.dataDir}: start it first (its cluster runs while it does)`,
        );
      print(url);
    });

  db.command('export-pglite')
    .description(
      'a pg_dump (SQL) of the PGlite database of an earlier Interchange in <data dir>/pgdata',
    )
    .argument('<file>', 'the .sql file to write')
    .action(async (file: string) => {
      const c = embeddedOnly('db export-pglite');
      const { bytes } = await exportPglite(c.dataDir, file);
      print(`PGlite database exported: ${file} (${bytes} bytes)`);
    });

  db.command('import')
    .description('load a plain-SQL pg_dump (with INSERTs) into a new database, then migrate')
    .argument('<file>', 'the .sql file, e.g. from db export-pglite')
    .action(async (file: string) => {
      const c = config();
      const database = await openDatabase({
        databaseUrl: c.databaseUrl,
        dataDir: c.dataDir,
        poolMax: 2,
      });
      try {
        await importDump(database.url, file);
        const applied = await migrate(database.db);
        print(`imported ${file}; ${applied.length} newer migration(s) applied`);
      } finally {
        await database.close();
      }
    });
}
