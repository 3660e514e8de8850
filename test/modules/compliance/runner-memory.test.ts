import { describe, expect, it } from 'vitest';
import { runInWorker } from '../../../src/modules/compliance/runner/run-in-worker.js';
import type { RunnerRequest } from '../../../src/modules/compliance/runner/types.js';

/**
 * The runner thread's heap is capped (run-in-worker.ts) so that a run's garbage is collected
 * before it doubles the server's memory. A run that outgrows its cap must end as a failed run
 * that says why, never crash the server or hang. Here the cap is far below what @adcp/sdk's
 * testing module needs to load, so the thread runs out before it calls anyone; that a real run
 * passes under the default cap is what compliance-runs.test.ts shows (its runs use the default).
 */
const request: RunnerRequest = {
  // Port 1: nothing listens there, and the thread never gets as far as calling it.
  agentUrl: 'http://127.0.0.1:1/mcp',
  protocol: 'mcp',
  auth: undefined,
  storyboards: ['capability_discovery'],
  timeoutMs: 60_000,
  allowPrivateNetwork: true,
  trustedHosts: [],
  bookings: false,
  seedFixtures: false,
};

describe("the compliance runner's memory", () => {
  it('ends a run whose thread runs out of its heap as failed, saying so', async () => {
    const outcome = await runInWorker(request, {
      maxOldGenerationSizeMb: 4,
      maxYoungGenerationSizeMb: 1,
    });
    expect(outcome).toEqual({
      ok: false,
      kind: 'error',
      message: expect.stringMatching(/ran out of memory \(its heap is capped at 5 MB\)/),
    });
  }, 60_000);
});
