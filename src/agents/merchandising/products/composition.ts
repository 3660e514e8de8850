import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import type { BuyerIdentity } from '../../../modules/buyer-instructions/index.js';
import { presentForPosture } from '../../../modules/postures/index.js';
import { buyerAskOf } from '../../../modules/rate-cards/index.js';
import { ownFixedPricesOf, pricedForBuyer, quotesOf } from './buyer-prices.js';
import {
  type SourceIdentity,
  type SourceProductsRequest,
} from '../../../modules/inventory-sources/index.js';
import { agentIdOf, type StorefrontRow } from '../../../modules/storefronts/index.js';
import type {
  PackagedComponentRecord,
  SourceOutcomeRecord,
} from '../../../modules/discovery-runs/index.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../deps.js';
import { parseProductId, relabeledCopy } from './product-ids.js';
import { sandboxSourceId } from '../sandbox/source.js';
import { askEach } from '../../../sources/fan-out.js';
import { pageOf, pageSizeOf, rankedForRequest } from './answer-page.js';
import { authorizedOnly, type OfferedProducts } from './authorized.js';
import { sellableProducts } from './product-check.js';
import { leftOutOf, recordLeftOut } from './left-out.js';
import { asServed, staleAdvisory } from './feed/stale-sources.js';
import { answerOfCode, proposalCodeOf, proposalsFor } from './proposals/answers.js';
import { answerProposalRefine, refinesProposals } from './proposals/refine.js';
import { narrowedFor31, narrowedPerSource31 } from './filters/filters31.js';
import { relabeledOnce } from './held-work.js';
import { servedRelease, speaks31 } from '../../adcp31/index.js';
import type { AdcpErrorObject, Product } from '../types.js';

/**
 * get_products of a storefront. Composition asks every ACTIVE SALES source in parallel;
 * passthrough asks only the first. Either way each product id is namespaced by its source,
 * annotated for routing (`ext.interchange`), and priced for this buyer (pricing.ts). A source
 * that fails or runs out of time is left out and reported in `errors[]`; a product AdCP's schema
 * refuses is left out and reported to the seller (product-check.ts); the call itself succeeds. Upstream proposals are not relayed (they could not be routed back yet); the storefront answers its own for a brief with a budget and a flight (proposals/answers.ts).
 */
