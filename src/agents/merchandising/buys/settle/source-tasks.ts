import { z } from 'zod';
import type { SourceTaskStatus } from '../../../../modules/inventory-sources/index.js';
import { defineJob, type JobQueue } from '../../../../platform/jobs/index.js';
import type { ForwardLeg, ForwardSummary, MediaBuyRow } from '../../../../modules/orders/index.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../../deps.js';
import { hasSubmittedLegs, legOfAnswer, summaryOf } from '../create/forward.js';
import { askEach } from '../../../../sources/fan-out.js';
import { buyerAccountOf, placedAccountOf } from '../forwarded-buys.js';

/** Follows up the tasks sources answered a forwarded create_media_buy with. */
export interface UpstreamTaskFollower {
  /** Queues the first look at a buy's submitted legs (durable: a job, any instance runs it). */
  follow(row: MediaBuyRow): Promise<void>;
  /**
   * A source says its task settled (a person confirmed or declined a booking at a modular
   * source): the look at the buy waiting on it is brought forward to now, so the buyer's task
   * settles at once rather than at the next look of the backoff (up to ten minutes away).
   */
  settled(task: SettledSourceTask): Promise<void>;
}

/** A source's task that settled: the storefront and source that hold it, and its id. */
export interface SettledSourceTask {
  storefrontId: number;
  sourceId: string;
  taskId: string;
}

const payload = z.object({
  storefrontId: z.number().int(),
  mediaBuyId: z.string().min(1),
  round: z.number().int().min(0),
});

/** Seconds before look number `round`: 2, 4, 8 … then every 10 minutes. */
const delayBefore = (round: number) => Math.min(2 * 2 ** round, 600);
/** A source's task not settled within this long fails its leg (IO signing takes hours, not weeks). */
const maxTaskAgeMs = 7 * 86_400_000;
const terminalFailures = new Set(['failed', 'canceled', 'rejected']);

/**
 * A forwarded buy a source took as a task (its create_media_buy answered `submitted`): the buyer
 * got a task of ours, and a job asks the source's tasks_get until each such leg settles, then
 * records the legs and settles the buyer's task with the buy (`settle`), as an operator's
 * decision does. Between looks the job re-queues itself later; a transient failure to ask is
 * only a look that learned nothing.
 */
export function createUpstreamTaskFollower(
  deps: MerchandisingDeps,
  jobs: Pick<JobQueue, 'define' | 'send' | 'hurry'>,
  settle: (row: MediaBuyRow, summary: ForwardSummary) => Promise<void>,
): UpstreamTaskFollower {
  const job = defineJob({
    name: 'storefront.media-buy-upstream-tasks',
    payload,
    // One look per buy waiting at a time; the running look queues the next.
    singleton: 'queued',
    handler: async ({ storefrontId, mediaBuyId, round }) => {
      const row = await deps.mediaBuys.findRecord(storefrontId, mediaBuyId);
      if (!row?.forwardResult || !hasSubmittedLegs(summaryOf(row.forwardResult))) return;
      const legs = await look(deps, row);
      const expired = Date.now() - row.createdAt.getTime() > maxTaskAgeMs;
      const settled = expired ? legs.map(expire) : legs;
      const summary = summaryOf(settled);
      if (hasSubmittedLegs(summary)) {
        await jobs.send(
          job,
          { storefrontId, mediaBuyId, round: round + 1 },
          { singletonKey: mediaBuyId, delaySeconds: delayBefore(round + 1) },
        );
        return;
      }
      await settle(await deps.mediaBuys.saveForward(row, summary), summary);
    },
  });
  jobs.define(job);
  return {
    async follow(row) {
      await jobs.send(
        job,
        { storefrontId: row.storefrontId, mediaBuyId: row.mediaBuyId, round: 0 },
        { singletonKey: row.mediaBuyId, delaySeconds: delayBefore(0) },
      );
    },
    async settled({ storefrontId, sourceId, taskId }) {
      const row = await deps.mediaBuys.findWaitingOnTask(storefrontId, sourceId, taskId);
      if (row) await jobs.hurry(job, row.mediaBuyId);
    },
  };
}

/** The buy's legs after asking each source holding one as a task how that task stands. */
async function look(deps: MerchandisingDeps, row: MediaBuyRow): Promise<ForwardLeg[]> {
  const legs = row.forwardResult ?? [];
  const waiting = new Map(
    legs.flatMap((leg) =>
      leg.status === 'submitted' && leg.upstreamTaskId ? [[leg.sourceId, leg] as const] : [],
    ),
  );
  const { serving } = await deps.sources.of(row.storefrontId, row.buyerCustomerId);
  const sources = serving.filter((port) => waiting.has(port.source.sourceId));
  const outcomes = await askEach<SourceTaskStatus>(sources, (port) => {
    const leg = waiting.get(port.source.sourceId)!;
    return port.taskStatus(leg.upstreamTaskId!, {
      customerId: row.buyerCustomerId,
      budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
      // The source keeps the task under the account the buy was placed with.
      account: { ...buyerAccountOf(row), placedAs: placedAccountOf(leg) },
      placed: true,
    });
  });

  const answers = new Map(outcomes.map((outcome) => [outcome.source.sourceId, outcome]));
  return legs.map((leg): ForwardLeg => {
    if (!waiting.has(leg.sourceId)) return leg;
    const outcome = answers.get(leg.sourceId);
    if (!outcome) {
      return failedLeg(leg, 'SERVICE_UNAVAILABLE', 'The source is no longer active');
    }
    if (!outcome.ok || outcome.task) return leg;
    const task = outcome.data;
    const status: unknown = task.status;
    if (status === 'completed') {
      return {
        ...legOfAnswer(leg.sourceId, task.result),
        ...(leg.account && { account: leg.account }),
      };
    }
    if (typeof status === 'string' && terminalFailures.has(status)) {
      const error = task.error ?? {};
      const failed = failedLeg(
        leg,
        typeof error.code === 'string' ? error.code : 'SERVICE_UNAVAILABLE',
        typeof error.message === 'string' ? error.message : `The source's task ended ${status}`,
      );
      // The source declined the buy (a person refused the booking) or it was canceled: the
      // buy ends so, rather than as a forward that failed (order-views).
      return status === 'failed' ? failed : { ...failed, mediaBuyStatus: status };
    }
    return leg;
  });
}

/** A leg the source's task ended without a buy; the task id stays: the buyer held a task. */
function failedLeg(leg: ForwardLeg, code: string, message: string): ForwardLeg {
  return {
    sourceId: leg.sourceId,
    status: 'failed',
    ...(leg.upstreamTaskId && { upstreamTaskId: leg.upstreamTaskId }),
    error: { code, message },
  };
}

function expire(leg: ForwardLeg): ForwardLeg {
  return leg.status === 'submitted'
    ? failedLeg(leg, 'SERVICE_UNAVAILABLE', 'The source did not settle its task within 7 days')
    : leg;
}
