import {
  candidateOfProduct,
  type PreparedCandidate,
  prepareCandidate,
  type ProductLike,
  readAsk,
  type AskSource,
  type BriefAsk,
  topForAsk,
} from '../../../brief/index.js';
import { isRecord } from '../../../../platform/is-record.js';

/**
 * 3.1 product fields a mirrored set drops: the storefront adds its own to its 3.1 callers'
 * products (action template, projected formats), and a 3.0 caller's answer stays as it was when
 * the source was asked in 3.0.
 */
const fields31 = ['allowed_actions', 'format_options'] as const;

/** A held product: frozen, so no holder of an answer can change what another is served. */
export type HeldProduct = Readonly<Record<string, unknown>>;

/** What the mirror answers a brief with, held per set and ask (the same arrays every time). */
export interface HeldAnswer {
  products: readonly HeldProduct[];
  errors?: readonly unknown[];
}

/**
 * A wholesale answer's products as the mirror holds them: each parsed once and deep-frozen, with
 * the matcher's reading, and the JSON size held.
 */
export function preparedProducts(products: readonly unknown[]): {
  items: PreparedCandidate<HeldProduct>[];
  bytes: number;
} {
  const items: PreparedCandidate<HeldProduct>[] = [];
  let bytes = 0;
  for (const product of products) {
    // Not a product at all: the storefront's product check reports such a one when asked live;
    // the mirror cannot rank it, so it is not kept.
    if (!isRecord(product)) continue;
    const kept: Record<string, unknown> = { ...product };
    for (const field of fields31) delete kept[field];
    if (!isProductLike(kept)) continue;
    // A copy of the source's answer that nothing else references, frozen whole.
    const json = JSON.stringify(kept);
    bytes += json.length;
    const held = deepFreeze(JSON.parse(json) as Record<string, unknown> & ProductLike);
    items.push(prepareCandidate<HeldProduct>(held, candidateOfProduct(held)));
  }
  return { items, bytes };
}

/** How many asks' answers one set holds; one more, and they are asked afresh. */
const heldAsksPerSet = 32;

/**
 * The source's answer to `asked` from its mirrored set, held per set (`answers`) by what the
 * matcher reads of the ask: a buyer asking the same brief again gets the very arrays it got
 * before, so the storefront's product check (by the answer's array, product-check.ts) and the
 * ranking run once per set version and ask, not on every call.
 */
export function heldAnswer(
  answers: Map<string, HeldAnswer>,
  items: readonly PreparedCandidate<HeldProduct>[],
  errors: readonly unknown[],
  asked: Record<string, unknown>,
): HeldAnswer {
  const ask = askOf(asked);
  const key = JSON.stringify(ask);
  const held = answers.get(key);
  if (held) return held;
  const answer = Object.freeze(answerFromMirror(items, errors, ask));
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
  items: readonly PreparedCandidate<HeldProduct>[],
  errors: readonly unknown[],
  ask: BriefAsk,
): HeldAnswer {
  const products = Object.freeze(topForAsk(items, ask, items.length).map(({ item }) => item));
  return { products, ...(errors.length > 0 && { errors }) };
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
