import { InMemoryStateStore } from '@adcp/sdk/server';
import {
  createSeedFixtureCache,
  TestControllerError,
  type SeedFixtureCache,
} from '@adcp/sdk/testing';
import {
  createInMemorySeller,
  createMediaBuyBook,
  type CatalogPrice,
  type InMemorySeller,
  type MediaBuyBook,
  type SellerCatalog,
} from '../../in-memory-seller/index.js';
import { sameFormatId } from '../../../modules/formats/index.js';
import type { InventorySource } from '../../../modules/inventory-sources/index.js';
import type { Format, Product } from '../types.js';
import { defaultCpm, defaultPriceOf, seededFormat, seededProduct } from './fixtures/seeded.js';
import { sandboxSource, type SimulatedDelivery } from './source.js';
import { mergeVendorValues } from './simulated/measurement.js';

/**
 * Sandbox accounts' own inventory (AdCP `comply_test_controller`): products a buyer seeds on a
 * storefront for its sandbox account are sold by the storefront itself, on an in-memory book,
 * and never reach a real source. It behaves as one more source, `~sandbox` (no slug can take
 * that id), whose product ids keep the ids they were seeded with. Scoped per storefront and
 * buyer; test state, so it lives in this process only.
 */
export { sandboxSourceId } from './source.js';

export interface Sandbox {
  seedProduct(scope: string, productId: string, fixture: Record<string, unknown>): void;
  seedPricingOption(
    scope: string,
    productId: string,
    pricingOptionId: string,
    fixture: Record<string, unknown>,
  ): void;
  simulateDelivery(scope: string, mediaBuyId: string, metrics: SimulatedDelivery): boolean;
  products(scope: string): Product[];
  /** Keeps a creative format for the scope (seed_creative_format); listed to its buyer only. */
  seedFormat(scope: string, formatId: string, fixture: Record<string, unknown>): void;
  /**
   * The scope's seeded creative formats, in the order they were seeded, then the formats its
   * seeded products name that it did not seed.
   */
  formats(scope: string): Format[];
  has(scope: string, productId: string): boolean;
  /** Keeps a measurement vendor's published metric ids for the scope (seed_measurement_catalog). */
  seedMeasurementCatalog(scope: string, vendorDomain: string, metricIds: string[]): void;
  /** The metric ids the scope seeded for a vendor, if it seeded its catalog. */
  measurementCatalog(scope: string, vendorDomain: string): readonly string[] | undefined;
  /** The scope's inventory as one more source of the storefront, when it seeded anything. */
  sourceFor(scope: string, storefrontId: number): InventorySource | undefined;
  /** Makes the scope's next `operation` call answer with a submitted task (controller). */
  forceSubmitted(scope: string, directive: SubmittedArm, operation?: ArmOperation): void;
  /** The scope's pending directive for `operation`, consumed. */
  takeForcedSubmitted(scope: string, operation?: ArmOperation): SubmittedArm | undefined;
  /**
   * The fixtures the scope seeded, by seed key (the SDK's replay check: an equivalent fixture
   * re-seeds, a divergent one is refused); one buyer's seeds never meet another's.
   */
  seedCache(scope: string): SeedFixtureCache;
  /** Keeps the scope's last live get_products answer: what an upstream outage falls back to. */
  rememberProducts(scope: string, answer: CachedProducts): void;
  /** The scope's last live get_products answer, if any. */
  cachedProducts(scope: string): CachedProducts | undefined;
  /**
   * Marks the scope's upstream of `tool` unreachable (force_upstream_unavailable), for the
   * compliance session: until the scope next seeds a product (another storyboard's setup).
   */
  forceUpstreamUnavailable(scope: string, tool: string, upstream: string): void;
  /** The forced outage of the scope's upstream of `tool` (or of every tool), if any. */
  outageOf(scope: string, tool: string): { upstream: string } | undefined;
  /** The scope's book of sandbox buys, once it has one (a buy was placed on seeded inventory). */
  bookOf(scope: string): MediaBuyBook | undefined;
  /** The status the controller forced on one of the scope's sandbox accounts; none: active. */
  accountStatus(scope: string, accountId: string): AccountStatus | undefined;
  /** Forces a sandbox account's status (force_account_status); answers the one it had. */
  forceAccountStatus(scope: string, accountId: string, status: AccountStatus): AccountStatus;
}

