import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of processes, read from Linux's /proc (undefined elsewhere), for benchmarks that
 * charge each process its own share of a call.
 */
function statFields(pid: number): string[] | undefined {
  try {
    // After "pid (comm) ": state is field 0, ppid 1, utime 11, stime 12 (ticks of 10 ms).
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined;
  }
}

/** CPU milliseconds (user + system) the process has used so far. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  const fields = pid === undefined ? undefined : statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : undefined;
}

/** Every live descendant of `pid` (children, their children, …): e.g. an embedded PostgreSQL. */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields) parentOf.set(Number(entry), Number(fields[1]));
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/**
 * CPU milliseconds of a process's descendants, counted per pid so that a backend that exits
 * between two readings drops out of both rather than going negative.
 */
export function descendantsCpu(pid: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const child of descendantsOf(pid)) {
    const ms = cpuMsOf(child);
    if (ms !== undefined) cpu.set(child, ms);
  }
  return cpu;
}

/** CPU spent between two {@link descendantsCpu} readings by the processes present in both. */
export function descendantsCpuBetween(before: Map<number, number>, after: Map<number, number>) {
  let ms = 0;
  for (const [pid, end] of after) ms += end - (before.get(pid) ?? end);
  return ms;
}

/** The q-quantile (0-1) of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
