import {
  candidateOfProduct,
  type PreparedCandidate,
  prepareCandidate,
  type ProductLike,
  readAsk,
  type AskSource,
  type BriefAsk,
  topForAsk,
} from '../../../sources/brief/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { errorFor30 } from '../../../sources/releases/error30.js';
import { productFor30 } from '../../../sources/releases/product30.js';

/*
 * A 3.0 ask is served each product as a 3.0 answer carries it (sources/releases/product30.ts), and the
 * set's errors[] in 3.0's codes (sources/releases/error30.ts): the set is fetched in 3.1, and a 3.0
 * caller's answer stays as it was when the source was asked in 3.0. A 3.1 ask
 * gets the products as the source declared them, as a live 3.1 ask would (its own format options
 * and their ids, its own action template); the storefront adds its own only where the source
 * declared none.
 */

/** A held product: frozen, so no holder of an answer can change what another is served. */
export type HeldProduct = Readonly<Record<string, unknown>>;

/**
 * One held product as each release reads it: `v31` as the source answered it, `v30` as a 3.0
 * answer carries it (the same object when 3.1 changed nothing of it; otherwise a copy sharing
 * everything else; undefined when a 3.0 caller could buy nothing of it, left out of its answers).
 */
export interface HeldVersions {
  v31: HeldProduct;
  v30: HeldProduct | undefined;
}

/** What the mirror answers a brief with, held per set and ask (the same arrays every time). */
export interface HeldAnswer {
  products: readonly HeldProduct[];
  errors?: readonly unknown[];
}

/**
 * A wholesale answer's products as the mirror holds them: each parsed once and deep-frozen, with
 * the matcher's reading (of the product as the source declared it, format options included), and
 * the JSON size held.
 */
export function preparedProducts(products: readonly unknown[]): {
  items: PreparedCandidate<HeldVersions>[];
  bytes: number;
} {
  const items: PreparedCandidate<HeldVersions>[] = [];
  let bytes = 0;
  for (const product of products) {
    // Not a product at all: the storefront's product check reports such a one when asked live;
    // the mirror cannot rank it, so it is not kept.
    if (!isRecord(product) || !isProductLike(product)) continue;
    // A copy of the source's answer that nothing else references, frozen whole.
    const json = JSON.stringify(product);
    bytes += json.length;
    const v31 = deepFreeze(JSON.parse(json) as Record<string, unknown> & ProductLike);
    const versions = { v31, v30: deepFreeze(productFor30(v31)) };
    items.push(prepareCandidate(versions, candidateOfProduct(v31)));
  }
  return { items, bytes };
}

/**
 * Whether `asked` is answered in AdCP 3.1: it pins `adcp_version` 3.1 or a later 3.x release
 * (a 3.1 prerelease is served 3.0, as the storefront's own negotiation serves it).
 */
function asks31(asked: Record<string, unknown>): boolean {
  const pin = asked['adcp_version'];
  if (typeof pin !== 'string') return false;
  const dash = pin.indexOf('-');
  const [major, minor] = (dash < 0 ? pin : pin.slice(0, dash)).split('.').map(Number);
  return major === 3 && minor !== undefined && (minor > 1 || (minor === 1 && dash < 0));
}

/** How many asks' answers one set holds; one more, and they are asked afresh. */
const heldAsksPerSet = 32;

/**
 * The source's answer to `asked` from its mirrored set, held per set (`answers`) by the release
 * it is answered in and what the matcher reads of the ask: a buyer asking the same brief again
 * gets the very arrays it got before, so the storefront's product check (by the answer's array,
 * product-check.ts) and the ranking run once per set version and ask, not on every call.
 */
export function heldAnswer(
  answers: Map<string, HeldAnswer>,
  items: readonly PreparedCandidate<HeldVersions>[],
  errors: readonly unknown[],
  asked: Record<string, unknown>,
): HeldAnswer {
  const ask = askOf(asked);
  const release = asks31(asked) ? 'v31' : 'v30';
  const key = `${release}\n${JSON.stringify(ask)}`;
  const held = answers.get(key);
  if (held) return held;
  const answer = Object.freeze(answerFromMirror(items, errors, ask, release));
  if (answers.size >= heldAsksPerSet) answers.clear();
  answers.set(key, answer);
  return answer;
}

/**
 * The source's answer to an ask from its mirrored set, with the one brief matcher: the products
 * an explicit filter excludes are left out, the rest ranked for the brief (a wholesale ask: all,
 * in the source's order). The held products themselves, frozen.
 */
function answerFromMirror(
  items: readonly PreparedCandidate<HeldVersions>[],
  errors: readonly unknown[],
  ask: BriefAsk,
  release: keyof HeldVersions,
): HeldAnswer {
  const products = Object.freeze(
    topForAsk(items, ask, items.length).flatMap(({ item }): HeldProduct[] => {
      const product = item[release];
      return product ? [product] : [];
    }),
  );
  if (errors.length === 0) return { products };
  // The set's errors[] were given in 3.1: a 3.0 ask gets them in 3.0's codes (error30.ts).
  return { products, errors: release === 'v30' ? deepFreeze(errors.map(errorFor30)) : errors };
}

/** What the matcher reads of a request: its brief and filters. */
function askOf(asked: Record<string, unknown>): BriefAsk {
  return readAsk({
    brief: typeof asked['brief'] === 'string' ? asked['brief'] : undefined,
    filters: isRecord(asked['filters']) ? (asked['filters'] as AskSource['filters']) : undefined,
  });
}

/** Freezes `value` and everything it holds (JSON: objects and arrays only). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** What the matcher needs of a product: its name (the rest it reads where present). */
function isProductLike(
  value: Record<string, unknown>,
): value is Record<string, unknown> & ProductLike {
  return typeof value['name'] === 'string';
}