/** An account's status as AdCP names them (enums/account-status.json). */
export type AccountStatus =
  'active' | 'pending_approval' | 'rejected' | 'payment_required' | 'suspended' | 'closed';

/** The calls a forced response arm can shape (force_create_media_buy_arm, force_get_products_arm). */
export type ArmOperation = 'create_media_buy' | 'get_products';

/** A forced submitted arm: the task id to answer with, and the message to say. */
export interface SubmittedArm {
  taskId?: string | undefined;
  message?: string | undefined;
}

/** A live get_products answer as kept for the sandbox's stale fallback, and when it was live. */
export interface CachedProducts {
  products: Product[];
  at: number;
}

interface Ledger {
  fixtures: Map<string, Record<string, unknown>>;
  /** Seeded creative formats by id (at most productsPerScope of them). */
  formats: Map<string, Format>;
  /** Forced submitted arms by operation, each consumed by the next such call. */
  forced: Map<ArmOperation, SubmittedArm>;
  delivery: Map<string, SimulatedDelivery>;
  seller?: InMemorySeller;
  seeds: SeedFixtureCache;
  products?: CachedProducts;
  /** Tools whose upstream is forced unreachable ('*': every tool), with the upstream's name. */
  outages: Map<string, string>;
  book?: MediaBuyBook;
  /** Sandbox accounts' forced statuses, by account id (at most productsPerScope of them). */
  accounts: Map<string, AccountStatus>;
  /** Seeded measurement vendors' catalogs: metric ids by vendor domain. */
  catalogs: Map<string, string[]>;
}

/**
 * Sandbox state is memory a buyer can fill at will, so it is bounded: products per buyer and
 * storefront, and how many such sandboxes are kept (the least recently used goes first).
 */
const defaultLimits = { productsPerScope: 200, scopes: 1_000 };

