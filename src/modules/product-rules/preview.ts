import type { Db } from '../../platform/db/database.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import {
  type ApplicableProductRule,
  applyProductRules,
  type Product,
  type RuleEffect,
} from './apply.js';
import type {
  PreviewEffect,
  PreviewOutcome,
  PreviewProduct,
  PreviewRuleRef,
  ProductRulePreview,
  ProductRulePreviewInput,
} from './preview-schemas.js';
import type { ProductRuleInput } from './schemas.js';
import { listRules } from './store.js';
import { productRuleView } from './views.js';

/** One source's part of a preview: whether it answered, and how many products. */
export interface PreviewSourceOutcome {
  sourceId: string;
  name: string;
  ok: boolean;
  productCount: number;
  error?: { code: string; message: string };
}

/**
 * What the preview needs of the Merchandising Agent (agents/merchandising/products/preview.ts,
 * wired in services.ts): the storefront's products as its sources answer them now, composed
 * exactly as get_products composes them before the rules, for no buyer, recording nothing.
 */
export interface PreviewProductsDoor {
  sourceProducts(
    storefront: StorefrontRow,
  ): Promise<{ products: Product[]; sources: PreviewSourceOutcome[] }>;
}

export interface ProductRulePreviewDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  products: PreviewProductsDoor;
  now?: () => Date;
}

export type ProductRulePreviewService = ReturnType<typeof createProductRulePreview>;

type Entry = { rule: ApplicableProductRule; ref: PreviewRuleRef };

/**
 * The seller's preview of its product rules: the storefront's products as buyers would see them
 * under the saved rules and, with changes about to be saved, under those. The rules are applied
 * by applyProductRules itself (the one copy of what a rule does), traced to say which rule did
 * what. Nothing is saved, and no discovery run, buyer ask or analytics event is recorded.
 */
export function createProductRulePreview(deps: ProductRulePreviewDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async preview(
      principal: CustomerPrincipal,
      input: ProductRulePreviewInput,
    ): Promise<ProductRulePreview> {
      const storefront = await deps.storefronts.requireOwn(principal);
      if (input.storefrontId !== undefined && input.storefrontId !== storefront.id) {
        throw new AppError('not_found', 'Storefront not found', { field: 'storefrontId' });
      }
      const saved = (await listRules(deps.db, storefront.id)).map(productRuleView);
      const current: Entry[] = saved.map((rule) => ({ rule, ref: refOf(rule, rule.id, false) }));
      const draft = draftOf(current, input);
      const { products, sources } = await deps.products.sourceProducts(storefront);
      const rulesApply = storefront.storefrontType === 'composition';
      return {
        storefrontId: String(storefront.id),
        rulesApply,
        fetchedAt: isoDate(now()),
        sources,
        current: outcomeOf(products, current, rulesApply),
        draft: draft && outcomeOf(products, draft, rulesApply),
      };
    },
  };
}

const refOf = (
  rule: Pick<ProductRuleInput, 'name' | 'kind'>,
  ruleId: string | null,
  draft: boolean,
  ref = ruleId ?? '',
): PreviewRuleRef => ({ ruleId, ref, name: rule.name, kind: rule.kind, draft });

/**
 * The rules as they would be once the changes are saved: removed ones left out, replaced ones
 * in their place (same id, so the same order among equal priorities), added ones after the
 * saved ones (a new rule gets a greater id). Ids must be the storefront's own (404 otherwise),
 * and package product ids stay unique, as saving would insist (409).
 */
function draftOf(current: Entry[], input: ProductRulePreviewInput): Entry[] | null {
  const { add = [], replace = [], remove = [] } = input;
  if (add.length + replace.length + remove.length === 0) return null;
  const known = new Set(current.map((entry) => entry.ref.ruleId));
  const missing = (field: string) => new AppError('not_found', 'Product rule not found', { field });
  const replaced = new Map<string, { rule: ProductRuleInput; field: string }>();
  replace.forEach(({ ruleId, rule }, i) => {
    const id = String(ruleId);
    if (!known.has(id)) throw missing(`replace.${i}.ruleId`);
    if (replaced.has(id)) throw invalid('replaces the same rule twice', `replace.${i}.ruleId`);
    replaced.set(id, { rule, field: `replace.${i}.rule` });
  });
  const removed = new Set<string>();
  remove.forEach((ruleId, i) => {
    const id = String(ruleId);
    if (!known.has(id)) throw missing(`remove.${i}`);
    if (replaced.has(id)) throw invalid('is both replaced and removed', `remove.${i}`);
    removed.add(id);
  });
  const fields = new Map<ApplicableProductRule, string>();
  const entries: Entry[] = [];
  for (const entry of current) {
    const id = entry.ref.ruleId!;
    if (removed.has(id)) continue;
    const change = replaced.get(id);
    if (!change) {
      entries.push(entry);
      continue;
    }
    fields.set(change.rule, change.field);
    entries.push({ rule: change.rule, ref: refOf(change.rule, id, true) });
  }
  add.forEach((rule, i) => {
    fields.set(rule, `add.${i}`);
    entries.push({ rule, ref: refOf(rule, null, true, `add.${i}`) });
  });
  const packageIds = new Set<string>();
  for (const { rule } of entries) {
    if (rule.kind !== 'package') continue;
    const id = rule.action.productId;
    if (packageIds.has(id)) {
      throw conflict(
        `Another package rule of this storefront already shows its products as "${id}"; choose another action.productId`,
        `${fields.get(rule) ?? 'add'}.action.productId`,
      );
    }
    packageIds.add(id);
  }
  return entries;
}

