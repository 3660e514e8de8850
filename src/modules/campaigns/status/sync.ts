import { isRecord } from '../../../platform/is-record.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import { type FollowUpDeps, nextLook, settleTasks } from './follow-up.js';
import { withPackageIds } from '../buys/request.js';
import { finalStatuses, type SellerReport } from './statuses.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import * as syncStore from './sync-store.js';
import type { BuyerTaskRow } from './sync-store.js';

type Json = Record<string, unknown>;
type Apply = (
  row: MediaBuyRow,
  report: SellerReport,
  extra?: Partial<NewMediaBuy>,
) => Promise<MediaBuyRow>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const endedStates = new Set(['failed', 'rejected', 'canceled']);
/** Buys named in one get_media_buys call. */
const batchSize = 50;
/** Buys one look takes (the rest stay due: the next look follows at once). */
const lookSize = 500;
/** tasks_get calls in flight at once in one look (an agent serves a few requests at a time). */
const taskCallsAtOnce = 8;

/** A seller task a buy waits on: its create (no seller media buy id yet) or an update. */
export interface FollowedTask {
  kind: 'media_buy_create' | 'media_buy_update';
  sellerTaskId: string;
}

/** What a seller said about one of its tasks (tasks_get, or a push notification). */
export interface TaskOutcome {
  state: string;
  result?: Json | undefined;
  error?: Json | undefined;
  /**
   * When the seller told us (a push): written with the status it moves, in one update, so no
   * reader sees the new status without the time it was heard.
   */
  heardAt?: Date | undefined;
}

/**
 * Status sync of a buyer's placed media buys (issue 14 item 4): looks at the buys due on one
 * agent (tasks_get for each seller task they wait on, one get_media_buys per account for the
 * placed ones) and applies what the seller says through `applySellerStatus`, the one mapping.
 */
