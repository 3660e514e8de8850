import { describe, expect, it } from 'vitest';
import { createDeliveryImportJobs } from '../../src/jobs/delivery-import.js';
import type { JobType } from '../../src/platform/jobs/index.js';
import type { ImportOutcome } from '../../src/modules/delivery/index.js';

/**
 * The delivery-import job's retry decision: a handler that throws is retried by the queue
 * (test/jobs/queue.test.ts), one that returns is done. The decision follows the failure's
 * kind, never its wording: these outcomes carry each other's messages on purpose.
 */
function importJobAnswering(outcome: ImportOutcome) {
  const types: JobType<unknown>[] = [];
  createDeliveryImportJobs(
    { importDeliveryFor: async () => outcome, buysToSweep: async () => [] },
    { define: (t) => void types.push(t as JobType<unknown>), send: async () => null },
    { intervalSeconds: 0, graceMs: 0 },
  );
  const job = types.find((t) => t.name === 'delivery.import-buy');
  if (!job) throw new Error('no import job defined');
  return () => job.handler({ mediaBuyId: 'mb_1' }, { id: 'job-1', retryCount: 0 });
}

describe('delivery import retries', () => {
  it('retries a seller that could not answer, whatever its message says', async () => {
    for (const reason of ['seller_unavailable', 'seller_pending', 'seller_refused'] as const) {
      const run = importJobAnswering({
        ok: false,
        mediaBuyId: 'mb_1',
        reason,
        error: 'No booked media buy with this id',
      });
      await expect(run(), reason).rejects.toThrow(/delivery import of mb_1/);
    }
  });

  it('does not retry a buy that is gone or a customer no longer active, whatever the message', async () => {
    for (const reason of ['unknown_buy', 'inactive_customer'] as const) {
      const run = importJobAnswering({
        ok: false,
        mediaBuyId: 'mb_1',
        reason,
        error: 'The seller timed out',
      });
      await expect(run(), reason).resolves.toBeUndefined();
    }
  });

  it('is done when the import succeeded', async () => {
    const run = importJobAnswering({ ok: true, mediaBuyId: 'mb_1', packages: 1, answer: {} });
    await expect(run()).resolves.toBeUndefined();
  });
});
