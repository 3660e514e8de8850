import { AppError, conflict, invalid, notFound } from '../../../platform/errors.js';
import { pageOf } from '../../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import type { PatchMediaBuyInput } from './schemas.js';
import {
  type ChangeExpectation,
  leaveToRecovery,
  noPendingWrite,
  pendingMessage,
  sendWrite,
} from './pending-writes.js';
import { awaitSellerUpdate, setPaused } from './pause-resume.js';
import { withGoals } from '../goals/optimization-goals.js';
import { sellerUpdateOf } from './goal-updates.js';
import { finalStatuses, type MediaBuyStatus } from '../status/statuses.js';
import * as store from '../store.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import { mediaBuyView, packageViews } from './views.js';
import { packageKeyOf } from './package-keys.js';

const mediaBuyNotFound = () => notFound('Media buy');

/** A seller's refusal (400 SELLER_REJECTED) or absence (503 SELLER_UNAVAILABLE) of a change. */
function sellerRefused(error: { code: string; message: string }, what: string) {
  const refused = error.code === 'tool_error';
  return new AppError(
    refused ? 'invalid' : 'unavailable',
    `The seller did not accept the ${what}: ${error.message}`,
    { code: refused ? 'SELLER_REJECTED' : 'SELLER_UNAVAILABLE' },
  );
}

/** A buy whose last write's outcome is still being established takes no other change yet. */
function assertNoPendingWrite(row: MediaBuyRow) {
  if (row.pendingWrite) {
    throw conflict(
      `The outcome of this media buy's ${row.pendingWrite} is still being established at the seller; try again once it is`,
      'status',
    );
  }
}

/** A change of a buy's fields as recorded once its seller took it (or with no seller yet). */
export function patchOf(
  row: MediaBuyRow,
  change: Extract<ChangeExpectation, { operation: 'update' }>,
): Partial<NewMediaBuy> {
  const goals = change.optimizationGoals && withGoals(row.packages, change.optimizationGoals);
  // A placed package the new goals leave without any keeps its own (AdCP cannot clear them).
  const regoaled = goals?.packages.map((p, i) => {
    const old = row.packages[i]?.optimizationGoals;
    return row.sellerMediaBuyId && p.packageId && !p.optimizationGoals && old
      ? { ...p, optimizationGoals: old }
      : p;
  });
  const packages = (regoaled ?? row.packages).map((p) => {
    const given = change.packages?.find((c) => c.packageId === packageKeyOf(p));
    return given
      ? {
          ...p,
          ...(given.budget !== undefined && { budget: given.budget }),
          ...(given.bidPrice !== undefined && { bidPrice: given.bidPrice }),
        }
      : p;
  });
  return {
    ...(change.name !== undefined && { name: change.name }),
    startTime: new Date(change.startTime),
    endTime: new Date(change.endTime),
    packages,
    ...(change.optimizationGoals && { optimizationGoals: change.optimizationGoals }),
    budget: packages.reduce((sum, p) => sum + p.budget, 0),
    ...noPendingWrite,
  };
}

/** A cancellation as recorded once its seller took it (or with no seller yet). */
export function cancelPatchOf(
  row: MediaBuyRow,
  change: Extract<ChangeExpectation, { operation: 'cancel' }>,
): Partial<NewMediaBuy> {
  const only = new Set(change.packageIds ?? []);
  return change.whole
    ? {
        status: 'CANCELED',
        ...(row.sellerMediaBuyId && { adcpStatus: 'canceled' }),
        ...noPendingWrite,
      }
    : {
        packages: row.packages.map((p) =>
          only.has(packageKeyOf(p)) ? { ...p, canceled: true } : p,
        ),
        ...noPendingWrite,
      };
}

/** A buyer's media buys: seed 004's advertiser lists and the hosted /media-buys family. */
export type MediaBuyOperations = ReturnType<typeof createMediaBuyOperations>;

