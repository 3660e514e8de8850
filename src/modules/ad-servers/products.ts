import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';
import type { AdServerContext, ConnectionRow } from './context.js';
import {
  mediaOf,
  type ProductMedia,
  type StatedMedia,
  statedMediaOf,
  videoFormatsOf,
} from './media.js';
import { activePlacements } from './placement-catalogue.js';
import type { ProductRule } from './schemas.js';
import {
  activePlacement,
  activePlacementCount,
  objectsById,
  targetingKeyId,
  targetingValues,
} from './sync/inventory-store.js';

type Product = GetProductsResponse['products'][number];

/*
 * Products over synced inventory: the publisher's own product rules (placements and ad units,
 * key-value targeting by name, a CPM, a minimum spend) when it gave some, else one product per
 * active placement at the rate card's CPM. A display product's formats are the sizes of the
 * inventory it targets; a video product's are AdCP's video formats per spot length (media.ts).
 * Nothing is read from the ad server at discovery: only the synced copy.
 */

export const formatsAgentUrl = 'https://creative.adcontextprotocol.org';
const defaultCpm = 10;

export interface ResolvedProduct {
  rule: ProductRule;
  currency: string;
  sizes: Array<{ width: number; height: number }>;
  media: ProductMedia;
}

/** The publisher's own product rules over the synced inventory, if it wrote any. */
export const rulesOf = (connection: ConnectionRow): ProductRule[] | undefined =>
  Array.isArray(connection.config['products']) &&
  (connection.config['products'] as unknown[]).length
    ? (connection.config['products'] as ProductRule[])
    : undefined;

const rateCardOf = (connection: ConnectionRow) =>
  (connection.config['rateCard'] as
    { defaultCpm: number; currency: string; minSpend?: number } | undefined) ?? {
    defaultCpm,
    currency: 'USD',
  };

/** The product rules of a connection, else one per synced active placement (id order). */
async function rules(ctx: AdServerContext, connection: ConnectionRow): Promise<ProductRule[]> {
  const own = rulesOf(connection);
  if (own) return own;
  const card = rateCardOf(connection);
  // Every active placement is a product, held read between calls (placement-catalogue.ts).
  const placements = await activePlacements(ctx.db, connection.inventorySourceId);
  return placements.map((p) => ({
    productId: `placement_${p.id}`,
    name: p.name,
    description: p.description ?? undefined,
    placementIds: [p.id],
    adUnitIds: [],
    keyValues: {},
    cpm: card.defaultCpm,
    currency: card.currency,
    minSpend: card.minSpend,
  }));
}

type Size = { width: number; height: number };

/** What a rule's inventory is: its ad units' sizes and what the ad server said of its media. */
interface RuleInventory {
  sizes: Size[];
  stated: StatedMedia[];
}

/**
 * The sizes of each rule's ad units (at most 200 per rule) and the media its placements state,
 * for every rule of an answer in two reads: the rules' placements, then all their ad units.
 */
async function inventoryByRule(
  ctx: AdServerContext,
  inventorySourceId: number,
  rules: ProductRule[],
): Promise<RuleInventory[]> {
  // In chunks: a statement takes at most 65,535 parameters, and a network 100,000 ad units.
  const inventory = async (kind: 'placement' | 'ad_unit', ids: string[]) => {
    const found: Awaited<ReturnType<typeof objectsById>> = [];
    for (let i = 0; i < ids.length; i += 5_000)
      found.push(...(await objectsById(ctx.db, inventorySourceId, kind, ids.slice(i, i + 5_000))));
    return found;
  };
  const placements = await inventory('placement', [
    ...new Set(rules.flatMap((r) => r.placementIds)),
  ]);
  const unitsOfPlacement = new Map(
    placements.map((p) => [p.id, (p.data['adUnitIds'] as string[] | undefined) ?? []]),
  );
  const mediaOfPlacement = new Map(placements.map((p) => [p.id, statedMediaOf(p.data)]));
  const unitIds = rules.map((rule) =>
    [
      ...new Set([
        ...rule.adUnitIds,
        ...rule.placementIds.flatMap((id) => unitsOfPlacement.get(id) ?? []),
      ]),
    ].slice(0, 200),
  );
  const units = await inventory('ad_unit', [...new Set(unitIds.flat())]);
  const sizesOfUnit = new Map(
    units.map((u) => [u.id, (u.data['sizes'] as Size[] | undefined) ?? []]),
  );
  return unitIds.map((ids, i) => {
    const sizes = new Map<string, Size>();
    for (const id of ids) {
      for (const s of sizesOfUnit.get(id) ?? []) sizes.set(`${s.width}x${s.height}`, s);
    }
    const stated = rules[i]!.placementIds.flatMap((id) => {
      const media = mediaOfPlacement.get(id);
      return media ? [media] : [];
    });
    return { sizes: [...sizes.values()], stated };
  });
}

