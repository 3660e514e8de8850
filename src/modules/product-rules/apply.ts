import type { GetProductsResponse } from '@adcp/sdk/types';
import { cents, type PricedOption, withAdjustments } from '../../platform/pricing.js';
import type { ProductRule } from './schemas.js';

export type Product = GetProductsResponse['products'][number];
type PricingOption = Product['pricing_options'][number];
type PublisherProperty = Product['publisher_properties'][number];
type FormatId = Product['format_ids'][number];
type Match = ProductRule['match'];

/** What applyProductRules reads of a rule; a stored ProductRule fits as it is. */
export type ApplicableProductRule = ProductRule extends infer R
  ? R extends ProductRule
    ? Pick<R, 'kind' | 'match' | 'action'> & Partial<Pick<R, 'priority' | 'active'>>
    : never
  : never;

/**
 * What one rule did to one product, as applyProductRules reports it to a trace (the preview
 * shows them). `rule` is the very object passed in; `not_included` names no rule (no include
 * rule matched). Price effects say whether they moved any price.
 */
export type RuleEffect =
  | { change: 'included'; rule: ApplicableProductRule }
  | { change: 'not_included' }
  | { change: 'excluded'; rule: ApplicableProductRule }
  | { change: 'renamed'; rule: ApplicableProductRule; field: 'name' | 'description'; to: string }
  | { change: 'marked_up'; rule: ApplicableProductRule; markupPercent: number; moved: boolean }
  | { change: 'floored'; rule: ApplicableProductRule; floorCpm: number; moved: boolean }
  | { change: 'packaged'; rule: ApplicableProductRule; packageId: string };

/** Receives each effect with the product_id (as it came in) of the product it concerns. */
export type RuleTrace = (productId: string, effect: RuleEffect) => void;

/** One component of a package product, so a media buy on the package can be split later. */
export interface PackagedComponent {
  source_id: string | null;
  upstream_product_id: string | null;
  product_id: string;
  /** The component's own pricing options, in order: a buy of the package is split onto them. */
  pricing_option_ids: string[];
}

/**
 * Shapes the products a storefront shows with its rules. Pure: no I/O, inputs untouched.
 * `products` are source-namespaced storefront products (`ext.interchange.source_id` names the
 * source); `rules` are the storefront's active rules by priority (activeRulesFor). Inactive
 * rules are skipped and the list is stably re-sorted by priority when priorities are given.
 *
 * A rule matches a product when every criterion its `match` lists holds (an empty match
 * matches every product): `sourceIds` contains its source; `channels`, `formatIds`
 * (`format_ids[].id`) and `publisherDomains` (`publisher_properties[].publisher_domain`)
 * share at least one value with it; `productIds` contains its `product_id`. Then, in order:
 *
 * 1. include: when any include rule exists, only products matching at least one are kept;
 * 2. exclude: products matching any exclude rule are dropped;
 * 3. rename: `name` and `description` each come from the first matching rename rule (by
 *    priority) that sets that field;
 * 4. price: `markupPercent` and `floorCpm` each come from the first matching price rule that
 *    sets that field (so an earlier markup of 0 exempts products from a later, general one).
 *    The markup multiplies every pricing option's `fixed_price` and `floor_price` by
 *    (1 + markup/100), rounded to cents. The floor then raises a cpm option's `fixed_price`
 *    and `floor_price` below it up to it (an auction cpm option without a floor gets it as its
 *    floor); the floor is in each option's own currency. A changed `fixed_price` gets a
 *    `price_breakdown` that walks from the list price: the upstream breakdown extended, or a
 *    new one whose `list_price` is the upstream price, with one `fee` adjustment per step;
 * 5. package: each remaining product joins the first package rule (by priority) it matches.
 *    A rule's products are replaced, where the first of them stood, by one product:
 *    `product_id`, `name` and `description` from the action (a description listing the
 *    components when none is given), the union of `format_ids` (by agent_url + id),
 *    `publisher_properties` and `channels`, and the `delivery_type`, `pricing_options` (as
 *    priced by step 4) and `reporting_capabilities` of the first. Its
 *    `ext.interchange.packaged` lists the components. A rule matching nothing adds nothing.
 */
