import type { BuyContext } from './buy-context.js';
import type { WorkItemRow } from './store.js';

/** An item as the API shows it; `mediaBuy`: its buy as it is now (buy-context.ts), if any. */
export function summaryView(i: WorkItemRow, mediaBuy: BuyContext | null = null) {
  return {
    id: i.id,
    storefrontId: String(i.storefrontId),
    inventorySourceId: String(i.inventorySourceId),
    moduleId: i.moduleRowId === null ? null : String(i.moduleRowId),
    kind: i.kind,
    stage: i.stage,
    title: i.title,
    description: i.description,
    status: i.status,
    priority: i.priority,
    resourceType: i.resourceType,
    resourceId: i.resourceId,
    mediaBuyId: i.mediaBuyId,
    buyerCustomerId: i.buyerCustomerId,
    assignedTo: i.assignedTo,
    dueAt: i.dueAt?.toISOString() ?? null,
    blockedReason: i.blockedReason,
    createdByType: i.createdByType,
    createdById: i.createdById,
    completedBy: i.completedBy,
    completedAt: i.completedAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    mediaBuy,
  };
}

export function itemView(i: WorkItemRow, mediaBuy: BuyContext | null = null) {
  return { ...summaryView(i, mediaBuy), payload: i.payload, result: i.result };
}
