import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { eventsOfBuy } from '../merchandising-events/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { buyerBuysOf } from './buyer-buys-store.js';
import { campaignBuyView, directBuyView } from './buyer-buys.js';
import { mediaBuysOf } from './store.js';
import { timelineOf } from './timeline.js';
import {
  csvOfOrders,
  type OrderDownloads,
  ordersDownloadPath,
  ordersScopeOf,
} from './order-download.js';
import { createOrderList, type OrderFilter, type OrderPage } from './order-list.js';
import type { OrderPorts } from './orders.js';
import { behindPaceBuys } from './behind-pace.js';

export interface StorefrontMediaBuysDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'getOwn'>;
  now?: () => Date;
  /** What the orders list composes from other modules (orders.ts). */
  orderPorts?: OrderPorts;
  /** Signed CSV downloads of the orders list. */
  downloads: OrderDownloads;
}

export type StorefrontMediaBuysService = ReturnType<typeof createStorefrontMediaBuysService>;

const timelineEventLimit = 200;

/** Unknown id and another storefront's id answer the same: existence does not leak. */
const mediaBuyNotFound = () => notFound('Media buy');

/**
 * Every media buy placed through the storefront as its seller reads them (read-only): the list,
 * urgent first, and one buy's timeline.
 */
export function createStorefrontMediaBuysService(deps: StorefrontMediaBuysDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const orders = createOrderList({ db, ports: deps.orderPorts ?? {}, now });
  return {
    /** Every storefront's buys in flight delivering behind pace now (behind-pace.ts). */
    behindPace: (at: Date = now()) => behindPaceBuys(db, orders, at),

    /** One page of the storefront's orders (order-list.ts), with the hosted list's envelope. */
    async listMediaBuys(principal: CustomerPrincipal, filter: OrderFilter, page: OrderPage) {
      const storefront = await deps.storefronts.getOwn(principal);
      return {
        ...(await orders.page(storefront.id, filter, page)),
        warnings: [],
        statusFreshness: null,
      };
    },

    /** A signed, expiring link to the orders the filters select, as CSV. */
    async exportMediaBuys(principal: CustomerPrincipal, filter: OrderFilter) {
      const storefront = await deps.storefronts.getOwn(principal);
      const scope = { customerId: principal.customerId, storefrontId: storefront.id, filter };
      const rowCount = (await orders.ordersOf(storefront.id, filter)).length;
      const expiresAt = new Date(now().getTime() + deps.downloads.ttlSeconds * 1000);
      const fileName = `storefront-orders-${now().toISOString().slice(0, 10)}.csv`;
      const path = deps.downloads.signer.sign(ordersDownloadPath(fileName, scope), expiresAt);
      return {
        downloadUrl: `${deps.downloads.publicUrl()}${path}`,
        expiresAt: expiresAt.toISOString(),
        fileName,
        rowCount,
      };
    },

    /**
     * The CSV a signed orders link names, read now; undefined when the signature is bad or
     * expired (the route answers 403).
     */
    ordersDownload(signedPath: string): AsyncIterable<string> | undefined {
      if (!deps.downloads.signer.verify(signedPath, now()).ok) return undefined;
      const scope = ordersScopeOf(signedPath);
      if (!scope) return undefined;
      return csvOfOrders(() => orders.ordersOf(scope.storefrontId, scope.filter));
    },

    /**
     * The caller's own media buys as a buyer, whatever surface made them (buyer-buys-store.ts): its
     * campaigns' and those it placed straight on storefront agents, newest first.
     */
    async listBuyerMediaBuys(
      principal: CustomerPrincipal,
      page: { limit: number; offset: number; mediaBuyId?: string },
    ) {
      const { direct, campaign, total } = await buyerBuysOf(
        db,
        principal.customerId,
        page.offset + page.limit,
        page.mediaBuyId,
      );
      const items = [...direct.map(directBuyView), ...campaign.map(campaignBuyView)]
        .sort(
          (a, b) =>
            b.createdAt.localeCompare(a.createdAt) || b.mediaBuyId.localeCompare(a.mediaBuyId),
        )
        .slice(page.offset, page.offset + page.limit);
      const next = page.offset + items.length;
      return { items, total, hasMore: next < total, nextOffset: next < total ? next : null };
    },

    /** Throws not_found for an unknown buy and for another storefront's buy alike. */
    async mediaBuyTimeline(principal: CustomerPrincipal, mediaBuyId: string) {
      const storefront = await deps.storefronts.getOwn(principal);
      const [row] = await mediaBuysOf(db, storefront.id, { ids: [mediaBuyId] });
      if (!row) throw mediaBuyNotFound();
      const events = await eventsOfBuy(db, storefront.id, mediaBuyId, timelineEventLimit + 1);
      return timelineOf(
        row,
        events.slice(0, timelineEventLimit),
        events.length > timelineEventLimit,
      );
    },
  };
}
