import { createHash } from 'node:crypto';
import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import { postureGuidance, type Posture } from '../../../modules/postures/index.js';
import {
  type BriefMatch,
  candidateOfProduct,
  matchCandidate,
  peersOf,
  prepareCandidate,
  type PreparedCandidate,
  readAsk,
  type RewrittenAsk,
  type SiteProfiles,
  withRewrite,
} from '../../../sources/brief/index.js';
import type { Product } from '../types.js';
import { rankedOnce, sharedOnly } from './held-work.js';

/*
 * One get_products answer of a storefront as a page of every source's products, best match for
 * the brief first (issue 47, item 2): a posture's answer size or the buyer's max_results chooses
 * how many, never which source; the rest follow through the cursor, and the answer says so.
 */

/** A ranking of every product for one ask: the order, what it left out, and why each matched. */
export interface RankedProducts {
  /** Every product the ask keeps, best match first (the given objects, unchanged). */
  ranked: Product[];
  excluded: Array<{ productId: string; reason: string }>;
  /** Copies of `shown` (ranked products) with why each matched under ext.interchange.match. */
  explained(shown: readonly Product[]): Product[];
}

/*
 * Each product as the matcher reads it, kept while the product is: a source's products are held
 * between calls (product sets, reused answers) and ranked on every call, and reading one costs
 * several times scoring it. A product is never changed after it is made (held-work.ts), so its
 * reading stays true.
 */
const preparedOf = new WeakMap<object, PreparedCandidate<Product>>();
/** Readings with the seller's site profiles, per profiles object (a new one after any write). */
const preparedWith = new WeakMap<SiteProfiles, WeakMap<object, PreparedCandidate<Product>>>();
/** A number per profiles object, for the keys of rankings made with it. */
const profilesIds = new WeakMap<SiteProfiles, number>();
let lastProfilesId = 0;

function preparer(sites: SiteProfiles | null): (product: Product) => PreparedCandidate<Product> {
  let held = preparedOf;
  if (sites?.size) {
    held = preparedWith.get(sites) ?? new WeakMap();
    preparedWith.set(sites, held);
  }
  return (product) => {
    let found = held.get(product);
    if (!found)
      held.set(
        product,
        (found = prepareCandidate(product, candidateOfProduct(product, sites ?? undefined))),
      );
    return found;
  };
}

const profilesKey = (sites: SiteProfiles | null) => {
  if (!sites?.size) return 0;
  let id = profilesIds.get(sites);
  if (id === undefined) profilesIds.set(sites, (id = ++lastProfilesId));
  return id;
};

/**
 * Every product ranked for the request's brief and filters by the one brief matcher, those a
 * filter leaves out apart; with the language model's reading of the brief when the operator
 * configured one (it only adds). Only the page shown is explained (`explained`): a storefront
 * over 10,000 products ranks them all on every new ask and shows a few.
 */
