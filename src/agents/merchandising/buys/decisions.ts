import { AdcpError, type TaskRegistry } from '@adcp/sdk/server';
import type { JobQueue } from '../../../platform/jobs/index.js';
import type {
  DecisionHandler,
  ForwardSummary,
  MediaBuyRow,
} from '../../../modules/media-buys/index.js';
import { forwardCreatives } from '../creatives/sync.js';
import type { MerchandisingDeps } from '../deps.js';
import { createdResponse } from './create.js';
import { forwardMediaBuy, hasSubmittedLegs } from './forward.js';
import { createUpstreamTaskFollower } from './source-tasks.js';
import type { DecisionWaiters } from './waiters.js';

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * What settles a buyer's buy that did not settle at once: the operator's decision (manual
 * approval, through the media-buys module's queues) and the follow-up of sources that took their
 * part as a task. Either way the buyer's task completes here: in this process when it waits here
 * (waiters), otherwise durably through the SDK's task registry, whichever instance decides.
 */
export function createBuyDecisions(options: {
  deps: MerchandisingDeps;
  waiters: DecisionWaiters;
  taskRegistry: Pick<TaskRegistry, 'complete' | 'fail'>;
  /** Where the follow-up of sources' tasks runs (source-tasks.ts). */
  jobs: Pick<JobQueue, 'define' | 'send'>;
}) {
  const { deps, waiters, taskRegistry } = options;

  async function settle(row: MediaBuyRow, result: Settlement) {
    if (waiters.settle(row.mediaBuyId, result)) return;
    // The task was started by another instance or before a restart: complete it durably.
    if (!row.taskId) return;
    if (result.ok) await taskRegistry.complete(row.taskId, result.value);
    else {
      const error = result.error instanceof AdcpError ? result.error : undefined;
      await taskRegistry.fail(row.taskId, {
        code: error?.code ?? 'SERVICE_UNAVAILABLE',
        message: error?.message ?? String(result.error),
        recovery: error?.recovery ?? 'terminal',
      });
    }
  }

  const decisions: DecisionHandler = {
    forwardMediaBuy: (row) => forwardMediaBuy(deps, row),
    async mediaBuyDecided(row: MediaBuyRow, summary: ForwardSummary | null) {
      // A source took its part as a task: the buyer's task settles once the source's does.
      if (summary && hasSubmittedLegs(summary)) {
        await follower.follow(row);
        return;
      }
      if (!summary) {
        const notes = row.reviewerNotes ? `: ${row.reviewerNotes}` : '';
        await settle(row, {
          ok: false,
          error: new AdcpError('POLICY_VIOLATION', {
            message: `The seller rejected this media buy${notes}`,
            recovery: 'terminal',
            details: { media_buy_id: row.mediaBuyId },
          }),
        });
        return;
      }
      try {
        await settle(row, { ok: true, value: createdResponse(row, summary) });
      } catch (error) {
        await settle(row, { ok: false, error });
      }
    },
    // An operator's approval carries no buyer words: sources get the derived account (rule 3).
    forwardCreative: (row) => forwardCreatives(deps, [row], `review-${row.id}`, {}),
  };

  const follower = createUpstreamTaskFollower(deps, options.jobs, (row, summary) =>
    decisions.mediaBuyDecided(row, summary),
  );

  return { decisions, follow: (row: MediaBuyRow) => follower.follow(row) };
}