export function applyProductRules(
  products: Product[],
  rules: ApplicableProductRule[],
  /** Told what each rule did to each product (the preview); the answer is the same without. */
  trace?: RuleTrace,
): Product[] {
  const ordered = rules
    .filter((rule) => rule.active !== false)
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => (a.rule.priority ?? 0) - (b.rule.priority ?? 0) || a.index - b.index)
    .map(({ rule }) => rule);
  if (ordered.length === 0) return products;
  const of = <K extends ApplicableProductRule['kind']>(kind: K) =>
    ordered.filter(
      (rule): rule is Extract<ApplicableProductRule, { kind: K }> => rule.kind === kind,
    );
  const includes = of('include');
  const excludes = of('exclude');
  const renames = of('rename');
  const prices = of('price');
  const packages = of('package');

  const shown = products
    .filter((p) => {
      if (includes.length === 0) return true;
      const rule = includes.find((r) => matches(p, r.match));
      trace?.(p.product_id, rule ? { change: 'included', rule } : { change: 'not_included' });
      return rule !== undefined;
    })
    .filter((p) => {
      const rule = excludes.find((r) => matches(p, r.match));
      if (rule) trace?.(p.product_id, { change: 'excluded', rule });
      return rule === undefined;
    })
    .map((p) => renamed(p, renames, trace))
    .map((p) => priced(p, prices, trace));
  return packaged(shown, packages, trace);
}

function matches(product: Product, match: Match): boolean {
  if (match.sourceIds) {
    const source = sourceIdOf(product);
    if (source === null || !match.sourceIds.includes(source)) return false;
  }
  if (match.channels && !overlaps(product.channels ?? [], match.channels)) return false;
  if (match.formatIds) {
    const ids = (product.format_ids ?? []).map((f) => f.id);
    if (!overlaps(ids, match.formatIds)) return false;
  }
  if (match.publisherDomains) {
    const domains = (product.publisher_properties ?? []).map((p) =>
      String(p.publisher_domain).toLowerCase(),
    );
    if (!overlaps(domains, match.publisherDomains)) return false;
  }
  if (match.productIds && !match.productIds.includes(product.product_id)) return false;
  return true;
}

const overlaps = (have: readonly string[], wanted: readonly string[]) =>
  have.some((value) => wanted.includes(value));

function interchangeOf(product: Product): Record<string, unknown> {
  const ext = (product.ext as Record<string, unknown> | undefined)?.interchange;
  return ext && typeof ext === 'object' ? (ext as Record<string, unknown>) : {};
}

function sourceIdOf(product: Product): string | null {
  const id = interchangeOf(product).source_id;
  return typeof id === 'string' ? id : null;
}

/** The first rule by priority that matches the product and sets the field, if any. */
function firstSetting<R extends { match: Match; action: object }, F extends keyof R['action']>(
  rules: R[],
  product: Product,
  field: F,
): { value: NonNullable<R['action'][F]>; rule: R } | undefined {
  for (const rule of rules) {
    const value = (rule.action as R['action'])[field];
    if (value !== undefined && value !== null && matches(product, rule.match)) {
      return { value, rule };
    }
  }
  return undefined;
}

function renamed(
  product: Product,
  rules: Extract<ApplicableProductRule, { kind: 'rename' }>[],
  trace: RuleTrace | undefined,
): Product {
  if (rules.length === 0) return product;
  const nameSet = firstSetting(rules, product, 'name');
  const descriptionSet = firstSetting(rules, product, 'description');
  if (nameSet === undefined && descriptionSet === undefined) return product;
  const name = nameSet?.value;
  const description = descriptionSet?.value;
  if (trace && nameSet) {
    trace(product.product_id, {
      change: 'renamed',
      rule: nameSet.rule,
      field: 'name',
      to: nameSet.value,
    });
  }
  if (trace && descriptionSet) {
    trace(product.product_id, {
      change: 'renamed',
      rule: descriptionSet.rule,
      field: 'description',
      to: descriptionSet.value,
    });
  }
  return {
    ...product,
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
  };
}

type Priced = PricingOption & PricedOption;

function priced(
  product: Product,
  rules: Extract<ApplicableProductRule, { kind: 'price' }>[],
  trace: RuleTrace | undefined,
): Product {
  if (rules.length === 0) return product;
  const markupSet = firstSetting(rules, product, 'markupPercent');
  const floorSet = firstSetting(rules, product, 'floorCpm');
  if (markupSet === undefined && floorSet === undefined) return product;
  const moved = trace ? { markup: false, floor: false } : undefined;
  const options = product.pricing_options.map((option) =>
    repriced(option, markupSet?.value, floorSet?.value, moved),
  );
  if (trace && moved && markupSet) {
    trace(product.product_id, {
      change: 'marked_up',
      rule: markupSet.rule,
      markupPercent: markupSet.value,
      moved: moved.markup,
    });
  }
  if (trace && moved && floorSet) {
    trace(product.product_id, {
      change: 'floored',
      rule: floorSet.rule,
      floorCpm: floorSet.value,
      moved: moved.floor,
    });
  }
  return { ...product, pricing_options: options };
}

/**
 * One pricing option after markup then floor. Adjustments carry an `amount`, not a `rate`:
 * AdCP caps rate below 1 and a markup may reach 500%.
 */
