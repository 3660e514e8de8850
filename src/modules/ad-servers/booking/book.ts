import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AdServerError, type CreativePlan, type LinePlan } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { keyValueIds, resolveProduct } from '../products.js';
import { adServerOrders } from '../tables.js';

/*
 * A buy placed in the ad server (after the storefront's approval gate: the storefront forwards a
 * buy to its sources only once its operator approved it, docs/ad-servers.md). The order row is
 * recorded before the first write, keyed by the buyer's idempotency key, so a retry answers the
 * same order and a crash mid-creation resumes it: the order is looked up by its name before a
 * second is created. All line items are created in one call (all or none); if that fails the
 * order is archived, so no empty order is left trafficked; if even the archive fails the order
 * is kept as cleanup_pending, which the operator sees in status.
 */

export type OrderRow = typeof adServerOrders.$inferSelect;

export class BookingRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface BookingPackage {
  packageId: string;
  productId: string;
  budget: number;
  creatives: Array<Record<string, unknown>>;
}

export interface BookingRequest {
  idempotencyKey: string;
  buyerCustomerId: number;
  brandName: string;
  poNumber?: string | undefined;
  start: Date;
  end: Date;
  packages: BookingPackage[];
  frequencyCap?: LinePlan['frequencyCap'];
}

export async function placeOrder(
  ctx: AdServerContext,
  connection: ConnectionRow,
  request: BookingRequest,
): Promise<OrderRow> {
  const id = connection.inventorySourceId;
  const [existing] = await ctx.db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, id),
        eq(adServerOrders.buyerCustomerId, request.buyerCustomerId),
        eq(adServerOrders.idempotencyKey, request.idempotencyKey),
      ),
    );
  if (existing && existing.status !== 'creating') return existing;

  // Plan every line before writing anything: an unknown product or targeting refuses the buy.
  const lines: LinePlan[] = [];
  const recorded: OrderRow['lines'] = [];
  let currency = 'USD';
  for (const pkg of request.packages) {
    const product = await resolveProduct(ctx, connection, pkg.productId);
    if (!product)
      throw new BookingRefused(
        'PRODUCT_NOT_FOUND',
        `No product ${pkg.productId}`,
        'packages.product_id',
      );
    if (product.rule.minSpend && pkg.budget < product.rule.minSpend) {
      throw new BookingRefused(
        'BUDGET_TOO_LOW',
        `Package ${pkg.packageId} is below the minimum spend of ${product.rule.minSpend}`,
        'packages.budget',
      );
    }
    const kv = await keyValueIds(ctx, id, product.rule.keyValues);
    if (kv.missing.length) {
      throw new BookingRefused(
        'PRODUCT_UNAVAILABLE',
        `Targeting not found in the ad server: ${kv.missing.join(', ')}`,
        'packages.product_id',
      );
    }
    currency = product.currency;
    lines.push({
      packageId: pkg.packageId,
      name: `${product.rule.name} · ${pkg.packageId}`,
      start: request.start,
      end: request.end,
      cpm: product.rule.cpm,
      impressions: Math.max(1, Math.floor((pkg.budget / product.rule.cpm) * 1000)),
      adUnitIds: product.rule.adUnitIds,
      placementIds: product.rule.placementIds,
      keyValues: kv.keyValues,
      sizes: product.sizes.length ? product.sizes : [{ width: 300, height: 250 }],
      ...(request.frequencyCap && { frequencyCap: request.frequencyCap }),
    });
    recorded.push({
      packageId: pkg.packageId,
      productId: pkg.productId,
      budget: pkg.budget,
      cpm: product.rule.cpm,
    });
  }

  const row =
    existing ??
    (
      await ctx.db
        .insert(adServerOrders)
        .values({
          id: `gam_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
          inventorySourceId: id,
          buyerCustomerId: request.buyerCustomerId,
          idempotencyKey: request.idempotencyKey,
          status: 'creating',
          request: { brandName: request.brandName, poNumber: request.poNumber ?? null },
          lines: recorded,
          currency,
          startTime: request.start,
          endTime: request.end,
        })
        .onConflictDoNothing()
        .returning()
    )[0];
  if (!row) {
    // Another request with this key won the race: answer its order once it settles.
    const [other] = await ctx.db
      .select()
      .from(adServerOrders)
      .where(
        and(
          eq(adServerOrders.inventorySourceId, id),
          eq(adServerOrders.buyerCustomerId, request.buyerCustomerId),
          eq(adServerOrders.idempotencyKey, request.idempotencyKey),
        ),
      );
    return other!;
  }
  const save = async (fields: Partial<typeof adServerOrders.$inferInsert>) => {
    const [saved] = await ctx.db
      .update(adServerOrders)
      .set({ ...fields, updatedAt: ctx.now() })
      .where(eq(adServerOrders.id, row.id))
      .returning();
    return saved!;
  };

  const adapter = ctx.adapterFor(connection);
  const orderName = `Interchange ${row.id}`;
  const advertiserId =
    typeof connection.config['defaultAdvertiserId'] === 'string'
      ? connection.config['defaultAdvertiserId']
      : await adapter.ensureAdvertiser(request.brandName);
  let orderId = row.externalOrderId ?? (await adapter.findOrder(orderName));
  if (!orderId)
    orderId = await adapter.createOrder({
      name: orderName,
      advertiserId,
      ...(request.poNumber && { poNumber: request.poNumber }),
    });
  await save({ externalOrderId: orderId });

  let lineItemIds: string[];
  try {
    lineItemIds = await adapter.createLineItems(orderId, lines, currency);
  } catch (error) {
    const reason =
      error instanceof AdServerError ? error.message : 'The ad server refused the line items';
    try {
      await adapter.archiveOrder(orderId);
      await save({ status: 'failed', error: { code: 'LINE_ITEM_REFUSED', message: reason } });
    } catch {
      await save({
        status: 'cleanup_pending',
        error: { code: 'LINE_ITEM_REFUSED', message: reason },
      });
    }
    throw new BookingRefused(
      'INVALID_REQUEST',
      `The ad server refused a line item: ${reason.replace(/^Ad Manager refused the call: /, '')}`,
    );
  }

  const withIds = recorded.map((line, i) => ({ ...line, lineItemId: lineItemIds[i]! }));
  await save({ lines: withIds });
  // Creatives that travel on the packages: uploaded, then associated with their line item.
  for (const [i, pkg] of request.packages.entries()) {
    const creativeIds: string[] = [];
    for (const creative of pkg.creatives) {
      const plan = creativePlanOf(creative, lines[i]!.sizes[0]!);
      if (!plan) continue;
      creativeIds.push(await adapter.createCreative(advertiserId, plan));
    }
    await adapter.associate(
      creativeIds.map((creativeId) => ({ lineItemId: lineItemIds[i]!, creativeId })),
    );
    withIds[i] = { ...withIds[i]!, creativeIds };
  }
  await adapter.approveOrder(orderId);
  return save({ lines: withIds, status: 'active' });
}

/** An AdCP creative manifest (inline on a package) as an ad-server creative; null when it has no asset we can traffic. */
export function creativePlanOf(
  creative: Record<string, unknown>,
  size: { width: number; height: number },
): CreativePlan | null {
  const assets = (creative['assets'] ?? {}) as Record<string, Record<string, unknown>>;
  const image = Object.values(assets).find(
    (a) =>
      typeof a['url'] === 'string' &&
      (a['asset_type'] === 'image' || /\.(png|jpe?g|gif|webp)$/i.test(String(a['url']))),
  );
  const html = Object.values(assets).find((a) => typeof a['content'] === 'string');
  const click = Object.values(assets).find(
    (a) => a['url_type'] === 'clickthrough' || a['asset_type'] === 'url',
  );
  const clickUrl = String(click?.['url'] ?? creative['click_url'] ?? 'https://example.com');
  const name = String(creative['name'] ?? creative['creative_id'] ?? 'Creative');
  const width = Number(image?.['width'] ?? size.width);
  const height = Number(image?.['height'] ?? size.height);
  if (image) return { name, width, height, clickUrl, imageUrl: String(image['url']) };
  if (html) return { name, width, height, clickUrl, snippet: String(html['content']) };
  return null;
}
