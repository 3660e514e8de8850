import type { GetProductsRequest } from '@adcp/sdk/types';
import { adcp31Schemas, isAtLeast, type Release } from '../../adcp31/index.js';
import { sdkSchemaValidator, type SchemaIssue } from '../../hosting/sdk-schema-validator.js';
import type { SourceIdentity } from '../../../modules/inventory-sources/index.js';
import { productsDropped } from '../../../platform/observability/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { findUnstorableInput } from '../../../platform/storable-input.js';
import { productJudged30 } from '../../../sources/releases/product30.js';
import { listFor31, productFor31 } from '../../../sources/releases/values31.js';
import type { MerchandisingDeps } from '../deps.js';
import type { Product } from '../types.js';

/** Why a product was left out, as a closed set (the metric's only label). */
export type DropReason =
  | 'missing_field'
  | 'wrong_type'
  | 'unknown_value'
  | 'out_of_range'
  | 'bad_format'
  | 'schema_mismatch';

/** A product a source answered that AdCP's product schema refuses. */
export interface RefusedProduct {
  /** The source's own product id, or where it stood in the answer when it has none usable. */
  productId: string;
  /** The first refused field, as a JSON pointer inside the product (`/channels/0`; `/` itself). */
  field: string;
  message: string;
  reason: DropReason;
}

export interface CheckedProducts {
  /** The products that pass, in the source's order (the answer's own array when all do). */
  valid: Product[];
  refused: RefusedProduct[];
}

// Bounds on what a refusal carries into the seller's records: schema messages are short, but
// an enum's message lists every allowed value.
const maxText = 500;
const maxProductId = 255;

/** `products/12/channels/0` → index 12, field `/channels/0`. */
const productPointer = /^\/products\/(\d+)(\/.*)?$/;

/**
 * The products of one source's answer a buyer may be shown: each checked on its own against the
 * release the buyer is answered in (checkProducts), the refused ones left out, counted by reason
 * (/metrics) and reported for the source's seller (readiness), beside the answer: a record that
 * cannot be written is logged, never the buyer's failure.
 */
export function sellableProducts(
  deps: Pick<MerchandisingDeps, 'noteProductCheck' | 'onError'>,
  source: SourceIdentity,
  products: readonly unknown[],
  request: GetProductsRequest,
  release: Release,
): Product[] {
  const { valid, refused } = checkedOnce(products, request.fields, release);
  for (const r of refused) productsDropped.inc({ reason: r.reason });
  // A source without a stored row (the buyer's sandbox, id 0) has no seller to report to.
  if (source.id <= 0) return valid;
  deps
    .noteProductCheck?.({
      inventorySourceId: source.id,
      refused,
      passed: valid,
      complete: listsEverything(request),
    })
    .catch((error: unknown) => deps.onError?.(error, `product issues of source ${source.id}`));
  return valid;
}

/**
 * The check of an answer already checked, by the answer's own array: a source's answer held
 * between calls (a modular source's or an ad server's product set, an agent's reused answer)
 * is one array its holders never change, so its products are checked once, not on every call
 * (about 13 µs a product). And by product: a new array of mostly the same products (a modular
 * source after a booking, an ad server's forecasts of the second) checks only its new ones. A
 * product is never changed after it is made, so its verdict stays true. Weakly held: gone with
 * the answer.
 */
const checked = new WeakMap<readonly unknown[], Map<string, CheckedProducts>>();
const checkedItem = new WeakMap<object, Map<string, Verdict>>();

function checkedOnce(
  products: readonly unknown[],
  fields: readonly string[] | undefined,
  release: Release,
): CheckedProducts {
  // One answer may be checked for callers of both releases (a 3.0 source's reused answer).
  const key = `${release}\n${fields ? JSON.stringify(fields) : ''}`;
  let byFields = checked.get(products);
  if (!byFields) checked.set(products, (byFields = new Map()));
  let outcome = byFields.get(key);
  if (outcome) return outcome;
  const verdicts = new Array<Verdict>(products.length);
  const unknown: number[] = [];
  products.forEach((product, i) => {
    const known = isRecord(product) ? checkedItem.get(product)?.get(key) : undefined;
    if (known) verdicts[i] = known;
    else unknown.push(i);
  });
  if (unknown.length > 0) {
    const fresh = verdictsOf(
      unknown.map((i) => products[i]),
      fields,
      release,
      unknown,
    );
    fresh.forEach((verdict, j) => {
      const i = unknown[j]!;
      verdicts[i] = verdict;
      const product = products[i];
      if (!isRecord(product)) return;
      let byKey = checkedItem.get(product);
      if (!byKey) checkedItem.set(product, (byKey = new Map()));
      byKey.set(key, verdict);
    });
  }
  outcome = assembled(products, verdicts);
  byFields.set(key, outcome);
  return outcome;
}