export function createMediaBuyOperations(ctx: CampaignsContext) {
  const { db, deps, calls, requireMediaBuy } = ctx;

  async function mediaBuyAction(principal: CustomerPrincipal, id: string, paused: boolean) {
    const row = await requireMediaBuy(principal.customerId, id);
    const from: MediaBuyStatus = paused ? 'ACTIVE' : 'PAUSED';
    if (row.status !== from) {
      throw conflict(
        `Only ${paused ? 'an ACTIVE' : 'a PAUSED'} media buy can be ${paused ? 'paused' : 'reactivated'}; this one is ${row.status}`,
        'status',
      );
    }
    assertNoPendingWrite(row);
    const outcome = await setPaused(calls, principal, row, paused);
    return {
      mediaBuyId: row.id,
      name: row.name,
      previousStatus: row.status,
      newStatus: outcome.row.status,
      ...(outcome.row.buyerTaskId !== row.buyerTaskId &&
        outcome.row.buyerTaskId !== null && { taskId: outcome.row.buyerTaskId }),
      success: outcome.error === undefined,
      ...(outcome.error !== undefined && { error: outcome.error }),
    };
  }

  return {
    async listMediaBuys(
      principal: CustomerPrincipal,
      advertiserId: string,
      query: { limit: number; offset: number; status?: MediaBuyStatus[] | undefined },
    ) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const { rows, total } = await store.pageMediaBuys(
        db,
        principal.customerId,
        advertiser.id,
        query,
        query.status,
      );
      return pageOf(rows.map(mediaBuyView), total, query);
    },

    async getAdvertiserMediaBuy(principal: CustomerPrincipal, advertiserId: string, id: string) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const row = await requireMediaBuy(principal.customerId, id);
      if (row.advertiserId !== advertiser.id) throw mediaBuyNotFound();
      return { mediaBuy: mediaBuyView(row) };
    },

    async getMediaBuy(principal: CustomerPrincipal, id: string) {
      return { mediaBuy: mediaBuyView(await requireMediaBuy(principal.customerId, id)) };
    },

    async mediaBuyPackages(principal: CustomerPrincipal, id: string) {
      const row = await requireMediaBuy(principal.customerId, id);
      const packages = packageViews(row);
      return {
        mediaBuyId: row.id,
        isPaced: packages.some((p) => p.pacingPeriod !== undefined),
        packageCount: packages.length,
        packages,
      };
    },

    /**
     * Changes a buy: locally while it is not placed; at the seller first (update_media_buy)
     * once it is, recording the change only when the seller accepts it.
     */
    async patchMediaBuy(principal: CustomerPrincipal, id: string, input: PatchMediaBuyInput) {
      const row = await requireMediaBuy(principal.customerId, id);
      if (finalStatuses.has(row.status)) {
        throw conflict(`A ${row.status} media buy cannot change`, 'status');
      }
      assertNoPendingWrite(row);
      for (const [i, p] of (input.packages ?? []).entries()) {
        if (!row.packages.some((own) => packageKeyOf(own) === p.packageId)) {
          throw invalid(`No package ${p.packageId} on this media buy`, `packages.${i}.packageId`);
        }
      }
      const start = input.start_time ? new Date(input.start_time) : row.startTime;
      const end = input.end_time ? new Date(input.end_time) : row.endTime;
      if (end <= start) throw invalid('end_time must be after start_time', 'end_time');
      const change = {
        operation: 'update' as const,
        ...(input.name !== undefined && { name: input.name }),
        startTime: start.toISOString(),
        endTime: end.toISOString(),
        ...(input.packages?.length && {
          packages: input.packages.map((p) => ({
            packageId: p.packageId,
            ...(p.budget !== undefined && { budget: p.budget }),
            ...(p.bidPrice !== undefined && { bidPrice: p.bidPrice }),
          })),
        }),
        ...(input.optimization_goals && { optimizationGoals: input.optimization_goals }),
      };
      const { packageUpdates, goalWarnings } = sellerUpdateOf(row, input);
      const sellerChange =
        input.start_time !== undefined || input.end_time !== undefined || packageUpdates.length;
      if (!row.sellerMediaBuyId || !sellerChange) {
        const updated = await store.updateMediaBuy(db, row.id, patchOf(row, change));
        return { mediaBuy: mediaBuyView(updated), warnings: goalWarnings };
      }
      const write = await sendWrite(calls, principal, row, {
        operation: 'update',
        tool: 'update_media_buy',
        key: `${row.id}.update.${row.revision}`,
        request: {
          account: row.account,
          media_buy_id: row.sellerMediaBuyId,
          ...(input.start_time && { start_time: start.toISOString() }),
          ...(input.end_time && { end_time: end.toISOString() }),
          ...(packageUpdates.length > 0 && { packages: packageUpdates }),
        },
        expect: change,
      });
      if (!write.sent) throw conflict(write.reason, 'status');
      const { result, verdict, intent } = write;
      if (verdict.kind === 'unknown') {
        await leaveToRecovery(calls, row, intent, verdict);
        const pending = await requireMediaBuy(principal.customerId, row.id);
        return { mediaBuy: mediaBuyView(pending), warnings: [pendingMessage] };
      }
      if (!result.ok) {
        await store.updateMediaBuy(db, row.id, noPendingWrite);
        await deps.writes.settle(intent, 'refused');
        throw sellerRefused(result.error, 'change');
      }
      const recorded = await recordChange(calls, row, change, result);
      await deps.writes.settle(intent, 'answered');
      const warnings = [
        ...goalWarnings,
        ...(result.status === 'completed'
          ? []
          : ['The seller is reviewing the change; it applies once approved']),
      ];
      return { mediaBuy: mediaBuyView(recorded), warnings };
    },

    /**
     * Cancels a buy, or only some of its packages, for good (AdCP update_media_buy `canceled`).
     * A buy not placed at a seller is canceled here alone; a placed one only once its seller
     * accepts (a seller that reviews it first leaves it pending, followed by status sync).
     */
    async cancelMediaBuy(
      principal: CustomerPrincipal,
      id: string,
      input: { reason?: string | undefined; packageIds?: string[] | undefined },
    ): Promise<{ row: MediaBuyRow; pending: boolean }> {
      const row = await requireMediaBuy(principal.customerId, id);
      if (finalStatuses.has(row.status)) {
        throw conflict(`A ${row.status} media buy cannot be canceled`, 'status');
      }
      assertNoPendingWrite(row);
      const only = input.packageIds?.length ? new Set(input.packageIds) : undefined;
      for (const packageId of only ?? []) {
        if (!row.packages.some((p) => packageKeyOf(p) === packageId)) {
          throw invalid(`No package ${packageId} on this media buy`, 'packageIds');
        }
      }
      const whole = !only || row.packages.every((p) => p.canceled || only.has(packageKeyOf(p)));
      const change = {
        operation: 'cancel' as const,
        whole,
        ...(only && { packageIds: [...only] }),
      };
      if (!row.sellerMediaBuyId) {
        return {
          row: await store.updateMediaBuy(db, row.id, cancelPatchOf(row, change)),
          pending: false,
        };
      }
      const reason = input.reason && { cancellation_reason: input.reason };
      const write = await sendWrite(calls, principal, row, {
        operation: 'cancel',
        tool: 'update_media_buy',
        key: `${row.id}.cancel.${row.revision}`,
        request: {
          account: row.account,
          media_buy_id: row.sellerMediaBuyId,
          ...(whole
            ? { canceled: true, ...reason }
            : {
                packages: [...only!].map((packageId) => ({
                  package_id: packageId,
                  canceled: true,
                  ...reason,
                })),
              }),
        },
        expect: change,
      });
      if (!write.sent) throw conflict(write.reason, 'status');
      const { result, verdict, intent } = write;
      if (verdict.kind === 'unknown') {
        await leaveToRecovery(calls, row, intent, verdict);
        return { row: await requireMediaBuy(principal.customerId, row.id), pending: true };
      }
      if (!result.ok) {
        await store.updateMediaBuy(db, row.id, noPendingWrite);
        await deps.writes.settle(intent, 'refused');
        throw sellerRefused(result.error, 'cancellation');
      }
      const recorded = await recordChange(calls, row, change, result);
      await deps.writes.settle(intent, 'answered');
      return { row: recorded, pending: result.status !== 'completed' };
    },

    /**
     * Archives a buy that nothing runs at a seller for: never placed (DRAFT, FAILED) or already
     * final. A placed, live buy must be canceled first.
     */
    async archiveMediaBuy(principal: CustomerPrincipal, id: string): Promise<MediaBuyRow> {
      const row = await requireMediaBuy(principal.customerId, id);
      if (row.status === 'ARCHIVED') return row;
      assertNoPendingWrite(row);
      if (row.sellerMediaBuyId && !finalStatuses.has(row.status)) {
        throw conflict(
          `A ${row.status} media buy runs at its seller; cancel it before archiving`,
          'status',
        );
      }
      return store.updateMediaBuy(db, row.id, { status: 'ARCHIVED' });
    },

    pauseMediaBuy: (principal: CustomerPrincipal, id: string) =>
      mediaBuyAction(principal, id, true),
    reactivateMediaBuy: (principal: CustomerPrincipal, id: string) =>
      mediaBuyAction(principal, id, false),
  };
}

/**
 * Records a change of a placed buy its seller answered (at once, or as a task of its own: the
 * buyer then gets a task, and status sync tells when it applies). Pause and resume are
 * pause-resume.ts' recordPauseAnswer.
 */
export async function recordChange(
  calls: CampaignsContext['calls'],
  row: MediaBuyRow,
  change: Exclude<ChangeExpectation, { operation: 'pause' | 'resume' }>,
  result: ToolCallResult<Record<string, unknown>> & { ok: true },
): Promise<MediaBuyRow> {
  if (result.status !== 'completed') {
    // Until the seller applies it, only the name (ours alone) changes.
    const named = await store.updateMediaBuy(calls.db, row.id, {
      ...(change.operation === 'update' && change.name !== undefined && { name: change.name }),
      ...noPendingWrite,
    });
    return awaitSellerUpdate(calls, named, result);
  }
  const patch = change.operation === 'update' ? patchOf(row, change) : cancelPatchOf(row, change);
  return store.updateMediaBuy(calls.db, row.id, patch);
}
