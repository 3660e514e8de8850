import { AdcpError } from '@adcp/sdk/server';
import type { CreateMediaBuySuccess } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import type { TaskPush } from '../../../../modules/task-pushes/index.js';
import type { MerchandisingDeps } from '../../deps.js';
import type { SalesContext, SalesResult } from '../../adcp.js';
import { buyActionTemplate } from '../reads/buy-template.js';
import { resumeSourceWrites, subjectOf } from '../source-writes.js';
import type { Writes } from '../workflow/runner.js';
import type { DecisionWaiters } from '../settle/waiters.js';
import { createdResponse } from './created-response.js';
import { forwardMediaBuy, hasSubmittedLegs, hasUnknownLegs, summaryOf } from './forward.js';

/*
 * The last steps of create_media_buy: a recorded buy answered to its buyer, as a task (awaiting
 * the operator, or a source that took its part as one) or as what its sources said; and a
 * retry's buy resumed under its key.
 */

/** Where a buy that is not settled at once waits: an operator's decision, or a source's task. */
export interface BuyTasks {
  waiters: DecisionWaiters;
  /** Follows up the tasks sources answered with (source-tasks.ts). */
  follow(row: MediaBuyRow): Promise<void>;
  /** Records where the buyer asked to be told when the task settles (task-notifications.ts). */
  remember(taskId: string, push: TaskPush | undefined): Promise<void>;
}

/** A buy's tasks in one request: a task it hands off goes to the request's push config. */
export type RequestTasks = Omit<BuyTasks, 'remember'> & { remember(taskId: string): Promise<void> };

/** A buy recorded under the key refused by every source (or the operator): a retry is new. */
export const refusedEverywhere = (row: MediaBuyRow) =>
  row.approvalStatus === 'rejected' ||
  row.forwardOutcome === 'all_failed' ||
  row.forwardOutcome === 'precondition_failed';

/** A buy held for the operator: a task, completed on the operator's decision. */
export function awaitOperator(
  deps: MerchandisingDeps,
  tasks: RequestTasks,
  row: MediaBuyRow,
  ctx: SalesContext,
): SalesResult<'createMediaBuy'> {
  return ctx.handoffToTask(async (task) => {
    await tasks.remember(task.id);
    await deps.mediaBuys.setTaskId(row, task.id);
    return tasks.waiters.wait<CreateMediaBuySuccess>(row.mediaBuyId);
  });
}

/**
 * create_media_buy again under a key whose buy is recorded: still awaiting the operator, a
 * task again; legs whose answer was lost are established first (unless a request or recovery
 * holds them: the buyer is asked to retry); never forwarded (its request died first), forwarded
 * now under the same keys; otherwise answered from what the sources said.
 */
export async function resumeBuy(
  deps: MerchandisingDeps,
  tasks: RequestTasks,
  row: MediaBuyRow,
  ctx: SalesContext,
  writes: Writes,
): Promise<SalesResult<'createMediaBuy'>> {
  if (row.approvalStatus === 'pending') return awaitOperator(deps, tasks, row, ctx);
  const subject = subjectOf(row);
  await resumeSourceWrites(deps, row);
  const current = (await deps.mediaBuys.findRecord(row.storefrontId, row.mediaBuyId)) ?? row;
  const open = await deps.writes.openOf([subject]);
  if (open.length > 0 || hasUnknownLegs({ legs: current.forwardResult ?? [] })) {
    throw stillEstablishing();
  }
  if (!current.forwardResult?.length) return answerForward(deps, tasks, current, ctx, writes);
  const summary = summaryOf(current.forwardResult);
  if (hasSubmittedLegs(summary)) {
    return ctx.handoffToTask(async (task) => {
      const settled = tasks.waiters.wait<CreateMediaBuySuccess>(current.mediaBuyId);
      await tasks.remember(task.id);
      await deps.mediaBuys.setTaskId(current, task.id);
      await tasks.follow(current);
      return settled;
    });
  }
  return createdResponse(current, summary, await buyActionTemplate(deps, current));
}

const stillEstablishing = () =>
  new AdcpError('SERVICE_UNAVAILABLE', {
    message:
      'A source’s answer to this media buy was lost; the storefront is establishing whether it was booked. Retry with the same idempotency_key.',
    recovery: 'transient',
    retry_after: 5,
  });

/**
 * Forwards a recorded buy to its sources (recorded writes: `writes`, settled by the runner once
 * the legs are saved) and answers what they said (a task, if one took it as one).
 */
export async function answerForward(
  deps: MerchandisingDeps,
  { waiters, follow, remember }: RequestTasks,
  row: MediaBuyRow,
  ctx: SalesContext,
  writes: Writes,
): Promise<SalesResult<'createMediaBuy'>> {
  const { summary, saved } = await forwardMediaBuy(deps, row, writes, (forwarded) =>
    deps.mediaBuys.saveForward(row, forwarded),
  );
  // A source's answer lost: the buyer retries under its key once recovery established it.
  if (hasUnknownLegs(summary)) throw stillEstablishing();
  if (hasSubmittedLegs(summary)) {
    return ctx.handoffToTask(async (task) => {
      // Waiting before the follow-up is queued: its first look may settle the buy at once.
      const settled = waiters.wait<CreateMediaBuySuccess>(row.mediaBuyId);
      await remember(task.id);
      await deps.mediaBuys.setTaskId(saved, task.id);
      await follow(saved);
      return settled;
    });
  }
  return createdResponse(saved, summary, await buyActionTemplate(deps, saved));
}