export function rankedForRequest(
  products: Product[],
  request: GetProductsRequest,
  rewrite: RewrittenAsk | null = null,
  sites: SiteProfiles | null = null,
): RankedProducts {
  const prepared = preparer(sites);
  // A wholesale request is the raw feed, which the buyer curates itself: AdCP (3.0 and 3.1) says
  // it carries no brief, and one sent anyway (the 6.11 storyboard runner fills its default brief
  // into every get_products sample that has none) does not rank it; its filters still do.
  const brief = request.buying_mode === 'wholesale' ? undefined : request.brief;
  const now = new Date();
  // Everything the ranking reads besides the products; the day, as a brief's "Q2" is read on it.
  const askKey = JSON.stringify([
    brief ?? null,
    request.filters ?? null,
    rewrite,
    now.toISOString().slice(0, 10),
    profilesKey(sites),
  ]);
  // The same products (the same objects: held-work.ts) asked the same are ranked once.
  return rankedOnce(products, askKey, (items) => {
    const read = readAsk({ brief, filters: request.filters }, now);
    const ask = rewrite ? withRewrite(read, rewrite) : read;
    const candidates = items.map(prepared);
    // What each score reads of the others: the text corpus (BM25F) and the prices among them.
    const peers = peersOf(candidates, ask);
    const scores = new Float64Array(candidates.length);
    const kept: number[] = [];
    const excluded: RankedProducts['excluded'] = [];
    candidates.forEach((c, i) => {
      const match = matchCandidate(ask, c.candidate, {
        reading: c.reading,
        explain: false,
        ...peers,
      });
      if (match.excluded) {
        excluded.push({ productId: c.item.product_id, reason: match.excluded });
        return;
      }
      scores[i] = match.score;
      kept.push(i);
    });
    // Best first; ties in the order given (a source's own tie-break), as rankForAsk's stable sort.
    kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const explainedOnce = new WeakMap<Product, Product>();
    return {
      ranked: kept.map((i) => candidates[i]!.item),
      excluded,
      explained: (shown) =>
        shown.map((product) => {
          let made = explainedOnce.get(product);
          if (!made) {
            const c = prepared(product);
            made = withMatch(
              product,
              matchCandidate(ask, c.candidate, { reading: c.reading, ...peers }),
            );
            sharedOnly([made]);
            explainedOnce.set(product, made);
          }
          return made;
        }),
    };
  });
}

/** A copy of the product with its match under ext.interchange (additive; the buyer may read it). */
function withMatch(product: Product, match: BriefMatch): Product {
  const ext = (product.ext ?? {}) as Record<string, unknown>;
  const interchange = (ext['interchange'] ?? {}) as Record<string, unknown>;
  return Object.assign({}, product, {
    ext: Object.assign({}, ext, {
      interchange: Object.assign({}, interchange, {
        match: { score: match.score, reasons: match.reasons },
      }),
    }),
  });
}

/**
 * How many products one answer shows: the buyer's max_results; all of them in refine and
 * wholesale mode (the buyer named what it wants); else the storefront's answer size (the
 * seller's explicit setting wins over any posture), else the posture's (none: all).
 */
export function pageSizeOf(
  request: GetProductsRequest,
  posture: Posture | null,
  storefrontSize: number | null = null,
): number | null {
  const asked = request.pagination?.max_results;
  if (asked !== undefined) return asked;
  if (request.buying_mode === 'refine' || request.buying_mode === 'wholesale') return null;
  if (storefrontSize !== null) return storefrontSize;
  return posture ? postureGuidance[posture].productCount : null;
}

/** What a cursor is bound to: the brief and filters it pages (another ask cannot reuse it). */
function fingerprintOf(request: GetProductsRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.brief ?? '', request.filters ?? {}, request.buying_mode ?? '']))
    .digest('base64url')
    .slice(0, 12);
}

const cursorOf = (request: GetProductsRequest, offset: number) =>
  Buffer.from(JSON.stringify({ o: offset, f: fingerprintOf(request) })).toString('base64url');

/** The offset a cursor continues from; 0 without one; a cursor of another ask is refused. */
function offsetOf(request: GetProductsRequest): number {
  const cursor = request.pagination?.cursor;
  if (cursor === undefined) return 0;
  const refuse = () =>
    new AdcpError('INVALID_REQUEST', {
      message: 'pagination.cursor is not a cursor of this brief: start again without one',
      field: 'pagination.cursor',
      recovery: 'correctable',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const { o, f } = (parsed ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || f !== fingerprintOf(request))
    throw refuse();
  return o;
}

/** The page of `ranked` this request asks for, and the AdCP pagination that says what follows. */
export function pageOf(
  ranked: Product[],
  request: GetProductsRequest,
  size: number | null,
): { products: Product[]; pagination?: GetProductsResponse['pagination'] } {
  const offset = offsetOf(request);
  const end = size === null ? ranked.length : offset + size;
  const products = ranked.slice(offset, end);
  const hasMore = end < ranked.length;
  if (!hasMore && request.pagination === undefined) return { products };
  return {
    products,
    pagination: {
      has_more: hasMore,
      ...(hasMore && { cursor: cursorOf(request, end) }),
      total_count: ranked.length,
    },
  };
}
