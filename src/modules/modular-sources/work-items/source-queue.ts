import { conflict, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { SourceWorkItem, SourceWorkQueue } from '../../inventory-sources/index.js';
import type { ModularContext } from '../context.js';
import { modularExecutionType } from '../context.js';
import type { createWorkItems } from './service.js';
import * as store from './store.js';
import { itemView } from './views.js';

/*
 * The work queue as every source kind reaches it (inventory-sources/ports/work-queue.ts): items another
 * kind opens live with the modular sources' own, so the storefront's queue lists them all, and a
 * seller completes any of them by id on the storefront. A modular item completes through its
 * source's contract (work-items/service.ts); another kind's item carries no contract: completing
 * it records that the person did the work (notes), once.
 */

const openStatuses = ['OPEN', 'IN_PROGRESS', 'BLOCKED'] as const;

export function createSourceWorkQueue(
  ctx: ModularContext,
  workItems: ReturnType<typeof createWorkItems>,
) {
  const port: SourceWorkQueue = {
    async open(item: SourceWorkItem) {
      const { mediaBuy, payload, ...rest } = item;
      const opened = await store.open(ctx.db, {
        ...rest,
        moduleRowId: null,
        mediaBuyId: mediaBuy.mediaBuyId,
        createdByType: 'buyer',
        createdById: `customer:${item.buyerCustomerId}`,
        // The buy as it stood is kept with the item: the queue shows it (buy-context.ts).
        payload: { ...payload, mediaBuy },
      });
      return { id: opened.id };
    },
  };

  return {
    port,

    /**
     * Completes the caller's storefront's item `id`: a modular source's through its contract,
     * another kind's with the person's notes. Another storefront's item is NOT_FOUND; a finished
     * one 409.
     */
    async complete(
      principal: CustomerPrincipal,
      id: string,
      input: { result?: Record<string, unknown> | undefined; notes?: string | undefined },
    ) {
      const storefront = await ctx.deps.storefronts.requireOwn(principal);
      const item = await store.findOfStorefront(ctx.db, storefront.id, id);
      if (!item) throw notFound('Work item');
      const source = (await ctx.deps.inventorySources.allRowsOf(storefront.id)).find(
        (s) => s.id === item.inventorySourceId,
      );
      if (source?.executionType === modularExecutionType) {
        const owned = await ctx.requireOwned(principal, source.sourceId);
        return workItems.complete(owned, principal, id, input);
      }
      const actor = `user:${principal.userId}`;
      const saved = await ctx.db.transaction(async (tx) => {
        const done = await store.transition(tx, item.id, [...openStatuses], {
          status: 'COMPLETED',
          result: { ...item.result, ...input.result },
          completedBy: actor,
          completedAt: ctx.now(),
        });
        if (!done)
          throw conflict(`Work item ${item.id} is no longer open (it was completed or cancelled)`);
        await store.event(tx, item.id, 'COMPLETED', 'user', actor, input.notes ?? null, {});
        return done;
      });
      return { ok: true as const, item: itemView(saved), changed: true };
    },
  };
}

export type SourceWorkQueueService = ReturnType<typeof createSourceWorkQueue>;