/**
 * Whether a source asked this lists everything it offers, so a product it no longer answers is
 * gone: no brief and nothing that narrows (refine asks about some products only).
 */
function listsEverything(request: GetProductsRequest): boolean {
  return (
    request.buying_mode !== 'refine' &&
    !request.brief &&
    !request.catalog &&
    !request.property_list &&
    !request.preferred_delivery_types?.length &&
    !request.required_policies?.length &&
    (!request.filters || Object.keys(request.filters).length === 0)
  );
}

/** A product's first refused field, as the seller is told it. */
type Refusal = Pick<RefusedProduct, 'field' | 'message' | 'reason'>;

/**
 * Checks each product of one source's get_products answer against AdCP's product schema of the
 * caller's release on its own: one pass over the answer with @adcp/sdk's validator (the one its
 * clients and non-production servers apply), whose issues are grouped by product. A buyer's
 * `fields` projection lets the source leave out required fields the buyer did not ask for (AdCP:
 * product_id and name are always sent), so those omissions refuse nothing.
 *
 * The SDK's schema is 3.0.6's: a 3.1 caller's products are judged by it on what 3.1.19 kept of
 * 3.0 (each product's 3.0 reading, sources/releases/product30.ts, without the parts 3.1 changed and the
 * values 3.1 added to enums, sources/releases/values30.ts), and on those parts by 3.1.19's own rules
 * (adcp31/schemas/products.ts): a product valid in 3.1 but not in 3.0 (an inline product card,
 * formats by `format_options` only, a metric or event type 3.1 added) reaches a 3.1 buyer; a 3.0
 * value 3.1 renamed reaches it in 3.1's name (sources/releases/values31.ts: `video_completions`).
 *
 * Costs about 13 µs a product (demo catalogue, 2 cores; a 3.1 caller's about 5 µs more: the 3.0
 * reading and the changed parts' check; the enum values' reading added nothing measurable, best
 * CPU time of 16 rounds over 100 demo products 14.8 µs against 14.3 before), in every mode: the SDK validates
 * responses only outside production, and a buyer's own client refuses a whole answer over one
 * bad product, so this is the storefront's own guarantee.
 */
export function checkProducts(
  answered: readonly unknown[],
  fields?: readonly string[],
  release: Release = '3.0',
): CheckedProducts {
  return assembled(answered, verdictsOf(answered, fields, release));
}

/** One product's verdict: shown (as the caller's release shows it) or refused. */
type Verdict = { product: Product } | { refused: RefusedProduct };

/** The valid products and the refusals of `answered`'s verdicts (its own array when all pass as given). */
function assembled(answered: readonly unknown[], verdicts: readonly Verdict[]): CheckedProducts {
  const valid: Product[] = [];
  const refused: RefusedProduct[] = [];
  let same = true;
  verdicts.forEach((verdict, i) => {
    if ('refused' in verdict) {
      refused.push(verdict.refused);
      same = false;
      return;
    }
    valid.push(verdict.product);
    if (verdict.product !== answered[i]) same = false;
  });
  return { valid: same ? (answered as Product[]) : valid, refused };
}

