import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Why a runner patch grades as it does: the words of the AdCP 3.1.19 spec that require it
 * (`file` relative to shared/reference/adcp-3.1/, `quote` as written there), or, where no spec
 * text does, the runner limitation it works around and why. test/compliance/runner-patches.test.ts
 * holds every patch to one of the two and every quote to its file.
 */
export type Citation = { file: string; quote: string } | { limitation: string };

/** A text patch of the runner's copy, with its reasons. */
export interface RunnerPatch {
  file: string;
  find: string;
  replace: string;
  cites: readonly Citation[];
}

/**
 * Text as it reads, for finding a quote in it: YAML comment marks and JSON string escapes gone,
 * every run of whitespace one space.
 */
export function readable(text: string): string {
  return text
    .replace(/\\n/g, ' ')
    .replace(/\\"/g, '"')
    .replace(/^\s*#/gm, ' ')
    .replace(/\s+/g, ' ');
}

/** The citations whose quote is not in its file (a file that cannot be read counts). */
export function unfoundQuotes(compliance: string, cites: readonly Citation[]): Citation[] {
  const reference = dirname(compliance);
  return cites.filter((cite) => {
    if (!('quote' in cite)) return false;
    try {
      const text = readable(readFileSync(join(reference, cite.file), 'utf8'));
      return !text.includes(readable(cite.quote));
    } catch {
      return true;
    }
  });
}
