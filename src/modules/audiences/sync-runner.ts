import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { AdvertisersService } from '../advertisers/index.js';
import type { BuyingAgents } from '../discovery/index.js';
import type { AudienceItem, SyncAudiencesInput } from './schemas.js';
import {
  audienceCalls,
  audienceTakers,
  callKey,
  pushCall,
  type AudienceTaker,
  type SellerAudienceRow,
} from './sellers.js';
import * as store from './store.js';
import type { SyncTaskRow } from './store.js';
import type { AudienceStatus, AudienceSyncProgress } from './tables.js';

export interface SyncRunnerDeps {
  db: Db;
  agents: BuyingAgents;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser'>;
  customerDomainOf: (customerId: number) => Promise<string | null>;
  actAs: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  /** Longest one seller call is waited for. */
  timeoutMs: number;
  /** Members applied per transaction (each commits the task's cursor with it). */
  chunkSize: number;
  /** How long a run holds its task without progress before another run may take it. */
  leaseSeconds: number;
  now: () => Date;
}

/** Raised when another run holds the task: the job is retried and then finds it done or free. */
export class TaskHeldElsewhere extends Error {}

/** One step of applying a request here: an audience's head (create, rename, delete), or a slice. */
type Op =
  | { kind: 'head'; item: AudienceItem }
  | { kind: 'add'; item: AudienceItem; from: number; to: number }
  | { kind: 'remove'; item: AudienceItem; from: number; to: number };

function opsOf(request: SyncAudiencesInput, chunk: number): Op[] {
  const ops: Op[] = [];
  for (const item of request.audiences) {
    ops.push({ kind: 'head', item });
    if (item.delete) continue;
    for (let i = 0; i < (item.add?.length ?? 0); i += chunk)
      ops.push({ kind: 'add', item, from: i, to: Math.min(i + chunk, item.add?.length ?? 0) });
    for (let i = 0; i < (item.remove?.length ?? 0); i += chunk)
      ops.push({
        kind: 'remove',
        item,
        from: i,
        to: Math.min(i + chunk, item.remove?.length ?? 0),
      });
  }
  return ops;
}

const membersOf = (op: Op) => (op.kind === 'head' ? 0 : op.to - op.from);

/** Hosted status from what the sellers holding it said (none: held here, ready to target). */
function statusOf(rows: SellerAudienceRow[], tookPart: number): AudienceStatus {
  const answered = rows.filter((r) => !r.error);
  if (tookPart > 0 && answered.length === 0) return 'ERROR';
  if (answered.length > 0 && answered.every((r) => r.status === 'too_small')) return 'TOO_SMALL';
  return 'READY';
}

/**
 * Works one audience sync task to its end: applies the request here in chunks (each chunk and
 * the task's cursor in one transaction, so a run that dies resumes after the last chunk it
 * committed and never applies one twice), then sends each audience to every agent that takes
 * audiences with AdCP sync_audiences, in slices whose idempotency keys are fixed by the task,
 * seller and slice: a re-run is one write at each seller. Sellers already done are skipped.
 */
