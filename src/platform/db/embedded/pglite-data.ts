import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Interchange once ran on PGlite, with its data in `<INTERCHANGE_DATA_DIR>/pgdata`. This version
 * cannot read it; rather than start an empty cluster beside it (and seem to have lost every
 * customer), start-up stops and says how to move the data.
 */
export const pgliteDirName = 'pgdata';

export class OldPgliteData extends Error {
  constructor(readonly directory: string) {
    super(
      `${directory} holds a PGlite database from an earlier Interchange; this version runs ` +
        'PostgreSQL and does not read it. Nothing was changed. To move its data: ' +
        '`interchange db export-pglite pglite.sql` (a pg_dump of it), ' +
        `then move ${directory} aside (e.g. to ${directory}.old), ` +
        'then `interchange db import pglite.sql` (see the README, "Moving from PGlite")',
    );
  }
}

export function refuseOldPgliteData(dataDir: string): void {
  const directory = join(dataDir, pgliteDirName);
  if (existsSync(join(directory, 'PG_VERSION'))) throw new OldPgliteData(directory);
}