export async function getStorefrontProducts(
  deps: MerchandisingDeps,
  storefront: StorefrontRow,
  customerId: number,
  request: GetProductsRequest,
  account: FixtureAccess = {},
): Promise<GetProductsResponse> {
  // A proposal code answers what its seller saved for this buyer (proposals/answers.ts).
  const code = proposalCodeOf(request);
  if (code) return answerOfCode(deps.proposals, storefront.id, customerId, request, code);
  // Refine naming this storefront's own proposals (include, omit, finalize): answered here.
  if (refinesProposals(request)) {
    return answerProposalRefine(deps.proposals, storefront.id, customerId, request, (rest) =>
      getStorefrontProducts(deps, storefront, customerId, rest, account),
    );
  }
  const started = performance.now();
  const buyer = buyerIdentityOf(request);
  const [gathered, instructions, pinned, recommended, rateCard, rewrite, sites] = await Promise.all(
    [
      gatherSourceProducts(deps, storefront, customerId, request, account),
      deps.buyerInstructions.resolve(storefront.id, buyer),
      deps.operatingInstructions?.pinnedPosture(storefront.id) ?? null,
      // History only guides: a recommendation that cannot be read leaves the run unguided.
      deps.postures?.postureFor(storefront.id, buyer).catch(() => undefined),
      deps.rateCards?.rateCardOf(storefront.id) ?? { currency: null, facts: [] },
      // The operator's language model reads the brief while the sources answer; null on any failure.
      request.brief && request.buying_mode !== 'wholesale'
        ? (deps.briefRewriter?.rewrite(storefront.id, request.brief) ?? null)
        : null,
      deps.propertyProfiles?.profilesOf(storefront.id) ?? null, // the seller's sites, any kind
    ],
  );
  const { errors, record } = gathered;
  // The one place the buyer's price is settled: product rules, rate card defaults, the buyer's
  // discount, then the card's ceilings and hard floors (buyer-prices.ts). Postures below only order.
  let products = await pricedForBuyer(deps, storefront, gathered.products, {
    rateCard,
    discountPercent: instructions.discountPercent,
    ask: buyerAskOf(request),
    ownFixedPrices: gathered.ownFixedPrices,
  });
  // AdCP 3.1's vendor-metric and currency filters, which 3.0 sources ignore (products/filters/filters31.ts).
  if (speaks31()) products = narrowedFor31(products, request);
  // Seed 003: human operating instructions stay authoritative over history. A posture pinned
  // for this buyer (buyer instructions) wins, then the one the active operating instructions
  // pin; history's recommendation applies only once the seller has accepted it.
  const inForce = recommended?.accepted ? recommended.posture : null;
  const posture = instructions.posture ?? pinned ?? inForce ?? null;
  // Every source's products ranked for the brief as one list; the page shown is the best of
  // it, and the rest follow through the cursor (answer-page.ts). The storefront's own answer
  // size wins over the posture's.
  const { ranked, excluded, explained } = rankedForRequest(products, request, rewrite, sites);
  const page = pageOf(ranked, request, pageSizeOf(request, posture, storefront.maxProducts));
  products = presentForPosture(explained(page.products), posture, { buyerChoosesCount: true });
  const packages = packagesOf(products);
  // Committed before the buyer sees the answer, in one insert with the runs of concurrent
  // answers (discovery-runs: a group commit), so no crash loses a run a buyer was shown. A buy
  // of a packaged product routes by the components recorded here, possibly on another
  // instance: that answer fails if its run cannot be written. Any other run that cannot be
  // written is reported with its content (onLost) and the buyer still gets the answer.
  const written = deps.discoveryRuns.record({
    storefrontId: storefront.id,
    buyerCustomerId: customerId,
    operatorDomain: buyer.operatorDomain,
    brandDomain: buyer.brandDomain,
    country: buyer.country,
    buyingMode: request.buying_mode ?? null,
    brief: request.brief ?? null,
    refine: request.refine ?? null,
    productIds: products.map((product) => product.product_id),
    packages,
    // The price of each option shown, kept with the answer: a buy of it books that price.
    quotes: quotesOf(products, gathered.products),
    sourceOutcomes: record,
    discountPercent: instructions.discountPercent,
    selectedPosture: posture,
    recommendedPosture: recommended?.posture ?? null,
    postureRationale: instructions.posture
      ? 'Pinned by the storefront’s buyer instructions'
      : pinned
        ? 'Pinned by the storefront’s active operating instructions'
        : recommended?.posture && !inForce
          ? 'Recommended by history, not applied: the seller has not accepted it'
          : (recommended?.rationale ?? null),
    durationMs: Math.round(performance.now() - started),
  });
  recordLeftOut(deps, storefront.id, written, leftOutOf(ranked, excluded, products));
  if (Object.keys(packages).length > 0) await written;
  else await written.catch(() => undefined);
  const proposals = await proposalsFor(deps.proposals, storefront, customerId, request, products);
  return {
    products,
    // Simulated data in the answer (the buyer's seeded products) is said so (AdCP `sandbox`).
    ...(products.some(isSandboxProduct) && { sandbox: true }),
    ...(proposals.length > 0 && { proposals }),
    ...(page.pagination && { pagination: page.pagination }),
    ...(errors.length > 0 && { errors }),
  };
}

/**
 * Whether the work is for one of the buyer's sandbox accounts (accounts/store.ts, by its stored
 * record): only a sandbox account sees and buys the fixtures the buyer seeded with the test
 * controller; a live account never does, nor do calls made for no account.
 */
export interface FixtureAccess {
  sandbox?: boolean;
}

/** What the sources answered, before the storefront's rules and the buyer's terms. */
export interface GatheredProducts {
  /** Every product the sources answered, namespaced and annotated (relabeled). */
  products: Product[];
  /** Buyer-safe errors of the sources that failed, and those they reported beside products. */
  errors: AdcpErrorObject[];
  /** One outcome per source asked, as discovery runs record them. */
  record: SourceOutcomeRecord[];
  /** The sources asked (or, in refine mode, that could have been). */
  sources: SourceIdentity[];
  /** The sources asked that book their own fixed price, not a quoted one (buyer-prices.ts). */
  ownFixedPrices: Set<string>;
}

/**
 * The first step of get_products: every sellable source asked in parallel (passthrough: the
 * first only), and the buyer's sandbox when it seeded one, within the source budget, the answers relabeled by source, and (strict policy)
 * only the products of publishers that authorize the storefront kept. `customerId` null asks
 * as no buyer (the operator's preview): no account is sent or claimed, no answer reused, and
 * sources that need the buyer's own credential answer not connected.
 */