export function createSyncRunner(deps: SyncRunnerDeps) {
  const { db, now } = deps;

  async function applyHere(task: SyncTaskRow, request: SyncAudiencesInput) {
    const ops = opsOf(request, deps.chunkSize);
    let processed = ops.slice(0, task.cursor).reduce((n, op) => n + membersOf(op), 0);
    for (let i = task.cursor; i < ops.length; i++) {
      const op = ops[i] as Op;
      processed += membersOf(op);
      await db.transaction(async (tx) => {
        const t: Db = tx;
        if (op.kind === 'head') {
          const row = await store.upsertAudience(
            t,
            {
              customerId: task.customerId,
              advertiserId: task.advertiserId,
              audienceId: op.item.audienceId,
              name: op.item.name,
              consentBasis: op.item.consentBasis,
              deleted: op.item.delete === true,
            },
            now(),
          );
          if (op.item.delete) await store.clearMembers(t, row.id);
        } else {
          const row = await store.findAudience(t, task.advertiserId, op.item.audienceId);
          if (!row) throw new Error('audience head not applied before its members');
          if (op.kind === 'add')
            await store.addMembers(t, row.id, (op.item.add ?? []).slice(op.from, op.to));
          else
            await store.removeMembers(
              t,
              row.id,
              (op.item.remove ?? []).slice(op.from, op.to).map((m) => m.externalId),
            );
        }
        await store.advanceTask(
          t,
          task.id,
          { cursor: i + 1, progress: { ...task.progress, processedMembers: processed } },
          now(),
          deps.leaseSeconds,
        );
      });
    }
    task.progress = { ...task.progress, processedMembers: processed };
  }

  /** Sends every audience of the request to one seller; the rows it answered per audience. */
  async function pushTo(
    principal: CustomerPrincipal,
    task: SyncTaskRow,
    taker: AudienceTaker,
    items: AudienceItem[],
    lastAttempt: boolean,
  ): Promise<{ rows: SellerAudienceRow[]; error?: string }> {
    const rows: SellerAudienceRow[] = [];
    let n = 0;
    for (const item of items) {
      let last: SellerAudienceRow | undefined;
      for (const audience of audienceCalls(item, taker.identifierTypes)) {
        const outcome = await pushCall(
          deps.agents,
          principal,
          taker,
          { key: callKey(task.id, taker.agent.agentId, n++), audience },
          deps.timeoutMs,
        );
        // Unknown outcome: the job runs again with the same keys (one write at the seller).
        if (!outcome.ok && outcome.transient && !lastAttempt) throw new Error(outcome.error);
        if (!outcome.ok) return { rows, error: outcome.error };
        last = outcome.rows.find((r) => r.audienceId === item.audienceId) ?? outcome.rows[0];
      }
      if (last) rows.push({ ...last, audienceId: item.audienceId });
    }
    return { rows };
  }

  async function pushToSellers(
    principal: CustomerPrincipal,
    task: SyncTaskRow,
    items: AudienceItem[],
    lastAttempt: boolean,
  ): Promise<{
    byAudience: Map<string, Array<SellerAudienceRow & { salesAgentId: string }>>;
    tookPart: number;
  }> {
    const advertiser = await deps.advertisers.requireAdvertiser(
      task.customerId,
      String(task.advertiserId),
    );
    const { takers, skipped } = await audienceTakers(
      deps.agents,
      principal,
      advertiser,
      await deps.customerDomainOf(task.customerId),
      deps.timeoutMs,
    );
    const progress = task.progress;
    const byAudience = new Map<string, Array<SellerAudienceRow & { salesAgentId: string }>>();
    for (const taker of takers) {
      const done = progress.sellers.find((s) => s.salesAgentId === taker.agent.agentId);
      if (done) continue;
      const { rows, error } = await pushTo(principal, task, taker, items, lastAttempt);
      for (const row of rows) {
        const held = await store.findAudience(db, task.advertiserId, row.audienceId);
        if (held && !row.error)
          await store.recordDelivery(
            db,
            held.id,
            taker.agent.agentId,
            {
              status: row.action === 'deleted' ? 'deleted' : row.status,
              matchedCount: row.matchedCount,
            },
            now(),
          );
        byAudience.set(row.audienceId, [
          ...(byAudience.get(row.audienceId) ?? []),
          { ...row, salesAgentId: taker.agent.agentId },
        ]);
      }
      progress.sellers.push({
        salesAgentId: taker.agent.agentId,
        salesAgentName: taker.agent.agentName,
        status: error ? 'failed' : 'answered',
        ...(error && { error }),
      });
      await store.advanceTask(db, task.id, { progress }, now(), deps.leaseSeconds);
    }
    for (const { agent, reason } of skipped)
      if (!progress.sellers.some((s) => s.salesAgentId === agent.agentId))
        progress.sellers.push({
          salesAgentId: agent.agentId,
          salesAgentName: agent.agentName,
          status: 'failed',
          error: reason,
        });
    return { byAudience, tookPart: takers.length };
  }

  return {
    /**
     * Runs a task once (a job's run). Answers quietly when it is already settled; raises
     * TaskHeldElsewhere while another live run holds it.
     */
    async run(taskId: string, attempt: { lastAttempt: boolean }): Promise<void> {
      const task = await store.claimTask(db, taskId, now(), deps.leaseSeconds);
      if (!task) {
        const status = await store.taskStatus(db, taskId);
        if (status === 'submitted' || status === 'working')
          throw new TaskHeldElsewhere(`audience sync ${taskId} is held by another run`);
        return;
      }
      const principal = await deps.actAs(task.customerId);
      if (!principal) {
        await store.settleTask(
          db,
          task.id,
          { status: 'failed', error: { message: 'The customer is no longer active' } },
          now(),
        );
        return;
      }
      try {
        const request = task.request;
        await applyHere(task, request);
        const items = [...request.audiences];
        if (request.deleteMissing) {
          const gone = await store.deleteOthers(
            db,
            task.advertiserId,
            request.audiences.map((a) => a.audienceId),
            now(),
          );
          const named = new Set(items.map((i) => i.audienceId));
          for (const row of gone)
            if (!named.has(row.audienceId))
              items.push({ audienceId: row.audienceId, delete: true });
        }
        const { byAudience, tookPart } = await pushToSellers(
          principal,
          task,
          items,
          attempt.lastAttempt,
        );
        const audiences = [];
        for (const item of items) {
          const row = await store.findAudience(db, task.advertiserId, item.audienceId);
          if (!row) continue;
          const rows = byAudience.get(item.audienceId) ?? [];
          const uploadedCount = await store.memberCount(db, row.id);
          const matched = rows.map((r) => r.matchedCount).filter((m) => m !== null);
          const status = item.delete ? 'READY' : statusOf(rows, tookPart);
          await store.setOutcome(
            db,
            row.id,
            {
              status,
              uploadedCount,
              matchedCount: matched.length > 0 ? Math.max(...matched) : row.matchedCount,
            },
            now(),
          );
          audiences.push({
            audienceId: item.audienceId,
            action: item.delete ? 'deleted' : 'synced',
            status,
            uploadedCount,
            // What each seller said of it (AdCP action and status, or its error code).
            sellers: rows.map((r) => ({
              salesAgentId: r.salesAgentId,
              action: r.action,
              ...(r.status && { status: r.status }),
              ...(r.matchedCount !== null && { matchedCount: r.matchedCount }),
              ...(r.error && { error: r.error }),
            })),
          });
        }
        await store.settleTask(
          db,
          task.id,
          {
            status: 'completed',
            progress: task.progress,
            response: { audiences, sellers: task.progress.sellers },
          },
          now(),
        );
      } catch (error) {
        if (!attempt.lastAttempt) {
          // The retry takes it at once rather than waiting for the lease to lapse.
          await store.releaseTask(db, task.id);
          throw error;
        }
        await store.settleTask(
          db,
          task.id,
          {
            status: 'failed',
            error: { message: error instanceof Error ? error.message : 'The sync failed' },
          },
          now(),
        );
      }
    },
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;
export type { AudienceSyncProgress };