export function createStatusSync(ctx: CampaignsContext, apply: Apply) {
  const { db, deps } = ctx;
  const follow: FollowUpDeps = { db, sync: deps.sync, now: deps.now ?? (() => new Date()) };
  // A look that dies leaves its buys due again after this (two calls' budgets, at least a minute).
  const leaseSeconds = Math.max(60, Math.ceil((2 * deps.executeBudgetMs) / 1000));

  /** The seller tasks a buy waits on (its open tasks, when the caller read them already). */
  async function tasksOf(row: MediaBuyRow, openTasks?: BuyerTaskRow[]): Promise<FollowedTask[]> {
    const open = openTasks ?? (await syncStore.openTasksOf(db, [row.id]));
    const followed: FollowedTask[] = open.flatMap((t) =>
      t.sellerTaskId ? [{ kind: t.taskType, sellerTaskId: t.sellerTaskId }] : [],
    );
    if (
      !row.sellerMediaBuyId &&
      row.taskId &&
      !followed.some((t) => t.kind === 'media_buy_create')
    ) {
      followed.push({ kind: 'media_buy_create', sellerTaskId: row.taskId });
    }
    return followed;
  }

  /**
   * Applies the outcome of a seller task to the buy: a create that completed gives the buy its
   * seller id, packages and status; one that ended otherwise fails it; an update's outcome only
   * settles the buyer's task (the buy's status is what get_media_buys reports next).
   */
  async function applyTaskOutcome(
    row: MediaBuyRow,
    task: FollowedTask,
    outcome: TaskOutcome,
  ): Promise<MediaBuyRow> {
    let after = row;
    if (task.kind === 'media_buy_create' && !row.sellerMediaBuyId) {
      const { state, result, error } = outcome;
      const heard = outcome.heardAt ? { syncedAt: outcome.heardAt } : {};
      if (state === 'completed' && result) {
        const sellerId = str(result['media_buy_id']);
        after = await apply(
          row,
          { taskState: 'completed', adcpStatus: str(result['status']) },
          {
            ...heard,
            ...(sellerId && { sellerMediaBuyId: sellerId }),
            packages: withPackageIds(row.packages, result),
            errorCode: null,
            errorMessage: null,
          },
        );
      } else if (endedStates.has(state)) {
        after = await apply(
          row,
          { taskState: state },
          {
            ...heard,
            errorCode: str(error?.['code']) ?? 'tool_error',
            errorMessage: str(error?.['message']) ?? `The seller's task ended ${state}`,
          },
        );
      } else {
        after = await apply(row, { taskState: state }, heard);
      }
    }
    await settleTasks(db, row.id, task.sellerTaskId, {
      state: outcome.state,
      response: outcome.result,
      error: outcome.error,
    });
    return after;
  }

  /** Asks the agent how each of the buy's seller tasks stands, applying what it answers. */
  async function lookAtTasks(
    principal: CustomerPrincipal,
    row: MediaBuyRow,
    openTasks: BuyerTaskRow[],
  ) {
    let current = row;
    let heard = false;
    for (const task of await tasksOf(row, openTasks)) {
      const answer = await deps.agents.call(
        principal,
        row.salesAgentId,
        'tasks_get',
        { task_id: task.sellerTaskId, account: row.account },
        { timeoutMs: deps.executeBudgetMs },
      );
      const state = answer.ok ? str(answer.data['status']) : undefined;
      if (!answer.ok || !state) continue;
      heard = true;
      current = await applyTaskOutcome(current, task, {
        state,
        result: isRecord(answer.data['result']) ? answer.data['result'] : undefined,
        error: isRecord(answer.data['error']) ? answer.data['error'] : undefined,
      });
    }
    return { row: current, heard };
  }

  /** One get_media_buys per account and batch; answers the buys the seller reported, applied. */
  async function lookAtBuys(principal: CustomerPrincipal, agentId: string, rows: MediaBuyRow[]) {
    const applied = new Map<string, MediaBuyRow>();
    const byAccount = new Map<string, MediaBuyRow[]>();
    for (const row of rows) {
      const key = JSON.stringify(row.account);
      byAccount.set(key, [...(byAccount.get(key) ?? []), row]);
    }
    const batches = [...byAccount.values()].flatMap((group) =>
      Array.from({ length: Math.ceil(group.length / batchSize) }, (_, i) =>
        group.slice(i * batchSize, (i + 1) * batchSize),
      ),
    );
    for (const batch of batches) {
      const answer = await deps.agents.call(
        principal,
        agentId,
        'get_media_buys',
        {
          account: (batch[0] as MediaBuyRow).account,
          media_buy_ids: batch.map((b) => b.sellerMediaBuyId),
        },
        { timeoutMs: deps.executeBudgetMs },
      );
      if (!answer.ok) continue;
      const reported = (Array.isArray(answer.data['media_buys']) ? answer.data['media_buys'] : [])
        .filter(isRecord)
        .filter((b) => typeof b['media_buy_id'] === 'string');
      for (const row of batch) {
        const adcpStatus = str(
          reported.find((b) => b['media_buy_id'] === row.sellerMediaBuyId)?.['status'],
        );
        if (!adcpStatus) continue;
        applied.set(row.id, await apply(row, { taskState: 'completed', adcpStatus }));
      }
    }
    return applied;
  }

  return {
    applyTaskOutcome,
    tasksOf,

    /**
     * Looks at the caller's buys on the agent whose look is due (taken in the database, so no
     * two looks share a buy) and schedules each one's next look. Answers when the next look at
     * any of the caller's buys on the agent is due, or null when none is followed any more.
     */
    async syncAgent(principal: CustomerPrincipal, agentId: string): Promise<Date | null> {
      const due = await syncStore.claimDueBuys(
        db,
        principal.customerId,
        agentId,
        follow.now(),
        leaseSeconds,
        lookSize,
      );
      const open = await syncStore.openTasksOf(
        db,
        due.map((row) => row.id),
      );
      const looked: Array<{ row: MediaBuyRow; heard: boolean }> = [];
      for (let i = 0; i < due.length; i += taskCallsAtOnce) {
        looked.push(
          ...(await Promise.all(
            due.slice(i, i + taskCallsAtOnce).map((row) =>
              lookAtTasks(
                principal,
                row,
                open.filter((t) => t.mediaBuyId === row.id),
              ),
            ),
          )),
        );
      }
      const placed = looked
        .map((l) => l.row)
        .filter((row) => row.sellerMediaBuyId && !finalStatuses.has(row.status));
      const reported = placed.length > 0 ? await lookAtBuys(principal, agentId, placed) : new Map();
      await syncStore.scheduleLooks(
        db,
        due.map((before, i) => {
          const look = looked[i] as { row: MediaBuyRow; heard: boolean };
          const after = reported.get(before.id) ?? look.row;
          return nextLook(follow, before, after, look.heard || reported.has(before.id));
        }),
        follow.now(),
      );
      return syncStore.nextDueAt(db, principal.customerId, agentId);
    },

    /** Every (customer, agent) with buys still followed, and when its next look is due. */
    followedAgents: () => syncStore.followedAgents(db),
  };
}
