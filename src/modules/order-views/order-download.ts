import { csvLine } from '../../platform/downloads/csv-line.js';
import { downloadPathOf, payloadOfDownload } from '../../platform/downloads/download-path.js';
import type { UrlSigner } from '../../platform/signed-urls.js';
import type { OrderFilter } from './order-list.js';
import type { Order } from './orders.js';

/** Where orders CSV downloads are served (outside /api/v2: the signed URL is the key). */
export const ordersDownloadBase = '/downloads/storefront-orders';

/** Signed CSV downloads: how links are signed, where, for how long. */
export interface OrderDownloads {
  signer: UrlSigner;
  publicUrl: () => string;
  ttlSeconds: number;
}

/** What a download lists: the storefront (and its owner) and the filters it was asked with. */
export interface OrdersScope {
  customerId: number;
  storefrontId: number;
  filter: OrderFilter;
}

export const ordersDownloadPath = (fileName: string, scope: OrdersScope) =>
  downloadPathOf(ordersDownloadBase, fileName, scope);

/** The scope a (verified) download path carries; undefined when it is not one of ours. */
export function ordersScopeOf(path: string): OrdersScope | undefined {
  const scope = payloadOfDownload(path) as Partial<OrdersScope> | undefined;
  return typeof scope?.customerId === 'number' &&
    typeof scope.storefrontId === 'number' &&
    typeof scope.filter === 'object' &&
    scope.filter !== null
    ? (scope as OrdersScope)
    : undefined;
}

const columns = [
  'mediaBuyId',
  'status',
  'buyerCustomerId',
  'buyerName',
  'brandDomain',
  'poNumber',
  'budget',
  'bookedBudget',
  'currency',
  'flightStart',
  'flightEnd',
  'productIds',
  'sourceIds',
  'sourceMediaBuyIds',
  'deliveredSpend',
  'deliveredImpressions',
  'expectedSpend',
  'pacingRatio',
  'openWorkItems',
  'agencyEstimateNumber',
  'planId',
  'proposalId',
  'createdAt',
];

/** The orders as CSV, a row per buy in the list's order (lists joined by spaces). */
export async function* csvOfOrders(orders: () => Promise<Order[]>): AsyncGenerator<string> {
  yield csvLine(columns);
  for (const o of await orders()) {
    yield csvLine([
      o.mediaBuyId,
      o.status,
      o.buyer.customerId,
      o.buyer.name,
      o.brandDomain,
      o.poNumber,
      o.budget,
      o.bookedBudget,
      o.currency,
      o.flightStart,
      o.flightEnd,
      o.productIds.join(' '),
      o.sources.map((s) => s.sourceId).join(' '),
      o.sources.flatMap((s) => (s.sourceMediaBuyId ? [s.sourceMediaBuyId] : [])).join(' '),
      o.pacing.deliveredSpend,
      o.pacing.deliveredImpressions,
      o.pacing.expectedSpend,
      o.pacing.pacingRatio,
      o.openWorkItems,
      o.buyerRefs.agencyEstimateNumber,
      o.buyerRefs.planId,
      o.buyerRefs.proposalId,
      o.createdAt,
    ]);
  }
}
