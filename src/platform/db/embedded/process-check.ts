import { readFileSync } from 'node:fs';

/**
 * Whether a process id still names the process that wrote it down. A pid alone can be reused
 * after a crash; on Linux the process's start time (in clock ticks since boot) tells a reused
 * pid apart. Elsewhere only liveness is known.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing paren.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and, where it can be told, the same process as when `startTime` was noted. */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  if (!isAlive(pid)) return false;
  if (startTime === undefined) return true;
  const now = startTimeOf(pid);
  return now === undefined || now === startTime;
}

/** The process's command line where /proc shows it (Linux), else undefined. */
export function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return undefined;
  }
}
