import { readFileSync } from 'node:fs';
import type { PgBinaries } from './binaries.js';

/** Small pieces the embedded cluster's files share. */
export const superuser = 'postgres';

export function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function serverEnv(binaries: PgBinaries): NodeJS.ProcessEnv {
  // Only what the server needs: no secrets of ours reach its environment.
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C',
    LANG: 'C',
    ...(process.env.TZ && { TZ: process.env.TZ }),
    ...binaries.env,
  };
}
