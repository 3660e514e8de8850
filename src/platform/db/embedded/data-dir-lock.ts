import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess, startTimeOf } from './process-check.js';

/**
 * One Interchange process owns a data directory's cluster at a time. The owner writes
 * `interchange.lock` (its pid and start time) with an exclusive create; a second process finds
 * the owner alive and is refused, or finds it dead (killed with -9, power loss) and takes over.
 * PostgreSQL's own postmaster.pid is the backstop for two processes racing past a stale lock.
 */
export interface DataDirLock {
  release(): void;
}

export interface LockOwner {
  pid: number;
  startTime?: string;
}

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the data directory ${dataDir} is in use by another Interchange process (pid ${owner.pid}); ` +
        'stop it first, or give this one its own INTERCHANGE_DATA_DIR',
    );
  }
}

export const lockFileName = 'interchange.lock';

export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = lockOwner(dataDir);
      if (owner && isSameProcess(owner.pid, owner.startTime))
        throw new DataDirInUse(dataDir, owner);
      // Created but not yet written: another process is taking it right now.
      if (!owner && Date.now() - mtimeOf(file) < 5_000) throw new DataDirInUse(dataDir, { pid: 0 });
      // The owner died without releasing it: the lock is stale.
      rmSync(file, { force: true });
      continue;
    }
    const me: LockOwner = { pid: process.pid, startTime: startTimeOf(process.pid) };
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Only our own lock: a process that took over a lock we thought we held keeps it.
      if (lockOwner(dataDir)?.pid === process.pid) rmSync(file, { force: true });
    };
    // However the process ends short of a signal that cannot be caught.
    process.once('exit', release);
    return {
      release: () => {
        process.removeListener('exit', release);
        release();
      },
    };
  }
  const owner = lockOwner(dataDir);
  throw new DataDirInUse(dataDir, owner ?? { pid: 0 });
}

/** The process that holds the lock, if the lock file exists and names one. */
export function lockOwner(dataDir: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, lockFileName), 'utf8')) as LockOwner;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The live owner of the data directory, if any (another process's, or our own). */
export function liveOwner(dataDir: string): LockOwner | undefined {
  const owner = lockOwner(dataDir);
  return owner && isSameProcess(owner.pid, owner.startTime) ? owner : undefined;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
