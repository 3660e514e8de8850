import type { InventorySource, SourcePackage } from '../../../../sources/port.js';
import { askEach } from '../../../../sources/fan-out.js';
import { isRecord } from '../../../../platform/is-record.js';
import type { GetProductsResponse } from '@adcp/sdk/types';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../../deps.js';
import { parseProductId } from '../../products/product-ids.js';
import { speaks31 } from '../../../adcp31/index.js';
import type { Product } from '../../types.js';
import type { PackagedComponentRecord } from '../../../../modules/discovery-runs/index.js';
import { expandPackaged } from '../../../../modules/orders/index.js';
import { namesPropertyList } from '../../property-lists/packages.js';

/**
 * "Describe the packages": the one step of a buy that asks sources about the products its
 * packages name (issue 68, item 5). Each source owning a package is asked once, in parallel, for
 * its wholesale listing under the buy's account (a recent answer serves: `reuse`), and every later
 * check reads what it said: the quote (quote.ts), the 3.1 package terms and format choices
 * (create/package-terms.ts), property lists and hard floors. A product no source describes now is
 * left to routing and to its source.
 */

/** One package of the buy, where the buyer sent it, and its product as its source describes it. */
export interface DescribedPackage {
  /** The package as it goes to its source (a packaged product already split into its parts). */
  pkg: SourcePackage;
  /** `packages[i]`: the buyer's own package this one came from (refusals name it). */
  at: string;
  /** The product and option the buyer chose (a packaged product's own id, before the split). */
  asked: { productId: string; pricingOptionId: string };
  /** The source that owns its product; undefined when none of the storefront's does. */
  port?: InventorySource;
  /** The product as its source describes it now, with the source's own ids. */
  product?: Product;
}

/** A buy's packages and its sources' descriptions of them. */
export interface Described {
  packages: DescribedPackage[];
}

/** A package to describe: as routed, with the buyer's package it came from. */
export interface PackageAt {
  pkg: SourcePackage;
  index: number;
  asked: { product_id: string; pricing_option_id: string };
}

/**
 * The buyer's packages as they go to sources, each with the buyer's package it came from: a
 * packaged product (product rules) split into its parts as the buyer was shown them (`shown`,
 * orders' expandPackaged), any other package as it is.
 */
export function packagesAt(
  requested: readonly SourcePackage[],
  shown: Record<string, PackagedComponentRecord[]> | undefined,
): PackageAt[] {
  return requested.flatMap((pkg, index) => {
    const parts = (shown?.[pkg.product_id] && expandPackaged([pkg], shown)) ?? [pkg];
    return parts.map((part) => ({ pkg: part, index, asked: pkg }));
  });
}

/** A 3.1 buyer's package naming a property list: that check reads its product (property-lists/). */
export const checksPropertyList = (entry: PackageAt) => speaks31() && namesPropertyList(entry.pkg);

/** Who asks: the buyer, its account, and which owning sources need asking (default: all). */
export interface DescribeCall {
  customerId: number;
  account?: unknown;
  /** A sandbox account's buy: its sources list it the fixtures they hold (seed-route.ts). */
  sandbox?: boolean;
  /** Whether `port` must describe its packages `own` (no check would read what it says). */
  asks?: (port: InventorySource, own: readonly PackageAt[]) => boolean;
}

/**
 * Asks each source that owns one of `packages` once for its products (wholesale, under the
 * buy's `account`, as a 3.1 caller when the buyer is one), and pairs each package with its
 * product. A source that fails (or `asks` spares) describes nothing; the checks then leave its
 * packages to it.
 */
export async function describePackages(
  deps: Pick<MerchandisingDeps, 'sourceBudgetMs'>,
  packages: readonly PackageAt[],
  sources: readonly InventorySource[],
  { customerId, account, sandbox, asks }: DescribeCall,
): Promise<Described> {
  const sourceIds = sources.map((port) => port.source.sourceId);
  const owned = packages.map((entry) => {
    const owner = parseProductId(entry.pkg.product_id, sourceIds);
    const port = owner && sources.find((source) => source.source.sourceId === owner.sourceId);
    return { entry, port, upstreamId: owner?.upstreamProductId };
  });
  const involved = sources.filter((port) => {
    const own = owned.filter((o) => o.port === port).map((o) => o.entry);
    return own.length > 0 && (asks?.(port, own) ?? true);
  });
  const request = {
    buying_mode: 'wholesale' as const,
    ...(speaks31() && { adcp_version: '3.1' }),
    ...(isRecord(account) && { account }),
  };
  const budgetMs = deps.sourceBudgetMs ?? defaultSourceBudgetMs;
  const outcomes = await askEach<GetProductsResponse>(involved, (port) =>
    // cast: adcp_version is AdCP 3.1's, which the SDK's 3.0 request type does not name
    port.getProducts(request as Parameters<InventorySource['getProducts']>[0], {
      customerId,
      budgetMs,
      reuse: true,
      ...(sandbox === true && { sandbox: true }),
    }),
  );
  const listed = new Map(
    outcomes.map((outcome) => [
      outcome.source.sourceId,
      outcome.ok && Array.isArray(outcome.data?.products) ? outcome.data.products : [],
    ]),
  );
  return {
    packages: owned.map(({ entry, port, upstreamId }) => ({
      pkg: entry.pkg,
      at: `packages[${entry.index}]`,
      asked: {
        productId: entry.asked.product_id,
        pricingOptionId: entry.asked.pricing_option_id,
      },
      ...(port && { port }),
      ...(port && {
        product: (listed.get(port.source.sourceId) ?? []).find((p) => p.product_id === upstreamId),
      }),
    })),
  };
}

/** The description of the product `productId` (a storefront id) names, if a package has it. */
export function describedProduct(described: Described, productId: string) {
  return described.packages.find((entry) => entry.pkg.product_id === productId && entry.product);
}
