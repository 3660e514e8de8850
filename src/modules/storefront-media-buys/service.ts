import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { eventsOfBuy } from '../merchandising-events/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { buyerBuysOf, campaignBuyView, directBuyView } from './buyer-buys.js';
import { mediaBuysOf } from './store.js';
import { timelineOf } from './timeline.js';
import { mediaBuySummaryOf, type SellerMediaBuyStatus } from './views.js';

export interface StorefrontMediaBuysDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'getOwn'>;
  now?: () => Date;
}

export type StorefrontMediaBuysService = ReturnType<typeof createStorefrontMediaBuysService>;

const timelineEventLimit = 200;
const day = 86_400_000;

/** Unknown id and another storefront's id answer the same: existence does not leak. */
const mediaBuyNotFound = () => notFound('Media buy');

/**
 * Every media buy placed through the storefront as its seller reads them (read-only): the list,
 * urgent first, and one buy's timeline.
 */
export function createStorefrontMediaBuysService(deps: StorefrontMediaBuysDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async listMediaBuys(
      principal: CustomerPrincipal,
      filter: {
        status?: SellerMediaBuyStatus | undefined;
        buyerCustomerId?: number | undefined;
        sourceId?: string | undefined;
        flightStartFrom?: string | undefined;
        flightStartTo?: string | undefined;
      },
      page: { skip: number; take: number },
    ) {
      const storefront = await deps.storefronts.getOwn(principal);
      const rows = await mediaBuysOf(db, storefront.id, filter);
      const from = filter.flightStartFrom ? Date.parse(filter.flightStartFrom) : -Infinity;
      const to = filter.flightStartTo ? Date.parse(filter.flightStartTo) : Infinity;
      const soon = now().getTime() + 2 * day;
      const items = rows
        .map(mediaBuySummaryOf)
        .filter((b) => !filter.status || b.status === filter.status)
        .filter((b) => {
          if (!filter.flightStartFrom && !filter.flightStartTo) return true;
          const start = b.flightStart ? Date.parse(b.flightStart) : NaN;
          return start >= from && start <= to;
        })
        .map((b) => ({
          b,
          urgent:
            b.pendingReason !== null && b.flightStart !== null && Date.parse(b.flightStart) <= soon,
        }))
        // Urgency first: buys still waiting on someone whose flight starts within 48 hours.
        .sort((x, y) => Number(y.urgent) - Number(x.urgent))
        .map((x) => x.b);
      return {
        items: items.slice(page.skip, page.skip + page.take),
        total: items.length,
        warnings: [],
        statusFreshness: null,
      };
    },

    /**
     * The caller's own media buys as a buyer, whatever surface made them (buyer-buys.ts): its
     * campaigns' and those it placed straight on storefront agents, newest first.
     */
    async listBuyerMediaBuys(
      principal: CustomerPrincipal,
      page: { limit: number; offset: number },
    ) {
      const { direct, campaign, total } = await buyerBuysOf(
        db,
        principal.customerId,
        page.offset + page.limit,
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
