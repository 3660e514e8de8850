import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { StoryboardId } from '../../../src/modules/compliance/storyboards.js';

/**
 * The runner thread resolves a run's storyboards through @adcp/sdk, which parses YAML files of
 * its compliance cache for every id (issue 46 item 6: the first start's memory peak). Checked in
 * a thread of its own, as the runner does it: the SDK's loader is patched for that thread only,
 * so nothing outlives the test in this worker's shared modules.
 */
interface Resolution {
  files: number;
  parsesBefore: number;
  parsesAfter: number;
  same: boolean;
  ids: string[];
}

function resolveInThread(ids: string[]): Promise<Resolution> {
  const cacheModule = new URL(
    '../../../src/modules/compliance/runner/storyboard-cache.ts',
    import.meta.url,
  ).href;
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createRequire } = require('node:module');
    const { dirname, join } = require('node:path');
    import('tsx/esm/api').then(async ({ register }) => {
      register();
      const { parseStoryboardsOnce } = await import(workerData.cacheModule);
      const load = createRequire(new URL(workerData.cacheModule));
      const entry = load.resolve('@adcp/sdk/testing');
      const loader = load(join(dirname(entry), 'storyboard', 'loader.js'));
      const compliance = load(join(dirname(entry), 'storyboard', 'compliance.js'));
      const files = new Set();
      let parses = 0;
      const parse = loader.loadStoryboardFile;
      loader.loadStoryboardFile = (path) => { parses++; files.add(path); return parse(path); };
      // What comply({ storyboards }) does: each id, then every scenario the storyboards require.
      const resolve = () => JSON.stringify([
        workerData.ids.map((id) => compliance.resolveBundleOrStoryboard(id)),
        compliance.listAllComplianceStoryboards(),
      ]);
      const before = resolve();
      const parsesBefore = parses;
      parses = 0;
      parseStoryboardsOnce(load, entry);
      const after = resolve();
      resolve();
      parentPort.postMessage({
        files: files.size,
        parsesBefore,
        parsesAfter: parses,
        same: before === after,
        ids: JSON.parse(after)[0].flat().map((s) => s.id),
      });
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: true, workerData: { cacheModule, ids } });
    worker.once('message', (m: Resolution) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe("the runner's storyboards", () => {
  it('are parsed once per file per thread, and resolve to the same storyboards', async () => {
    // Capability discovery, and the media-buy seller with the nine scenarios it requires.
    const ids: StoryboardId[] = ['capability_discovery', 'media_buy_seller'];
    const r = await resolveInThread(ids);
    // Every storyboard a media-buy seller plays resolves, as it did.
    expect(r.ids).toEqual(ids);
    expect(r.same).toBe(true);
    // Unpatched, the SDK parses its files again for every id.
    expect(r.parsesBefore).toBeGreaterThan(2 * r.files);
    // Patched: each file at most once, however many runs-worth of lookups follow.
    expect(r.parsesAfter).toBeLessThanOrEqual(r.files);
  }, 120_000);
});
