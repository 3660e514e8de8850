import { readFileSync } from 'node:fs';

/** Where in a seller write a test may kill the process: after recording it, or after its answer. */
export type CrashPhase = 'before-call' | 'after-answer';

/**
 * Tests only (config refuses it in production): the process kills itself with SIGKILL at the
 * point named in `file` (`{kind}:{phase}`), read afresh at each point so a test moves it
 * between crashes of one deployment. Without a file, a point costs nothing.
 */
export function crashPoints(file: string | undefined): (kind: string, phase: CrashPhase) => void {
  if (!file) return () => undefined;
  return (kind, phase) => {
    let point: string;
    try {
      point = readFileSync(file, 'utf8').trim();
    } catch {
      return;
    }
    if (point === `${kind}:${phase}`) process.kill(process.pid, 'SIGKILL');
  };
}