function productOf(
  rule: ProductRule,
  currency: string,
  { sizes, media }: Pick<ResolvedProduct, 'sizes' | 'media'>,
  publisherDomain: string,
): Product {
  const targeting = Object.entries(rule.keyValues)
    .map(([k, v]) => `${k}=${v.join('|')}`)
    .join(', ');
  return buildProduct({
    id: rule.productId,
    name: rule.name,
    description: `${rule.description ?? rule.name}${targeting ? ` (targeting ${targeting})` : ''}`,
    formats:
      media.mediaType === 'video'
        ? videoFormatsOf(media.durations)
        : (sizes.length ? sizes : [{ width: 300, height: 250 }]).map((s) => ({
            id: `display_${s.width}x${s.height}`,
          })),
    agentUrl: formatsAgentUrl,
    delivery_type: 'guaranteed',
    channels: media.channels,
    publisher_domain: publisherDomain,
    pricing: [
      buildPricingOption({
        id: `${rule.productId}_cpm`,
        model: 'cpm',
        fixed: rule.cpm,
        currency,
        ...(rule.minSpend !== undefined && { min_spend_per_package: rule.minSpend }),
      }),
    ],
  } as Parameters<typeof buildProduct>[0]);
}

/**
 * Every product of a connection, built from the synced copy, in its own order (the rules' order,
 * else placement id order): nothing is ranked or cut here, the storefront ranks every source's
 * products with the one brief matcher and pages them (issue 71, item 1). Held between calls by
 * product-set.ts.
 */
export async function buildProducts(
  ctx: AdServerContext,
  connection: ConnectionRow,
  domain: string,
): Promise<Product[]> {
  const chosen = await rules(ctx, connection);
  const card = rateCardOf(connection);
  const inventory = await inventoryByRule(ctx, connection.inventorySourceId, chosen);
  const products = chosen.map((rule, i) =>
    productOf(
      rule,
      rule.currency ?? card.currency,
      {
        sizes: inventory[i]!.sizes,
        media: mediaOf(connection.type, rule, inventory[i]!.stated),
      },
      domain,
    ),
  );
  return products;
}

/** The domain the inventory is on: the connection's, else the storefront's publisher domain. */
export async function publisherDomainOf(
  ctx: AdServerContext,
  connection: ConnectionRow,
): Promise<string> {
  const own = connection.config['publisherDomain'];
  if (typeof own === 'string' && own) return own;
  const storefront = await ctx.deps.storefronts.findById(connection.storefrontId);
  return storefront?.publisherDomain ?? storefront?.operatorDomain ?? 'unknown.invalid';
}

/** A product rule as buyers see it (a sandbox buyer's seeded product: sandbox/fixtures.ts). */
export async function productOfRule(
  ctx: AdServerContext,
  connection: ConnectionRow,
  rule: ProductRule,
): Promise<Product> {
  const [inventory] = await inventoryByRule(ctx, connection.inventorySourceId, [rule]);
  const media = mediaOf(connection.type, rule, inventory!.stated);
  const currency = rule.currency ?? rateCardOf(connection).currency;
  const domain = await publisherDomainOf(ctx, connection);
  return productOf(rule, currency, { sizes: inventory!.sizes, media }, domain);
}

/**
 * One product by id, resolved for booking: its rule, currency, sizes and media. `seeded`: the
 * sandbox buyer's own products at this source (a sandbox buy's only; sandbox/fixtures.ts).
 */
export async function resolveProduct(
  ctx: AdServerContext,
  connection: ConnectionRow,
  productId: string,
  seeded: ProductRule[] = [],
): Promise<ResolvedProduct | undefined> {
  const card = rateCardOf(connection);
  let rule =
    seeded.find((r) => r.productId === productId) ??
    rulesOf(connection)?.find((r) => r.productId === productId);
  if (!rule && !rulesOf(connection)) {
    const placementId = /^placement_(\d+)$/.exec(productId)?.[1];
    if (placementId) {
      const placement = await activePlacement(ctx.db, connection.inventorySourceId, placementId);
      if (placement) {
        rule = {
          productId,
          name: placement.name,
          placementIds: [placementId],
          adUnitIds: [],
          keyValues: {},
          cpm: card.defaultCpm,
          currency: card.currency,
          minSpend: card.minSpend,
        };
      }
    }
  }
  if (!rule) return undefined;
  const [inventory] = await inventoryByRule(ctx, connection.inventorySourceId, [rule]);
  return {
    rule,
    currency: rule.currency ?? card.currency,
    sizes: inventory!.sizes,
    media: mediaOf(connection.type, rule, inventory!.stated),
  };
}

/** Key-value targeting by name as the ad server's ids; a name not synced is reported. */
export async function keyValueIds(
  ctx: AdServerContext,
  inventorySourceId: number,
  keyValues: Record<string, string[]>,
) {
  const out: Array<{ keyId: string; valueIds: string[] }> = [];
  const missing: string[] = [];
  for (const [keyName, valueNames] of Object.entries(keyValues)) {
    const keyId = await targetingKeyId(ctx.db, inventorySourceId, keyName);
    if (!keyId) {
      missing.push(keyName);
      continue;
    }
    const values = await targetingValues(ctx.db, inventorySourceId, keyId, valueNames);
    for (const name of valueNames)
      if (!values.some((v) => v.name === name)) missing.push(`${keyName}=${name}`);
    out.push({ keyId, valueIds: values.map((v) => v.id) });
  }
  return { keyValues: out, missing };
}

/** How many products a source offers now (status and readiness). */
export async function productCount(
  ctx: AdServerContext,
  inventorySourceId: number,
): Promise<number> {
  const connection = await ctx.connectionOf(inventorySourceId);
  if (!connection || connection.provisioningStatus !== 'active') return 0;
  const own = rulesOf(connection);
  if (own) return own.length;
  return activePlacementCount(ctx.db, inventorySourceId);
}