function repriced(
  option: PricingOption,
  markupPercent: number | undefined,
  floorCpm: number | undefined,
  /** Set to true where markup or floor changed a price (for a trace). */
  moved?: { markup: boolean; floor: boolean },
): PricingOption {
  const next = { ...option } as Priced;
  const upstream = next.fixed_price;
  const steps: Record<string, unknown>[] = [];
  if (markupPercent !== undefined && markupPercent > 0) {
    const factor = 1 + markupPercent / 100;
    if (typeof next.fixed_price === 'number') {
      const raised = cents(next.fixed_price * factor);
      const amount = cents(raised - next.fixed_price);
      if (amount > 0) {
        steps.push(fee('storefront_markup', amount, `Storefront markup of ${markupPercent}%`));
      }
      if (moved && raised !== next.fixed_price) moved.markup = true;
      next.fixed_price = raised;
    }
    if (typeof next.floor_price === 'number') {
      const raised = cents(next.floor_price * factor);
      if (moved && raised !== next.floor_price) moved.markup = true;
      next.floor_price = raised;
    }
  }
  if (floorCpm !== undefined && next.pricing_model === 'cpm') {
    if (typeof next.fixed_price === 'number') {
      if (next.fixed_price < floorCpm) {
        const amount = cents(floorCpm - next.fixed_price);
        if (amount > 0) {
          steps.push(
            fee('storefront_floor', amount, `Raised to the storefront floor CPM of ${floorCpm}`),
          );
        }
        next.fixed_price = floorCpm;
        if (moved) moved.floor = true;
      }
    } else if (next.floor_price === undefined || next.floor_price < floorCpm) {
      next.floor_price = floorCpm;
      if (moved) moved.floor = true;
    }
  }
  return withAdjustments(next, upstream, steps);
}

const fee = (name: string, amount: number, description: string) => ({
  kind: 'fee',
  name,
  amount,
  description,
});

function packaged(
  products: Product[],
  rules: Extract<ApplicableProductRule, { kind: 'package' }>[],
  trace: RuleTrace | undefined,
): Product[] {
  if (rules.length === 0) return products;
  const groups = new Map<(typeof rules)[number], Product[]>();
  const ruleOf = new Map<Product, (typeof rules)[number]>();
  for (const product of products) {
    const rule = rules.find((r) => matches(product, r.match));
    if (!rule) continue;
    ruleOf.set(product, rule);
    groups.set(rule, [...(groups.get(rule) ?? []), product]);
    trace?.(product.product_id, { change: 'packaged', rule, packageId: rule.action.productId });
  }
  const out: Product[] = [];
  for (const product of products) {
    const rule = ruleOf.get(product);
    if (!rule) out.push(product);
    else if (groups.get(rule)?.[0] === product)
      out.push(packageProduct(rule.action, groups.get(rule) ?? []));
  }
  return out;
}

function packageProduct(
  action: Extract<ApplicableProductRule, { kind: 'package' }>['action'],
  members: Product[],
): Product {
  const [first] = members as [Product, ...Product[]];
  const channels = unique(
    members.flatMap((m) => m.channels ?? []),
    (c) => c,
  );
  const storefront = interchangeOf(first).storefront;
  const components: PackagedComponent[] = members.map((m) => {
    const upstreamId = interchangeOf(m).upstream_product_id;
    return {
      source_id: sourceIdOf(m),
      upstream_product_id: typeof upstreamId === 'string' ? upstreamId : null,
      product_id: m.product_id,
      pricing_option_ids: m.pricing_options.map((option) => option.pricing_option_id),
    };
  });
  return {
    product_id: action.productId,
    name: action.name,
    description:
      action.description ??
      `A package of ${members.length} product${members.length === 1 ? '' : 's'}: ${members.map((m) => m.name).join('; ')}`,
    publisher_properties: publisherPropertiesOf(members),
    format_ids: unique(
      members.flatMap((m) => m.format_ids ?? []),
      (f: FormatId) => `${f.agent_url}\n${f.id}`,
    ),
    ...(channels.length > 0 && { channels }),
    delivery_type: first.delivery_type,
    pricing_options: first.pricing_options,
    reporting_capabilities: first.reporting_capabilities,
    ext: {
      interchange: {
        ...(typeof storefront === 'string' && { storefront }),
        packaged: components,
      },
    },
  };
}

/** The union of the members' selectors; a publisher selected with `all` needs no other. */
function publisherPropertiesOf(members: Product[]): PublisherProperty[] {
  const all = members.flatMap((m) => m.publisher_properties ?? []);
  const whole = new Set(
    all.filter((p) => p.selection_type === 'all').map((p) => p.publisher_domain),
  );
  return unique(
    all.filter((p) => p.selection_type === 'all' || !whole.has(p.publisher_domain)),
    (p) => {
      const values =
        p.selection_type === 'by_id'
          ? p.property_ids
          : p.selection_type === 'by_tag'
            ? p.property_tags
            : [];
      return JSON.stringify([p.publisher_domain, p.selection_type, [...values].sort()]);
    },
  );
}

function unique<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
