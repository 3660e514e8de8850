import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { pageOf } from '../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { CampaignsContext } from './context.js';
import type { PatchMediaBuyInput } from './schemas.js';
import { awaitSellerUpdate, setPaused } from './seller-calls.js';
import { finalStatuses, type MediaBuyStatus } from './status.js';
import * as store from './store.js';
import type { MediaBuyRow } from './store.js';
import { mediaBuyView, packageViews } from './views.js';

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

/** A buyer's media buys: seed 004's advertiser lists and the hosted /media-buys family. */
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
      const byId = new Map(row.packages.map((p) => [p.packageId ?? p.productId, p]));
      for (const [i, p] of (input.packages ?? []).entries()) {
        if (!byId.has(p.packageId)) {
          throw invalid(`No package ${p.packageId} on this media buy`, `packages.${i}.packageId`);
        }
      }
      const start = input.start_time ? new Date(input.start_time) : row.startTime;
      const end = input.end_time ? new Date(input.end_time) : row.endTime;
      if (end <= start) throw invalid('end_time must be after start_time', 'end_time');
      const packages = row.packages.map((p) => {
        const change = input.packages?.find((c) => c.packageId === (p.packageId ?? p.productId));
        return change
          ? {
              ...p,
              ...(change.budget !== undefined && { budget: change.budget }),
              ...(change.bidPrice !== undefined && { bidPrice: change.bidPrice }),
            }
          : p;
      });
      const warnings: string[] = [];
      const sellerChange =
        input.start_time !== undefined || input.end_time !== undefined || input.packages?.length;
      if (row.sellerMediaBuyId && sellerChange) {
        const push = await deps.sync.pushConfigFor(row);
        const result = await deps.agents.call(
          principal,
          row.salesAgentId,
          'update_media_buy',
          {
            idempotency_key: `${row.id}.update.${row.revision}`,
            account: row.account,
            media_buy_id: row.sellerMediaBuyId,
            ...(input.start_time && { start_time: start.toISOString() }),
            ...(input.end_time && { end_time: end.toISOString() }),
            ...(input.packages?.length && {
              packages: input.packages.map((p) => ({
                package_id: p.packageId,
                ...(p.budget !== undefined && { budget: p.budget }),
                ...(p.bidPrice !== undefined && { bid_price: p.bidPrice }),
              })),
            }),
            ...(push && { push_notification_config: push }),
          },
          { timeoutMs: deps.executeBudgetMs },
        );
        if (!result.ok) throw sellerRefused(result.error, 'change');
        if (result.status !== 'completed') {
          warnings.push('The seller is reviewing the change; it applies once approved');
          const named =
            input.name !== undefined
              ? await store.updateMediaBuy(db, row.id, { name: input.name })
              : row;
          const pending = await awaitSellerUpdate(calls, named, result);
          return { mediaBuy: mediaBuyView(pending), warnings };
        }
      }
      const updated = await store.updateMediaBuy(db, row.id, {
        ...(input.name !== undefined && { name: input.name }),
        startTime: start,
        endTime: end,
        packages,
        budget: packages.reduce((sum, p) => sum + p.budget, 0),
      });
      return { mediaBuy: mediaBuyView(updated), warnings };
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
      const only = input.packageIds?.length ? new Set(input.packageIds) : undefined;
      for (const packageId of only ?? []) {
        if (!row.packages.some((p) => (p.packageId ?? p.productId) === packageId)) {
          throw invalid(`No package ${packageId} on this media buy`, 'packageIds');
        }
      }
      const whole =
        !only || row.packages.every((p) => p.canceled || only.has(p.packageId ?? p.productId));
      if (row.sellerMediaBuyId) {
        const reason = input.reason && { cancellation_reason: input.reason };
        const push = await deps.sync.pushConfigFor(row);
        const result = await deps.agents.call(
          principal,
          row.salesAgentId,
          'update_media_buy',
          {
            idempotency_key: `${row.id}.cancel.${row.revision}`,
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
            ...(push && { push_notification_config: push }),
          },
          { timeoutMs: deps.executeBudgetMs },
        );
        if (!result.ok) throw sellerRefused(result.error, 'cancellation');
        if (result.status !== 'completed') {
          return { row: await awaitSellerUpdate(calls, row, result), pending: true };
        }
      }
      const updated = await store.updateMediaBuy(
        db,
        row.id,
        whole
          ? { status: 'CANCELED', ...(row.sellerMediaBuyId && { adcpStatus: 'canceled' }) }
          : {
              packages: row.packages.map((p) =>
                only!.has(p.packageId ?? p.productId) ? { ...p, canceled: true } : p,
              ),
            },
      );
      return { row: updated, pending: false };
    },

    /**
     * Archives a buy that nothing runs at a seller for: never placed (DRAFT, FAILED) or already
     * final. A placed, live buy must be canceled first.
     */
    async archiveMediaBuy(principal: CustomerPrincipal, id: string): Promise<MediaBuyRow> {
      const row = await requireMediaBuy(principal.customerId, id);
      if (row.status === 'ARCHIVED') return row;
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
