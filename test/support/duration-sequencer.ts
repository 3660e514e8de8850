import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the slowest test files first, by the committed list test/durations.json (regenerated
 * from a CI run's report by scripts/test-durations.ts). vitest's own ordering needs its duration
 * cache, which a clean clone (CI) does not have, so a long file could start last and run alone at
 * the end while the other worker idles. A file the list does not know yet gets the list's median,
 * so a new file neither jumps the queue nor waits behind every quick one.
 */
function committedDurations(root: string): Map<string, number> {
  const text = readFileSync(`${root}/test/durations.json`, 'utf8');
  const { seconds } = JSON.parse(text) as { seconds: Record<string, number> };
  return new Map(Object.entries(seconds));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

export class DurationSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const durations = committedDurations(root);
    const unknown = median([...durations.values()]);
    const pathOf = (spec: TestSpecification) => relative(root, spec.moduleId);
    const seconds = (spec: TestSpecification) => durations.get(pathOf(spec)) ?? unknown;
    const sorted = [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        seconds(b) - seconds(a) ||
        pathOf(a).localeCompare(pathOf(b)),
    );
    return Promise.resolve(sorted);
  }
}
