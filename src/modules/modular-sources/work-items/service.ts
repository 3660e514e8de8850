import { conflict, invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { BuyRefused } from '../buys/refused.js';
import type { Buys } from '../buys/service.js';
import * as buys from '../buys/store.js';
import * as ledger from '../ledger/store.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { stageOfKind } from '../lifecycle/lookup.js';
import { configsOf } from '../lifecycle/projection.js';
import type { Lifecycle } from '../lifecycle/service.js';
import { modulesOf } from '../lifecycle/store.js';
import type { WorkItemStatus } from '../tables.js';
import { buyContextDeps, buyContextsOf } from './buy-context.js';
import type { DeliveryReports } from '../delivery/service.js';
import * as store from './store.js';
import { itemView, summaryView } from './views.js';

export { itemView } from './views.js';
import type { WorkItemFilter, WorkItemRow } from './store.js';

const openStatuses: WorkItemStatus[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED'];

/**
 * The source-side human work queue: list, claim and update, complete. Completing an item applies
 * its contract's side effects in the same transaction as the completion, once: a confirmed
 * booking books the holds and completes the buyer's task; a trafficked buy goes live; a mapped
 * creative reference is recorded; a final report becomes delivery (delivery/service.ts), and
 * completing its item again is a corrected final report, not a 409.
 */
export function createWorkItems(
  ctx: ModularContext,
  lifecycle: Lifecycle,
  buyFlow: Buys,
  reports: DeliveryReports,
) {
  const { db } = ctx;
  const actorOf = (principal: CustomerPrincipal) => `user:${principal.userId}`;
  const contexts = (items: WorkItemRow[]) => buyContextsOf(buyContextDeps(ctx, buyFlow), items);

  async function require(owned: OwnedModular, id: string): Promise<WorkItemRow> {
    const item = await store.find(db, owned.row.id, id);
    if (!item) throw notFound('Work item');
    return item;
  }

  /** The result keys completing an item of this kind must carry (its stage's contract). */
  async function requiredResultKeys(owned: OwnedModular, kind: string): Promise<string[]> {
    const configs = configsOf(await modulesOf(db, owned.row.id));
    return stageOfKind(owned.modular.setup, kind, configs)?.stage.requiredResultKeys ?? [];
  }

  return {
    async list(owned: OwnedModular, filter: WorkItemFilter) {
      const { items, total } = await store.list(db, owned.row.id, filter);
      const required = new Map<string, string[]>();
      for (const kind of new Set(items.map((i) => i.kind))) {
        required.set(kind, await requiredResultKeys(owned, kind));
      }
      const buys = await contexts(items);
      return {
        items: items.map((i) => ({
          ...summaryView(i, buys.get(i.id) ?? null),
          requiredResultFields: required.get(i.kind) ?? [],
        })),
        total,
        scanned: items.length,
        windowFull: total > items.length,
      };
    },

    async get(owned: OwnedModular, id: string) {
      const item = await require(owned, id);
      const events = await store.eventsOf(db, item.id);
      const buys = await contexts([item]);
      return {
        item: itemView(item, buys.get(item.id) ?? null),
        events: events.map((e) => ({
          id: String(e.id),
          workItemId: e.workItemId,
          eventType: e.eventType,
          actorType: e.actorType,
          actorId: e.actorId,
          notes: e.notes,
          payload: e.payload,
          createdAt: e.createdAt.toISOString(),
        })),
        requiredResultFields: await requiredResultKeys(owned, item.kind),
      };
    },

    /** Claims, assigns, blocks or notes an open item; a finished item is refused (409). */
    async update(
      owned: OwnedModular,
      principal: CustomerPrincipal,
      id: string,
      input: {
        status?: 'OPEN' | 'IN_PROGRESS' | 'BLOCKED' | undefined;
        assignedTo?: string | number | undefined;
        blockedReason?: string | null | undefined;
        result?: Record<string, unknown> | undefined;
        notes?: string | undefined;
      },
    ) {
      const item = await require(owned, id);
      if (input.status === 'BLOCKED' && !input.blockedReason && !item.blockedReason) {
        throw invalid('A BLOCKED item needs a blockedReason', 'blockedReason');
      }
      const patch = {
        ...(input.status !== undefined && { status: input.status }),
        ...(input.assignedTo !== undefined && { assignedTo: String(input.assignedTo) }),
        ...(input.blockedReason !== undefined && { blockedReason: input.blockedReason }),
        ...(input.status !== undefined && input.status !== 'BLOCKED' && { blockedReason: null }),
        ...(input.result !== undefined && { result: { ...item.result, ...input.result } }),
      };
      const changed = Object.keys(patch).length > 0;
      const saved = await db.transaction(async (tx) => {
        const updated = await store.transition(tx, item.id, openStatuses, patch);
        if (!updated) throw conflictFinished(item);
        await store.event(
          tx,
          item.id,
          input.status && input.status !== item.status ? `STATUS_${input.status}` : 'UPDATED',
          'user',
          actorOf(principal),
          input.notes ?? null,
          { ...patch },
        );
        return updated;
      });
      return { ok: true as const, item: itemView(saved), changed };
    },

    /**
     * Completes an item with its contract's result (missing required keys: 400) and applies its
     * side effects; a second completion is refused (409), so nothing is applied twice.
     */
    async complete(
      owned: OwnedModular,
      principal: CustomerPrincipal,
      id: string,
      input: { result?: Record<string, unknown> | undefined; notes?: string | undefined },
    ) {
      const item = await require(owned, id);
      if (item.stage === 'IMPORT_REPORTING' && item.status === 'COMPLETED') {
        return correctFinalReport(owned, principal, item, input);
      }
      const result = { ...item.result, ...input.result };
      const rejecting = result['decision'] === 'reject';
      if (!rejecting) {
        const missing = (await requiredResultKeys(owned, item.kind)).filter(
          (k) =>
            (result[k] === undefined || result[k] === null || result[k] === '') &&
            // A final report's rows may come as CSV text instead (final-report.ts).
            !(k === 'rows' && typeof result['csvText'] === 'string'),
        );
        if (missing.length) {
          throw invalid(
            `Completing ${item.kind} needs result.${missing.join(', result.')}`,
            `result.${missing[0]}`,
          );
        }
      }
      const saved = await db.transaction(async (tx) => {
        const done = await store.transition(tx, item.id, openStatuses, {
          status: 'COMPLETED',
          result,
          completedBy: actorOf(principal),
          completedAt: ctx.now(),
        });
        if (!done) throw conflictFinished(item);
        await applyEffects(tx, owned, principal, item, result, rejecting);
        await store.event(
          tx,
          item.id,
          'COMPLETED',
          'user',
          actorOf(principal),
          input.notes ?? null,
          { result },
        );
        return done;
      });
      if (item.stage === 'FINALIZE_BOOKING' && item.mediaBuyId) {
        await buyFlow.taskSettled(owned.row, item.mediaBuyId);
      }
      await lifecycle.report(owned.row, owned.modular);
      return { ok: true as const, item: itemView(saved), changed: true };
    },
  };

  /**
   * A final report uploaded again on its (completed) item: a correction, applied as the REST
   * upload applies one (a revision replacing the days it names), recorded on the item.
   */
  async function correctFinalReport(
    owned: OwnedModular,
    principal: CustomerPrincipal,
    item: WorkItemRow,
    input: { result?: Record<string, unknown> | undefined; notes?: string | undefined },
  ) {
    const buy = item.mediaBuyId
      ? await buys.findById(db, owned.row.id, item.mediaBuyId)
      : undefined;
    if (!buy) throw conflictFinished(item);
    const result = input.result ?? {};
    await db.transaction(async (tx) => {
      const revision = await reports.apply(tx, {
        owned,
        buy,
        input: { ...result, notes: result['notes'] ?? input.notes },
        final: true,
        actor: actorOf(principal),
        prefix: 'result.',
        workItemId: item.id,
      });
      await store.event(
        tx,
        item.id,
        'REPORT_CORRECTED',
        'user',
        actorOf(principal),
        input.notes ?? null,
        {
          deliveryReportId: revision.id,
          revision: revision.revision,
        },
      );
    });
    await lifecycle.report(owned.row, owned.modular);
    return { ok: true as const, item: itemView(item), changed: true };
  }

  async function applyEffects(
    tx: Parameters<Parameters<typeof db.transaction>[0]>[0],
    owned: OwnedModular,
    principal: CustomerPrincipal,
    item: WorkItemRow,
    result: Record<string, unknown>,
    rejecting: boolean,
  ) {
    if (item.resourceType === 'BOOKING' && item.stage === 'FINALIZE_BOOKING') {
      // An operator's own hold (…/bookings/finalize): booked, or given back when declined.
      const done = rejecting
        ? await ledger.release(tx, item.resourceId)
        : await ledger.confirm(tx, item.resourceId);
      if (!done) throw invalid('The hold is no longer HELD (it expired or was released)', 'result');
      return;
    }
    const buy = item.mediaBuyId
      ? await buys.findById(tx, owned.row.id, item.mediaBuyId)
      : undefined;
    if (!buy) return;
    try {
      switch (item.stage) {
        case 'FINALIZE_BOOKING':
          if (rejecting) {
            await buyFlow.rejectBooking(
              tx,
              buy,
              String(result['reason'] ?? 'The publisher declined the booking'),
            );
          } else {
            const order = result['upstreamOrderId'];
            await buyFlow.confirmBooking(
              tx,
              owned.row,
              owned.modular,
              buy,
              typeof order === 'string' ? order : undefined,
            );
          }
          return;
        case 'TRAFFIC_CAMPAIGN':
          await buyFlow.recordHandoff(tx, owned.modular, buy, {
            traffickedAt: ctx.now().toISOString(),
            upstreamCampaignId: String(result['upstreamCampaignId']),
          });
          return;
        case 'SYNC_CREATIVES': {
          const creativeId = String(item.payload['creativeId'] ?? '');
          await buyFlow.recordHandoff(tx, owned.modular, buy, {
            creativeRefs: { [creativeId]: String(result['creativeRef']) },
          });
          return;
        }
        case 'IMPORT_REPORTING':
          await reports.apply(tx, {
            owned,
            buy,
            input: result,
            final: true,
            actor: actorOf(principal),
            prefix: 'result.',
            workItemId: item.id,
          });
          return;
        default:
          return;
      }
    } catch (error) {
      if (error instanceof BuyRefused) throw invalid(error.message, 'result');
      throw error;
    }
  }
}

export type WorkItems = ReturnType<typeof createWorkItems>;

/** A finished (or cancelled) item takes no more changes: 409, nothing applied. */
const conflictFinished = (item: WorkItemRow) =>
  conflict(
    `Work item ${item.id} is no longer open (it was completed or cancelled)${
      item.stage === 'IMPORT_REPORTING' && item.mediaBuyId
        ? `; the buy's delivery reports go to POST …/modular/media-buys/${item.mediaBuyId}/delivery-reports`
        : ''
    }`,
    'status',
  );