export function createSandbox(limits = defaultLimits): Sandbox {
  const ledgers = new Map<string, Ledger>();
  const ledgerOf = (scope: string): Ledger => {
    let ledger = ledgers.get(scope);
    if (ledger) {
      // Most recently used last, so the first is the one to let go.
      ledgers.delete(scope);
    } else {
      ledger = {
        fixtures: new Map(),
        formats: new Map(),
        forced: new Map(),
        delivery: new Map(),
        seeds: createSeedFixtureCache(limits.productsPerScope * 4),
        outages: new Map(),
        accounts: new Map(),
        catalogs: new Map(),
      };
      const oldest = ledgers.keys().next();
      if (ledgers.size >= limits.scopes && !oldest.done) ledgers.delete(oldest.value);
    }
    ledgers.set(scope, ledger);
    return ledger;
  };
  const productsOf = (ledger: Ledger): Product[] =>
    [...ledger.fixtures.entries()].reverse().map(([id, fixture]) => seededProduct(id, fixture));

  /**
   * The formats the scope's seeded products name and it did not seed itself: a catalogue that
   * resolves every format_id its products carry, as any source's list_creative_formats does.
   */
  const productFormats = (ledger: Ledger): Format[] => {
    const seeded = [...ledger.formats.values()];
    const named = new Map<string, Format>();
    for (const product of productsOf(ledger)) {
      for (const id of product.format_ids ?? []) {
        const key = `${id.agent_url}\n${id.id}`;
        if (named.has(key) || seeded.some((f) => sameFormatId(f.format_id, id))) continue;
        named.set(key, { format_id: id, name: id.id });
      }
    }
    return [...named.values()];
  };

  function sellerOf(ledger: Ledger): InMemorySeller {
    if (ledger.seller) return ledger.seller;
    const catalog: SellerCatalog = {
      get products() {
        return productsOf(ledger);
      },
      findProduct: (id) => productsOf(ledger).find((p) => p.product_id === id),
      findPrice: (productId, optionId) => {
        const fixture = ledger.fixtures.get(productId);
        // A product seeded without pricing is sold at the sandbox's own rate (seededProduct).
        if (fixture && !fixture['pricing_options'] && optionId === defaultPriceOf(productId)) {
          return { kind: 'fixed', cpm: defaultCpm };
        }
        return priceOf(fixture, optionId);
      },
    };
    const store = new InMemoryStateStore();
    ledger.book = createMediaBuyBook(store, catalog);
    ledger.seller = createInMemorySeller({
      catalog,
      formats: [],
      channels: [],
      mediaBuys: ledger.book,
    });
    return ledger.seller;
  }

  return {
    forceSubmitted(scope, directive, operation = 'create_media_buy') {
      ledgerOf(scope).forced.set(operation, directive);
    },
    takeForcedSubmitted(scope, operation = 'create_media_buy') {
      const forced = ledgers.get(scope)?.forced;
      const directive = forced?.get(operation);
      forced?.delete(operation);
      return directive;
    },
    seedProduct(scope, productId, fixture) {
      const ledger = ledgerOf(scope);
      const existing = ledger.fixtures.get(productId);
      if (!existing && ledger.fixtures.size >= limits.productsPerScope) {
        throw new TestControllerError(
          'INVALID_PARAMS',
          `A sandbox holds at most ${limits.productsPerScope} seeded products`,
        );
      }
      // Seeding begins another storyboard's session (its fixtures come first): an upstream the
      // controller forced unavailable for the last one is reachable again.
      ledger.outages.clear();
      // So is the vendor catalog it seeded: one storyboard's catalog misses are not the next's.
      ledger.catalogs.clear();
      // The newest seed first: products that match a brief equally are answered newest first.
      ledger.fixtures.delete(productId);
      ledger.fixtures.set(productId, {
        ...fixture,
        ...(existing?.['pricing_options'] !== undefined && {
          pricing_options: existing['pricing_options'],
        }),
      });
    },
    seedPricingOption(scope, productId, pricingOptionId, fixture) {
      const ledger = ledgerOf(scope);
      const product = ledger.fixtures.get(productId) ?? {};
      const options = (
        (product['pricing_options'] as Array<Record<string, unknown>> | undefined) ?? []
      ).filter((option) => option['pricing_option_id'] !== pricingOptionId);
      ledger.fixtures.set(productId, {
        ...product,
        pricing_options: [...options, { ...fixture, pricing_option_id: pricingOptionId }],
      });
    },
    seedCache: (scope) => ledgerOf(scope).seeds,
    rememberProducts(scope, answer) {
      ledgerOf(scope).products = answer;
    },
    cachedProducts: (scope) => ledgers.get(scope)?.products,
    forceUpstreamUnavailable(scope, tool, upstream) {
      ledgerOf(scope).outages.set(tool, upstream);
    },
    outageOf(scope, tool) {
      const outages = ledgers.get(scope)?.outages;
      const upstream = outages?.get(tool) ?? outages?.get('*');
      return upstream === undefined ? undefined : { upstream };
    },
    bookOf: (scope) => ledgers.get(scope)?.book,
    accountStatus: (scope, accountId) => ledgers.get(scope)?.accounts.get(accountId),
    forceAccountStatus(scope, accountId, status) {
      const { accounts } = ledgerOf(scope);
      const previous = accounts.get(accountId) ?? 'active';
      if (!accounts.has(accountId) && accounts.size >= limits.productsPerScope) {
        throw new TestControllerError(
          'INVALID_PARAMS',
          `A sandbox holds at most ${limits.productsPerScope} accounts with a forced status`,
        );
      }
      accounts.set(accountId, status);
      return previous;
    },
    simulateDelivery(scope, mediaBuyId, metrics) {
      const ledger = ledgers.get(scope);
      if (!ledger) return false;
      const before = ledger.delivery.get(mediaBuyId) ?? {};
      ledger.delivery.set(mediaBuyId, {
        impressions: (before.impressions ?? 0) + (metrics.impressions ?? 0),
        clicks: (before.clicks ?? 0) + (metrics.clicks ?? 0),
        reported_spend: metrics.reported_spend ?? before.reported_spend,
        ...(metrics.completed_views !== undefined || before.completed_views !== undefined
          ? { completed_views: (before.completed_views ?? 0) + (metrics.completed_views ?? 0) }
          : {}),
        // Reach does not add up: the latest figure given stands, as do the unit and the cap.
        reach: metrics.reach ?? before.reach,
        frequency: metrics.frequency ?? before.frequency,
        reach_unit: metrics.reach_unit ?? before.reach_unit,
        frequency_cap: metrics.frequency_cap ?? before.frequency_cap,
        reach_window: metrics.reach_window ?? before.reach_window,
        viewability: metrics.viewability ?? before.viewability,
        finality: metrics.finality ?? before.finality,
        vendor_metric_values: mergeVendorValues(
          before.vendor_metric_values,
          metrics.vendor_metric_values,
        ),
      });
      return true;
    },
    seedMeasurementCatalog(scope, vendorDomain, metricIds) {
      const { catalogs } = ledgerOf(scope);
      if (!catalogs.has(vendorDomain) && catalogs.size >= limits.productsPerScope) {
        throw new TestControllerError(
          'INVALID_PARAMS',
          `A sandbox holds at most ${limits.productsPerScope} measurement catalogs`,
        );
      }
      catalogs.set(vendorDomain, metricIds.slice(0, limits.productsPerScope));
    },
    measurementCatalog: (scope, vendorDomain) => ledgers.get(scope)?.catalogs.get(vendorDomain),
    seedFormat(scope, formatId, fixture) {
      const { formats } = ledgerOf(scope);
      if (!formats.has(formatId) && formats.size >= limits.productsPerScope) {
        throw new TestControllerError(
          'INVALID_PARAMS',
          `A sandbox holds at most ${limits.productsPerScope} seeded creative formats`,
        );
      }
      formats.set(formatId, seededFormat(formatId, fixture));
    },
    formats: (scope) => {
      const ledger = ledgers.get(scope);
      return ledger ? [...ledger.formats.values(), ...productFormats(ledger)] : [];
    },
    products: (scope) => {
      const ledger = ledgers.get(scope);
      return ledger ? productsOf(ledger) : [];
    },
    has: (scope, productId) => ledgers.get(scope)?.fixtures.has(productId) ?? false,
    sourceFor(scope, storefrontId) {
      if (!ledgers.get(scope)?.fixtures.size) return undefined;
      // One book per scope: the buyer's account references do not split it further.
      return sandboxSource(storefrontId, {
        products: () => productsOf(ledgerOf(scope)),
        seller: () => sellerOf(ledgerOf(scope)),
        simulated: (mediaBuyId) => ledgerOf(scope).delivery.get(mediaBuyId),
      });
    },
  };
}

/** A seeded pricing option as the book prices it (CPM, rate card or floor, minimum spend). */
function priceOf(
  fixture: Record<string, unknown> | undefined,
  optionId: string,
): CatalogPrice | undefined {
  const options =
    (fixture?.['pricing_options'] as Array<Record<string, unknown>> | undefined) ?? [];
  const option = options.find((o) => o['pricing_option_id'] === optionId);
  if (!option) return undefined;
  const fixed = option['fixed_price'];
  const floor = option['floor_price'];
  const minSpend = option['min_spend_per_package'];
  return {
    kind: typeof fixed === 'number' ? 'fixed' : 'floor',
    cpm: typeof fixed === 'number' ? fixed : typeof floor === 'number' ? floor : 1,
    ...(typeof minSpend === 'number' && { minSpend }),
  };
}