/** The products buyers are shown under `entries`, and those the rules hide, each with its effects. */
function outcomeOf(products: Product[], entries: Entry[], rulesApply: boolean): PreviewOutcome {
  const refs = new Map(entries.map((entry) => [entry.rule, entry.ref]));
  const effects = new Map<string, PreviewEffect[]>();
  const trace = (productId: string, effect: RuleEffect) => {
    const list = effects.get(productId) ?? [];
    list.push(effectView(effect, 'rule' in effect ? (refs.get(effect.rule) ?? null) : null));
    effects.set(productId, list);
  };
  const rules = entries.map((entry) => entry.rule);
  const shown = rulesApply ? applyProductRules(products, rules, trace) : products;
  const original = new Map(products.map((p) => [p.product_id, p]));
  const shownIds = new Set(shown.map((p) => p.product_id));
  const active = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => rulesApply && entry.rule.active !== false)
    .sort(
      (a, b) => (a.entry.rule.priority ?? 0) - (b.entry.rule.priority ?? 0) || a.index - b.index,
    )
    .map(({ entry }) => entry.ref);
  return {
    rules: active,
    products: shown.map((p) => {
      const components = componentsOf(p);
      const source = original.get(components?.[0] ?? p.product_id);
      const packageRule = components && entries.find((e) => packageIdOf(e.rule) === p.product_id);
      const own: PreviewEffect[] = packageRule
        ? [
            {
              change: 'packaged',
              rule: packageRule.ref,
              packageId: p.product_id,
              message: `A package of ${components.length} product${components.length === 1 ? '' : 's'}, made by "${packageRule.ref.name}"`,
            },
          ]
        : [];
      return productView(p, source, [...own, ...(effects.get(p.product_id) ?? [])], {
        components,
        full: true,
      });
    }),
    hidden: products
      .filter((p) => !shownIds.has(p.product_id))
      .map((p) => productView(p, p, effects.get(p.product_id) ?? [], { full: false })),
  };
}

const packageIdOf = (rule: ApplicableProductRule) =>
  rule.kind === 'package' ? rule.action.productId : undefined;

function interchangeOf(product: Product): Record<string, unknown> {
  const ext = (product.ext as Record<string, unknown> | undefined)?.['interchange'];
  return ext && typeof ext === 'object' ? (ext as Record<string, unknown>) : {};
}

function componentsOf(product: Product): string[] | undefined {
  const packaged = interchangeOf(product)['packaged'];
  return Array.isArray(packaged)
    ? packaged.map((c) => String((c as { product_id: unknown }).product_id))
    : undefined;
}

type PriceFields = { fixed_price?: number; floor_price?: number; pricing_model: string };

function productView(
  product: Product,
  source: Product | undefined,
  effects: PreviewEffect[],
  options: { components?: string[] | undefined; full: boolean },
): PreviewProduct {
  const sourceId = interchangeOf(product)['source_id'];
  const before = new Map(
    (source?.pricing_options ?? []).map((o) => [o.pricing_option_id, o as typeof o & PriceFields]),
  );
  return {
    productId: product.product_id,
    name: product.name,
    sourceId: typeof sourceId === 'string' ? sourceId : null,
    channels: [...(product.channels ?? [])],
    prices: product.pricing_options.map((option) => {
      const o = option as typeof option & PriceFields;
      const was = before.get(o.pricing_option_id);
      return {
        pricingOptionId: o.pricing_option_id,
        pricingModel: o.pricing_model,
        currency: o.currency,
        ...(typeof o.fixed_price === 'number' && { fixedPrice: o.fixed_price }),
        ...(typeof o.floor_price === 'number' && { floorPrice: o.floor_price }),
        ...(typeof was?.fixed_price === 'number' && { sourceFixedPrice: was.fixed_price }),
        ...(typeof was?.floor_price === 'number' && { sourceFloorPrice: was.floor_price }),
      };
    }),
    ...(options.components && { components: options.components }),
    effects,
    ...(options.full && { product: { ...product } }),
  };
}

function effectView(effect: RuleEffect, rule: PreviewRuleRef | null): PreviewEffect {
  const by = rule ? `"${rule.name}"` : 'a rule';
  switch (effect.change) {
    case 'included':
      return { change: effect.change, rule, message: `Shown: matches the include rule ${by}` };
    case 'not_included':
      return { change: effect.change, rule: null, message: 'Hidden: no include rule matches it' };
    case 'excluded':
      return { change: effect.change, rule, message: `Hidden by the exclude rule ${by}` };
    case 'renamed':
      return {
        change: effect.change,
        rule,
        field: effect.field,
        to: effect.to,
        message:
          effect.field === 'name'
            ? `Renamed to "${effect.to}" by ${by}`
            : `Description set by ${by}`,
      };
    case 'marked_up':
      return {
        change: effect.change,
        rule,
        markupPercent: effect.markupPercent,
        moved: effect.moved,
        message: effect.moved
          ? `Marked up ${effect.markupPercent}% by ${by}`
          : `Markup of ${effect.markupPercent}% from ${by}: no price changed`,
      };
    case 'floored':
      return {
        change: effect.change,
        rule,
        floorCpm: effect.floorCpm,
        moved: effect.moved,
        message: effect.moved
          ? `Raised to the floor CPM of ${effect.floorCpm} by ${by}`
          : `Floor CPM of ${effect.floorCpm} from ${by}: no price was below it`,
      };
    case 'packaged':
      return {
        change: effect.change,
        rule,
        packageId: effect.packageId,
        message: `Bundled into the package "${effect.packageId}" by ${by}`,
      };
  }
}
