import { describe, expect, it } from 'vitest';
import { unfoundQuotes } from '../../scripts/compliance/stock/citations.js';
import { runnerPatches } from '../../scripts/compliance/patches/runner-patch.js';
import { spec31Dir } from '../../scripts/compliance/spec31.js';

/*
 * Issue 70 item 6: every way `npm run compliance` changes the 6.11 runner's grading says why,
 * beside the patch: the AdCP 3.1.19 text that requires it (quoted from shared/reference/adcp-3.1/,
 * and found there word for word), or the runner limitation it works around.
 */
describe('the runner patches', () => {
  const patches = runnerPatches();

  it('each cite the spec text that requires them, or name a runner limitation', () => {
    expect(patches.length).toBeGreaterThan(15);
    const bare = patches.filter((patch) => patch.cites.length === 0).map((patch) => patch.find);
    expect(bare).toEqual([]);
  });

  it("quote the spec's 3.1.19 files word for word", () => {
    const cites = patches.flatMap((patch) => patch.cites);
    expect(unfoundQuotes(spec31Dir(), cites)).toEqual([]);
  });
});
