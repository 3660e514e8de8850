import { AdcpError } from '@adcp/sdk/server';
import type { JobQueue } from '../../../../platform/jobs/index.js';
import type { CreativeForwarder } from '../../../../modules/creative-reviews/index.js';
import type {
  DecisionHandler,
  ForwardSummary,
  MediaBuyRow,
} from '../../../../modules/orders/index.js';
import { forwardCreatives } from '../../creatives/sync.js';
import { creativeSyncResolver } from '../../creatives/sync-writes.js';
import type { MerchandisingDeps } from '../../deps.js';
import { createdResponse } from '../create/created-response.js';
import { hasSubmittedLegs, hasUnknownLegs, legOfOutcome, summaryOf } from '../create/forward.js';
import { sourceWriteResolvers } from '../source-writes.js';
import {
  approvalResolver,
  approvedCheckpoint,
  beginApprovedForward,
  beginRejection,
  forwardApproved,
  rejectedCheckpoint,
  rejectionResolver,
  settleApprovedForward,
  settleRejection,
} from './approval-writes.js';
import { createUpstreamTaskFollower, type SettledSourceTask } from './source-tasks.js';
import type { DecisionWaiters } from './waiters.js';
import { failureOf, type TaskNotifications } from './task-notifications.js';

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * What settles a buyer's buy that did not settle at once: the operator's decision (manual
 * approval, through the media-buys module's queue) and the follow-up of sources that took their
 * part as a task. An approved creative review (modules/creative-reviews) forwards through here
 * too. Either way the buyer's task settles here, whichever instance decides: recorded in the
 * task registry and notified by a durable job (task-notifications.ts); a waiter in this
 * process, if the task was handed off here, is let go too.
 */
export function createBuyDecisions(options: {
  deps: MerchandisingDeps;
  waiters: DecisionWaiters;
  notifications: Pick<TaskNotifications, 'settle'>;
  /** Where the follow-up of sources' tasks runs (source-tasks.ts). */
  jobs: Pick<JobQueue, 'define' | 'send' | 'hurry'>;
}) {
  const { deps, waiters, notifications } = options;

  async function settle(row: MediaBuyRow, result: Settlement) {
    if (row.taskId) {
      await notifications.settle(
        row.taskId,
        'create_media_buy',
        result.ok
          ? { status: 'completed', result: result.value }
          : { status: 'failed', error: failureOf(result.error) },
      );
    }
    waiters.settle(row.mediaBuyId, result);
  }

  const decisions: DecisionHandler & CreativeForwarder = {
    // Either decision is recorded before it is written (approval-writes.ts).
    deciding: (row, status) =>
      status === 'approved' ? beginApprovedForward(deps, row) : beginRejection(deps, row),
    // Each source's write settles once the legs are saved; the approval's own once the buyer's
    // task is (mediaBuyDecided).
    forwardMediaBuy: async (row, save) => {
      approvedCheckpoint(deps);
      return forwardApproved(deps, row, save);
    },
    async mediaBuyDecided(row: MediaBuyRow, summary: ForwardSummary | null) {
      if (!summary) {
        // A rejection: a crash before its task settles leaves it open, and recovery settles it.
        rejectedCheckpoint(deps);
        await decide(row, null);
        await settleRejection(deps, row);
        return;
      }
      await decide(row, summary);
      // A crash before this leaves the approval open: recovery decides again (the buyer's task
      // settles once: its notification job is one per task, and forgets what it delivered).
      if (!hasUnknownLegs(summary)) await settleApprovedForward(deps, row);
    },
    // An operator's approval carries no buyer words: sources get the derived account (rule 3).
    forwardCreative: (row) => forwardCreatives(deps, [row], `review-${row.id}`, {}),
  };

  async function decide(row: MediaBuyRow, summary: ForwardSummary | null) {
    // A source's answer was lost: recovery finishes the forward, and decides then.
    if (summary && hasUnknownLegs(summary)) return;
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
    let settlement: Settlement;
    try {
      settlement = { ok: true, value: createdResponse(row, summary) };
    } catch (error) {
      settlement = { ok: false, error };
    }
    await settle(row, settlement);
  }

  const follower = createUpstreamTaskFollower(deps, options.jobs, (row, summary) =>
    decisions.mediaBuyDecided(row, summary),
  );

  // Forwards and updates whose sources' answers were lost are established by recovery; a
  // forward it finishes is decided as an operator's approval is (the buyer's task settles).
  for (const resolver of sourceWriteResolvers(
    deps,
    (row, summary) => decisions.mediaBuyDecided(row, summary),
    summaryOf,
    legOfOutcome,
  )) {
    deps.writes.register(resolver);
  }
  // An approval whose forward a crash cut short is finished by recovery (approval-writes.ts).
  deps.writes.register(
    approvalResolver(deps, (row, summary) => decisions.mediaBuyDecided(row, summary)),
  );
  // A rejection whose buyer's task a crash left unsettled is settled by recovery.
  deps.writes.register(rejectionResolver(deps, (row) => decisions.mediaBuyDecided(row, null)));
  // Creatives sent on to library sources whose answer was lost are sent again by recovery.
  deps.writes.register(creativeSyncResolver(deps));

  return {
    decisions,
    follow: (row: MediaBuyRow) => follower.follow(row),
    sourceTaskSettled: (task: SettledSourceTask) => follower.settled(task),
  };
}
