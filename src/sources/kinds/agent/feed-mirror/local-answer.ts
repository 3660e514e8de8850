import {
  candidateOfProduct,
  type PreparedCandidate,
  prepareCandidate,
  type ProductLike,
  readAsk,
  type AskSource,
  topForAsk,
} from '../../../brief/index.js';
import { isRecord } from '../../../../platform/is-record.js';

/**
 * 3.1 product fields a mirrored set drops: the storefront adds its own to its 3.1 callers'
 * products (action template, projected formats), and a 3.0 caller's answer stays as it was when
 * the source was asked in 3.0.
 */
const fields31 = ['allowed_actions', 'format_options'] as const;

/** A wholesale answer's products as the mirror holds them: JSON and the matcher's reading. */
export function preparedProducts(products: readonly unknown[]): {
  items: PreparedCandidate<string>[];
  bytes: number;
} {
  const items: PreparedCandidate<string>[] = [];
  let bytes = 0;
  for (const product of products) {
    // Not a product at all: the storefront's product check reports such a one when asked live;
    // the mirror cannot rank it, so it is not kept.
    if (!isRecord(product)) continue;
    const kept: Record<string, unknown> = { ...product };
    for (const field of fields31) delete kept[field];
    if (!isProductLike(kept)) continue;
    const json = JSON.stringify(kept);
    bytes += json.length;
    items.push(prepareCandidate(json, candidateOfProduct(kept)));
  }
  return { items, bytes };
}

/**
 * The source's answer to `asked` from its mirrored set, with the one brief matcher: the products
 * an explicit filter excludes are left out, the rest ranked for the brief (a wholesale ask: all,
 * in the source's order). Every product is a fresh copy.
 */
export function answerFromMirror(
  items: readonly PreparedCandidate<string>[],
  errors: string,
  asked: Record<string, unknown>,
): { products: unknown[]; errors?: unknown[] } {
  const ask = readAsk({
    brief: typeof asked['brief'] === 'string' ? asked['brief'] : undefined,
    filters: isRecord(asked['filters']) ? (asked['filters'] as AskSource['filters']) : undefined,
  });
  const products = topForAsk(items, ask, items.length).map(
    ({ item }) => JSON.parse(item) as unknown,
  );
  const reported = JSON.parse(errors) as unknown[];
  return { products, ...(reported.length > 0 && { errors: reported }) };
}

/** What the matcher needs of a product: its name (the rest it reads where present). */
function isProductLike(
  value: Record<string, unknown>,
): value is Record<string, unknown> & ProductLike {
  return typeof value['name'] === 'string';
}