/** Each product's verdict (checkProducts); `indices` their places in the answer, when a part of it. */
function verdictsOf(
  answered: readonly unknown[],
  fields: readonly string[] | undefined,
  release: Release,
  indices?: readonly number[],
): Verdict[] {
  // A 3.1 caller is shown 3.1's names of the 3.0 values 3.1 renamed (values31.ts), and judged on them.
  const v31 = isAtLeast(release, '3.1');
  const products = v31
    ? listFor31(answered, (product) => (isRecord(product) ? productFor31(product) : product))
    : answered;
  const judged = v31 ? products.map(keptOf31) : products;
  const outcome = sdkSchemaValidator().validateResponse('get_products', { products: judged });
  const firstIssue = new Map<number, Refusal>();
  for (const issue of outcome.valid ? [] : outcome.issues) {
    const match = productPointer.exec(issue.pointer);
    if (!match) continue;
    const field = match[2] ?? '/';
    if (fields && projectedAway(issue, field, fields)) continue;
    const index = Number(match[1]);
    if (!firstIssue.has(index)) {
      firstIssue.set(index, { field, message: issue.message, reason: reasonOf(issue.keyword) });
    }
  }
  if (v31) {
    products.forEach((product, index) => {
      const found = !firstIssue.has(index) && changedRefusal31(product, fields);
      if (found) firstIssue.set(index, found);
    });
  }
  return products.map((product, index): Verdict => {
    const found = firstIssue.get(index);
    if (!found) return { product: product as Product };
    return {
      refused: {
        productId: productIdOf(product, indices?.[index] ?? index),
        field: found.field.slice(0, maxText),
        message: found.message.slice(0, maxText),
        reason: found.reason,
      },
    };
  });
}

/** The product fields 3.1.19 judges by rules of its own (adcp31Schemas.productChanged31). */
const changed31 = ['product_card', 'product_card_detailed', 'delivery_measurement'] as const;

/**
 * What 3.0.6's schema judges of a 3.1 product: its 3.0 reading (3.1's enum values left out or
 * stood in) without the parts 3.1 changed.
 */
function keptOf31(product: unknown): unknown {
  if (!isRecord(product)) return product;
  const reading = productJudged30(product);
  if (!changed31.some((field) => field in reading)) return reading;
  const kept = { ...reading };
  for (const field of changed31) delete kept[field];
  return kept;
}

/**
 * The first of a 3.1 product's parts that 3.1.19 refuses where its rules differ from 3.0.6's:
 * formats declared by `format_ids`, `format_options` or both (unless the buyer's projection asked
 * for neither), and each changed field's own schema. Undefined when they pass.
 */
function changedRefusal31(product: unknown, fields?: readonly string[]): Refusal | undefined {
  if (!isRecord(product)) return undefined; // refused as a whole by the 3.0.6 pass
  const formats = ['format_ids', 'format_options'];
  const asked = !fields || formats.some((field) => fields.includes(field));
  if (asked && !formats.some((field) => field in product)) {
    return {
      field: '/format_ids',
      message: "must have required property 'format_ids' or 'format_options'",
      reason: 'missing_field',
    };
  }
  const parsed = adcp31Schemas.productChanged31.safeParse(product);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  if (!issue) return undefined;
  const field = `/${issue.path.join('/')}`;
  return { field, message: issue.message, reason: zodReasonOf(issue.code, product, issue.path) };
}

/** A zod issue's reason, as reasonOf names a JSON-schema keyword's. */
function zodReasonOf(code: string, product: unknown, path: readonly PropertyKey[]): DropReason {
  switch (code) {
    case 'invalid_type':
      return valueAt(product, path) === undefined ? 'missing_field' : 'wrong_type';
    case 'invalid_value':
      return 'unknown_value';
    case 'too_big':
    case 'too_small':
    case 'not_multiple_of':
      return 'out_of_range';
    case 'invalid_format':
      return 'bad_format';
    default:
      return 'schema_mismatch';
  }
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** A required top-level field the buyer's `fields` projection did not ask for. */
function projectedAway(issue: SchemaIssue, field: string, fields: readonly string[]): boolean {
  if (issue.keyword !== 'required') return false;
  const name = field.slice(1);
  return !name.includes('/') && !fields.includes(name);
}

function productIdOf(product: unknown, index: number): string {
  const id = (product as { product_id?: unknown } | null)?.product_id;
  if (typeof id === 'string' && id !== '' && !findUnstorableInput(id)) {
    return id.slice(0, maxProductId);
  }
  return `#${index + 1} (no usable product_id)`;
}

function reasonOf(keyword: string): DropReason {
  switch (keyword) {
    case 'required':
      return 'missing_field';
    case 'type':
      return 'wrong_type';
    case 'enum':
    case 'const':
      return 'unknown_value';
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'minProperties':
    case 'maxProperties':
    case 'uniqueItems':
      return 'out_of_range';
    case 'format':
    case 'pattern':
      return 'bad_format';
    default:
      return 'schema_mismatch';
  }
}
