import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pgliteDirName } from './pglite-data.js';

/**
 * `interchange db export-pglite`: a pg_dump (plain SQL, INSERTs) of the PGlite database an
 * earlier Interchange kept in `<data dir>/pgdata`, made by PGlite's own WASM pg_dump
 * (@electric-sql/pglite-tools) over a copy of it, so the original is never touched. Those two
 * packages are development dependencies: present after `npm install` in a checkout, and
 * installable on their own where they are not (the message says how).
 */
export const pgliteExportPackages = '@electric-sql/pglite@0.5.8 @electric-sql/pglite-tools@0.4.8';

export class PgliteToolsMissing extends Error {
  constructor() {
    super(
      `exporting a PGlite database needs PGlite and its pg_dump: npm install --no-save ${pgliteExportPackages}`,
    );
  }
}

interface PgliteModules {
  PGlite: { create(dir: string): Promise<PgliteLike> };
  pgDump(options: { pg: PgliteLike; args?: string[] }): Promise<{ text(): Promise<string> }>;
}

interface PgliteLike {
  close(): Promise<void>;
}

async function loadPglite(): Promise<PgliteModules> {
  // Names in variables: neither package is a dependency of the build, only of this command.
  const pgliteName = '@electric-sql/pglite';
  const toolsName = '@electric-sql/pglite-tools/pg_dump';
  try {
    const [{ PGlite }, { pgDump }] = (await Promise.all([
      import(pgliteName),
      import(toolsName),
    ])) as [Pick<PgliteModules, 'PGlite'>, Pick<PgliteModules, 'pgDump'>];
    return { PGlite, pgDump };
  } catch {
    throw new PgliteToolsMissing();
  }
}

export async function exportPglite(dataDir: string, file: string): Promise<{ bytes: number }> {
  const source = join(resolve(dataDir), pgliteDirName);
  if (!existsSync(join(source, 'PG_VERSION')))
    throw new Error(`${source} is not a PGlite database (no PG_VERSION)`);
  const { PGlite, pgDump } = await loadPglite();
  const copy = mkdtempSync(join(tmpdir(), 'interchange-pglite-'));
  try {
    cpSync(source, copy, { recursive: true });
    const db = await PGlite.create(copy);
    try {
      const dump = await (await pgDump({ pg: db, args: ['--no-owner', '--no-acl'] })).text();
      writeFileSync(file, dump, { mode: 0o600 });
      return { bytes: Buffer.byteLength(dump) };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
