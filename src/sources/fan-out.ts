import type { InventorySource, SourceAnswer, SourceIdentity } from './port.js';

/** One source's part of a fan-out: its answer, which source gave it, and how long it took. */
export type SourceOutcome<T> = SourceAnswer<T> & { source: SourceIdentity; latencyMs: number };

/**
 * Asks every source in parallel (`ask` returning undefined leaves a source out, unasked) and
 * never fails: a source that is slow, down, refuses or is not connected by the buyer answers
 * with an AdCP error object instead (each kind keeps to the call's budget and sanitizes its
 * errors). Outcomes come in the sources' order.
 */
export async function askEach<T>(
  sources: readonly InventorySource[],
  ask: (source: InventorySource) => Promise<SourceAnswer<T>> | undefined,
): Promise<SourceOutcome<T>[]> {
  const calls = sources.map(async (port): Promise<SourceOutcome<T> | undefined> => {
    const started = performance.now();
    const pending = ask(port);
    if (!pending) return undefined;
    const answer = await pending;
    return { ...answer, source: port.source, latencyMs: performance.now() - started };
  });
  return (await Promise.all(calls)).filter((outcome) => outcome !== undefined);
}