export async function gatherSourceProducts(
  deps: Pick<
    MerchandisingDeps,
    'sources' | 'sourceBudgetMs' | 'publisherGate' | 'noteProductCheck' | 'onError'
  >,
  storefront: StorefrontRow,
  customerId: number | null,
  request: GetProductsRequest,
  account: FixtureAccess = {},
): Promise<GatheredProducts> {
  const { sellable, routable } = await deps.sources.of(storefront.id, customerId);
  // A sandbox account's own inventory (what the buyer seeded with the test controller) is asked
  // as one more source, so its products are ranked, paged and routed as every other source's
  // are; a live account's answer never holds it. Named by its id, not as "routable but not
  // sellable": a registry that wraps its sellable ports (property lists) hands out copies, and
  // every source would be asked twice.
  const sandbox =
    account.sandbox === true
      ? routable.filter((port) => port.source.sourceId === sandboxSourceId)
      : [];
  const live = storefront.storefrontType === 'passthrough' ? sellable.slice(0, 1) : sellable;
  // A wholesale feed is answered in the feed's order, no brief ranking it (answer-page.ts): the
  // buyer's own seeded inventory first (newest seed first), then each source's as it answered.
  const sources =
    request.buying_mode === 'wholesale' ? [...sandbox, ...live] : [...live, ...sandbox];
  const sourceIds = sources.map((port) => port.source.sourceId);
  const call = {
    customerId,
    account: request,
    budgetMs: budgetOf(deps, request),
    reuse: true,
    // A source holding the buyer's seeded products lists them to its sandbox accounts only.
    sandbox: account.sandbox === true,
  };
  const outcomes = (
    await askEach<GetProductsResponse>(sources, (port) => {
      const asked = forwardedRequest(request, port.source, sourceIds);
      return asked && port.getProducts(asked, call);
    })
  ).map(asServed);
  // Per source, not per product: a product is relabeled once and no wrapper is made for it.
  const offered: OfferedProducts[] = [];
  const errors: AdcpErrorObject[] = [];
  const record: SourceOutcomeRecord[] = [];
  for (const outcome of outcomes) {
    const latencyMs = Math.round(outcome.latencyMs);
    if (!outcome.ok) {
      errors.push(outcome.error);
      record.push({
        sourceId: outcome.source.sourceId,
        ok: false,
        productCount: 0,
        errorCode: outcome.error.code,
        latencyMs,
      });
      continue;
    }
    const answer = outcome.data;
    if (!Array.isArray(answer?.products)) {
      errors.push({
        code: 'SERVICE_UNAVAILABLE',
        message: `Inventory source "${outcome.source.name}" (${outcome.source.sourceId}) answered get_products without a products list`,
        details: { source_id: outcome.source.sourceId, reason: 'protocol_error' },
      });
      record.push({
        sourceId: outcome.source.sourceId,
        ok: false,
        productCount: 0,
        errorCode: 'SERVICE_UNAVAILABLE',
        latencyMs,
      });
      continue;
    }
    // One invalid product is left out of this answer (and reported to the seller); the rest answer.
    let valid = sellableProducts(deps, outcome.source, answer.products, request, servedRelease());
    // 3.1's reporting and placement filters, on every kind's products alike (products/filters/filters31.ts).
    if (speaks31()) valid = narrowedPerSource31(valid, request);
    offered.push({
      products: relabelAll(valid, storefront, outcome.source),
      sourceEndpointUrl: outcome.source.endpointUrl ?? null,
    });
    record.push({
      sourceId: outcome.source.sourceId,
      ok: true,
      productCount: valid.length,
      latencyMs,
    });
    const stale = staleAdvisory(outcome);
    if (stale) errors.push(stale);
    // Non-fatal errors the source reported alongside its products, attributed to it.
    for (const error of answer.errors ?? []) {
      errors.push({
        ...error,
        details: { ...(error.details ?? {}), source_id: outcome.source.sourceId },
      });
    }
  }
  // Under the strict policy, products of publisher domains that do not authorize us are not offered.
  const products = deps.publisherGate
    ? await authorizedOnly(deps.publisherGate, storefront, offered)
    : offered.flatMap(({ products }) => products);
  const [ownFixedPrices, asked] = [ownFixedPricesOf(sources), sources.map((port) => port.source)];
  return { products, errors, record, sources: asked, ownFixedPrices };
}

