import { randomUUID } from 'node:crypto';
import {
  AdcpError,
  assertMediaBuyTransition,
  BackwardsTimeRangeError,
  BudgetTooLowError,
  InvalidRequestError,
  MediaBuyNotFoundError,
  PackageNotFoundError,
  ProductNotFoundError,
  type AdcpMediaBuyStatus,
  type AdcpStateStore,
} from '@adcp/sdk/server';
import type {
  CreateMediaBuyRequest,
  CreateMediaBuySuccess,
  UpdateMediaBuyRequest,
  UpdateMediaBuySuccess,
} from '@adcp/sdk/types';
import type { Product, SellerCatalog } from './catalog.js';

const collection = 'demo_media_buys';

export type BookedPackage = {
  package_id: string;
  product_id: string;
  pricing_option_id: string;
  budget: number;
  cpm: number;
  /** The creatives assigned to the package (get_media_buys reports them as creative_approvals). */
  creative_ids?: string[];
};

/** A media buy as the book keeps it; status is derived from the flight and the clock. */
export type BookedMediaBuy = {
  media_buy_id: string;
  account_id: string;
  state: 'live' | 'paused' | 'canceled';
  total_budget: number;
  start_time: string;
  end_time: string;
  created_at: string;
  updated_at: string;
  revision: number;
  packages: BookedPackage[];
  /** Some package has no creative yet: the buy waits in pending_creatives. */
  awaiting_creatives?: boolean;
  /** A status a sandbox's test controller forced; it holds until the buyer changes the buy's state. */
  forced_status?: AdcpMediaBuyStatus;
};

/** Statuses a buy never leaves, forced or not. */
const terminalStatuses = new Set<AdcpMediaBuyStatus>(['completed', 'canceled', 'rejected']);

/**
 * The seller's media buys in an SDK state store, scoped by account. Creative review is not
 * modelled: a buy is pending_start before its flight, active during it and completed after.
 */
/** The variance a seller that declares none holds to (assertMeasurementTerms). */
const anyVarianceFloorPercent = 1;

/**
 * Billing-measurement terms tighter than the seller holds to are refused, as AdCP asks. What it
 * holds to is the product's own `measurement_terms` (core/measurement-terms.json: "appears on
 * products (seller defaults)"), else the catalogue's `billingVariancePercent`; a seller that
 * declares neither still holds to `anyVarianceFloorPercent`: it accepts any workable tolerance
 * (3.1's billing_finality proposes 5 %), never 0 %, which no seller can reconcile third-party
 * measurement to (3.0.6's measurement_terms_rejected proposes 0 % and expects TERMS_REJECTED).
 */
function assertMeasurementTerms(
  pkg: object,
  index: number,
  product: Product | undefined,
  catalogVariance: number | undefined,
): void {
  const variance = billingVarianceOf(pkg);
  const held = billingVarianceOf(product ?? {}) ?? catalogVariance ?? anyVarianceFloorPercent;
  if (variance !== undefined && variance < held) {
    throw new AdcpError('TERMS_REJECTED', {
      recovery: 'correctable',
      field: `packages[${index}].measurement_terms.billing_measurement.max_variance_percent`,
      message: `The seller guarantees billing measurement within ${held}% variance; ${variance}% is not workable`,
      details: { max_variance_percent: held },
    });
  }
}

function billingVarianceOf(terms: object): number | undefined {
  const variance = (
    terms as { measurement_terms?: { billing_measurement?: { max_variance_percent?: unknown } } }
  ).measurement_terms?.billing_measurement?.max_variance_percent;
  return typeof variance === 'number' ? variance : undefined;
}

/** What the book reads of a create_media_buy (the account is the caller's, passed apart). */
export type BookedRequest = Pick<CreateMediaBuyRequest, 'start_time' | 'end_time' | 'packages'>;
/** What the book reads of an update_media_buy. */
export type BookedUpdate = Pick<
  UpdateMediaBuyRequest,
  'canceled' | 'paused' | 'end_time' | 'packages'
>;

