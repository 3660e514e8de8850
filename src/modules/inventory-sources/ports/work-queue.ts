/*
 * The storefront's one human work queue as a port for every source kind (issue 44, item 4):
 * a kind that meets work only a person can do (an ad-server order its API could not take down)
 * opens an item through it; the modular-sources module keeps the queue (its work items), lists
 * it with every other source's items (GET /api/v2/storefront/work-items) and completes it.
 */

/** The buy a work item is about, as the seller's queue shows it. */
export interface WorkItemBuy {
  mediaBuyId: string;
  status: string;
  buyer: { customerId: number; name: string | null };
  brandDomain: string | null;
  poNumber: string | null;
  budget: { amount: number; currency: string };
  flight: { startTime: string; endTime: string };
  products: Array<{
    packageId: string;
    /** The source's own product or avail id. */
    availId: string;
    name: string | null;
    impressions: number;
    budget: number;
    cpm: number;
    currency: string;
  }>;
  /** When the buy's hold lapses (a booking waiting for confirmation); null otherwise. */
  holdExpiresAt: string | null;
}

/** A work item a source kind opens (once per source, kind and resource: a retry finds it). */
export interface SourceWorkItem {
  storefrontId: number;
  inventorySourceId: number;
  /** The lifecycle stage it belongs to (UPDATE_CAMPAIGN for a buyer's change). */
  stage: string;
  kind: string;
  title: string;
  description: string;
  priority: 'NORMAL' | 'HIGH';
  resourceType: string;
  resourceId: string;
  buyerCustomerId: number;
  /** The buy as it stood when the item opened; the queue shows it with the item. */
  mediaBuy: WorkItemBuy;
  /** What the person needs besides (the ad server's order id, the change asked). */
  payload: Record<string, unknown>;
}

export interface SourceWorkQueue {
  /** Opens the item, or answers the one already open for its resource: its id. */
  open(item: SourceWorkItem): Promise<{ id: string }>;
}