/** The packaged products (product rules) among `products`, with their components. */
function packagesOf(products: Product[]): Record<string, PackagedComponentRecord[]> {
  const packages: Record<string, PackagedComponentRecord[]> = {};
  for (const product of products) {
    const interchange = (product.ext as Record<string, unknown> | undefined)?.['interchange'] as
      { packaged?: unknown } | undefined;
    if (!Array.isArray(interchange?.packaged)) continue;
    packages[product.product_id] = (
      interchange.packaged as Array<{ product_id: string; pricing_option_ids?: string[] }>
    ).map((c) => ({ productId: c.product_id, pricingOptionIds: c.pricing_option_ids ?? [] }));
  }
  return packages;
}

/**
 * The per-source budget: the storefront's (default 4 s), shortened by the buyer's own
 * `time_budget` when it asks for less. Sources run in parallel, so the whole call takes about
 * one budget however many sources there are.
 */
export function budgetOf(
  deps: Pick<MerchandisingDeps, 'sourceBudgetMs'>,
  request: GetProductsRequest,
): number {
  const budget = deps.sourceBudgetMs ?? defaultSourceBudgetMs;
  const asked = request.time_budget;
  const unitMs = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
  if (!asked || asked.unit === 'campaign' || !(asked.interval > 0)) return budget;
  return Math.min(budget, asked.interval * unitMs[asked.unit]);
}

/**
 * What a source is asked: the buyer's request without what is the storefront's own (context,
 * pagination, time budget, ext; the account is the source's own, set by its kind), refine
 * asks narrowed to this source with product ids turned back into the source's own. In refine
 * mode a source none of the asks concern is not asked at all.
 */
export function forwardedRequest(
  request: GetProductsRequest,
  source: SourceIdentity,
  sourceIds: string[],
): SourceProductsRequest | undefined {
  const {
    account: _account,
    context: _context,
    pagination: _pagination,
    time_budget: _timeBudget,
    ext: _ext,
    refine,
    ...rest
  } = request;
  if (request.buying_mode !== 'refine') return rest;
  type Ask = NonNullable<GetProductsRequest['refine']>[number];
  const asks = (refine ?? []).flatMap((ask): Ask[] => {
    if (ask.scope === 'request') return [ask];
    if (ask.scope !== 'product') return [];
    const parsed = parseProductId(ask.product_id, sourceIds);
    if (parsed?.sourceId !== source.sourceId) return [];
    return [{ ...ask, product_id: parsed.upstreamProductId }];
  });
  return asks.length > 0 ? { ...rest, refine: asks } : undefined;
}

/**
 * The storefront's view of a source's products: namespaced ids, routing annotation. Copies, never
 * the source's objects (an answer may be reused for the next call), made once while the source's
 * checked products are held (held-work.ts: about 6 % of a mirrored brief's CPU over 4 × 100
 * products when made on every call). Copied with Object.assign, not spread: V8 gives spread copies
 * of JSON-parsed objects shapes its property caches miss on, and @adcp/sdk probes every product of
 * an answer for ~20 carrier keys (stripCtxMetadata), then ~0.5 ms per 90 products, not ~0.03 ms.
 */
function relabelAll(
  products: Product[],
  storefront: StorefrontRow,
  source: SourceIdentity,
): Product[] {
  const agentId = agentIdOf(storefront.platformId);
  const sourceId = source.sourceId;
  return relabeledOnce(products, `${agentId}\n${sourceId}`, (product) =>
    relabeledCopy(product, agentId, sourceId),
  );
}

/**
 * Who is buying, for buyer instructions: the operator (agency) domain of an AdCP account
 * reference `{brand, operator}`, the brand domain (request `brand`, else the account's), and
 * the country when the buyer filters on exactly one (several or none: unknown, so rows limited
 * to countries do not apply).
 */
export function buyerIdentityOf(request: GetProductsRequest): BuyerIdentity {
  const account = request.account && 'operator' in request.account ? request.account : undefined;
  const countries = request.filters?.countries ?? [];
  return {
    operatorDomain: account?.operator ?? null,
    brandDomain: request.brand?.domain ?? account?.brand.domain ?? null,
    country: countries.length === 1 ? (countries[0] ?? null) : null,
  };
}

/** A product of the buyer's sandbox (seeded with the test controller), not of a real source. */
function isSandboxProduct(product: Product): boolean {
  const interchange = (product.ext as Record<string, unknown> | undefined)?.['interchange'] as
    { source_id?: unknown } | undefined;
  return interchange?.source_id === sandboxSourceId;
}