export function createMediaBuyBook(store: AdcpStateStore, catalog: SellerCatalog) {
  async function get(accountId: string, mediaBuyId: string): Promise<BookedMediaBuy> {
    const buy = await store.get<BookedMediaBuy>(collection, mediaBuyId);
    if (!buy || buy.account_id !== accountId) throw new MediaBuyNotFoundError(mediaBuyId);
    return buy;
  }

  return {
    /** `packageIds`: ids a test controller's seed assigns its packages (else the book's own). */
    async create(
      accountId: string,
      request: BookedRequest,
      packageIds: ReadonlyArray<string | undefined> = [],
    ): Promise<CreateMediaBuySuccess> {
      const now = new Date();
      const start = request.start_time === 'asap' ? now : new Date(request.start_time);
      const end = new Date(request.end_time);
      if (end <= start) throw new BackwardsTimeRangeError();
      if (!request.packages?.length) {
        throw new InvalidRequestError(
          'packages',
          'packages is required (proposals are not offered)',
        );
      }
      const packages = request.packages.map((pkg, index): BookedPackage => {
        const product = catalog.findProduct(pkg.product_id);
        if (!product) throw new ProductNotFoundError(pkg.product_id);
        const price = catalog.findPrice(pkg.product_id, pkg.pricing_option_id);
        if (!price) {
          throw new InvalidRequestError(
            `packages[${index}].pricing_option_id`,
            `Unknown pricing option for ${pkg.product_id}`,
          );
        }
        const floor = price.minSpend ?? 1;
        if (pkg.budget < floor) throw new BudgetTooLowError({ floor, currency: 'USD' });
        assertMeasurementTerms(pkg, index, product, catalog.billingVariancePercent);
        return {
          package_id: packageIds[index] ?? `pkg_${randomUUID().slice(0, 8)}`,
          product_id: pkg.product_id,
          pricing_option_id: pkg.pricing_option_id,
          budget: pkg.budget,
          // An auction books at the buyer's bid (AdCP: "the exact bid/price to honor"), a rate
          // card option at its price.
          cpm:
            price.kind === 'floor' && typeof pkg.bid_price === 'number' ? pkg.bid_price : price.cpm,
          creative_ids: creativeIdsOf(pkg),
        };
      });
      const buy: BookedMediaBuy = {
        media_buy_id: `mb_${randomUUID().slice(0, 12)}`,
        account_id: accountId,
        state: 'live',
        total_budget: packages.reduce((sum, pkg) => sum + pkg.budget, 0),
        start_time: start.toISOString(),
        end_time: end.toISOString(),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        revision: 1,
        packages,
        awaiting_creatives: !request.packages.every(hasCreatives),
      };
      await store.put(collection, buy.media_buy_id, buy);
      return {
        media_buy_id: buy.media_buy_id,
        status: statusOf(buy),
        confirmed_at: buy.created_at,
        revision: buy.revision,
        packages: packages.map((pkg) => ({
          package_id: pkg.package_id,
          product_id: pkg.product_id,
          pricing_option_id: pkg.pricing_option_id,
          budget: pkg.budget,
        })),
      };
    },

    async update(
      accountId: string,
      mediaBuyId: string,
      patch: BookedUpdate,
    ): Promise<UpdateMediaBuySuccess> {
      const buy = await get(accountId, mediaBuyId);
      const next = { ...buy, packages: [...buy.packages] };
      if (patch.canceled === true) {
        assertMediaBuyTransition(statusOf(buy), 'canceled');
        next.state = 'canceled';
        next.forced_status = undefined;
      } else if (
        patch.paused !== undefined &&
        // A final buy refuses a resume as a pause (INVALID_STATE), even though it is not paused.
        (patch.paused !== (buy.state === 'paused') || terminalStatuses.has(statusOf(buy)))
      ) {
        assertMediaBuyTransition(statusOf(buy), patch.paused ? 'paused' : 'active');
        next.state = patch.paused ? 'paused' : 'live';
        next.forced_status = undefined;
      }
      if (patch.end_time) next.end_time = new Date(patch.end_time).toISOString();
      // Creatives assigned in an update end the wait (the seller does not review them).
      if (patch.packages?.some(hasCreatives)) next.awaiting_creatives = false;
      for (const change of patch.packages ?? []) {
        const index = next.packages.findIndex((pkg) => pkg.package_id === change.package_id);
        const current = next.packages[index];
        if (!current) throw new PackageNotFoundError(change.package_id ?? '');
        if (change.budget !== undefined)
          next.packages[index] = { ...next.packages[index]!, budget: change.budget };
        const { creative_assignments: assigned, creatives } = change as {
          creative_assignments?: unknown[];
          creatives?: unknown[];
        };
        // package-update.json: creative_assignments replaces the package's list; creatives adds.
        if (assigned || creatives) {
          const kept = assigned ? [] : (current.creative_ids ?? []);
          next.packages[index] = {
            ...next.packages[index]!,
            creative_ids: [...new Set([...kept, ...creativeIdsOf(change)])],
          };
        }
      }
      next.total_budget = next.packages.reduce((sum, pkg) => sum + pkg.budget, 0);
      next.revision = buy.revision + 1;
      next.updated_at = new Date().toISOString();
      await store.put(collection, mediaBuyId, next);
      return { media_buy_id: mediaBuyId, status: statusOf(next), revision: next.revision };
    },

    /**
     * Forces a buy's status (comply_test_controller force_media_buy_status): any status but from
     * a terminal one, which the buy keeps (`moved` false). Answers the status it had.
     */
    async force(
      accountId: string,
      mediaBuyId: string,
      status: AdcpMediaBuyStatus,
    ): Promise<{ previous: AdcpMediaBuyStatus; moved: boolean }> {
      const buy = await get(accountId, mediaBuyId);
      const previous = statusOf(buy);
      if (terminalStatuses.has(previous) && previous !== status) return { previous, moved: false };
      // The buyer's own pause, resume and cancel then start from the forced status.
      const state = status === 'paused' ? 'paused' : status === 'canceled' ? 'canceled' : 'live';
      const next: BookedMediaBuy = {
        ...buy,
        state,
        forced_status: status,
        revision: buy.revision + 1,
        updated_at: new Date().toISOString(),
      };
      await store.put(collection, mediaBuyId, next);
      return { previous, moved: true };
    },

    /** The account's buys, optionally only the given ids (unknown ids are left out). */
    async list(accountId: string, mediaBuyIds?: string[]): Promise<BookedMediaBuy[]> {
      const items: BookedMediaBuy[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list<BookedMediaBuy>(collection, {
          filter: { account_id: accountId },
          cursor,
        });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const wanted = mediaBuyIds?.length ? new Set(mediaBuyIds) : undefined;
      return items
        .filter((buy) => !wanted || wanted.has(buy.media_buy_id))
        .sort((a, b) => a.created_at.localeCompare(b.created_at));
    },
  };
}

export type MediaBuyBook = ReturnType<typeof createMediaBuyBook>;

export function statusOf(buy: BookedMediaBuy, now = Date.now()): AdcpMediaBuyStatus {
  if (buy.forced_status) return buy.forced_status;
  if (buy.state === 'canceled') return 'canceled';
  if (now >= Date.parse(buy.end_time)) return 'completed';
  // A setup blocker outranks the buyer's hold (3.1 create-media-buy-request.json `paused`: "a
  // buy with no creatives remains 'pending_creatives'"), so a resume never moves a buy from
  // paused to pending_creatives, an edge AdCP's lifecycle graph does not have.
  if (buy.awaiting_creatives) return 'pending_creatives';
  if (buy.state === 'paused') return 'paused';
  return now < Date.parse(buy.start_time) ? 'pending_start' : 'active';
}

/** The creative ids a package names, by assignment or inline. */
function creativeIdsOf(pkg: object): string[] {
  const { creative_assignments: assigned, creatives } = pkg as {
    creative_assignments?: Array<{ creative_id?: unknown }>;
    creatives?: Array<{ creative_id?: unknown }>;
  };
  return [...(assigned ?? []), ...(creatives ?? [])].flatMap((c) =>
    typeof c.creative_id === 'string' ? [c.creative_id] : [],
  );
}

/** A package that names creatives: assignments to synced ones, or manifests inline. */
function hasCreatives(pkg: object): boolean {
  const { creative_assignments: assigned, creatives } = pkg as {
    creative_assignments?: unknown[];
    creatives?: unknown[];
  };
  return (assigned?.length ?? 0) > 0 || (creatives?.length ?? 0) > 0;
}

/** Share of the flight elapsed, 0..1; a paused or canceled buy is frozen at its last update. */
export function deliveredShare(buy: BookedMediaBuy, now = Date.now()): number {
  const start = Date.parse(buy.start_time);
  const end = Date.parse(buy.end_time);
  const until = buy.state === 'live' ? now : Math.min(now, Date.parse(buy.updated_at));
  return Math.min(1, Math.max(0, (until - start) / (end - start)));
}
