import { randomUUID } from 'node:crypto';
import type {
  CreateMediaBuyResponse,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysResponse,
  ListCreativeFormatsResponse,
  UpdateMediaBuyResponse,
} from '@adcp/sdk/types';
import {
  healthOf,
  type InventorySource,
  type SourceAnswer,
  type SourceCall,
  type SourceError,
  type SourceKind,
  type StoredSourceRow,
} from '../inventory-sources/index.js';
import { packageOf } from './buy-request.js';
import type { Connections } from './connections.js';
import type { AdapterDeps } from './context.js';
import type { AdapterContext, ProviderAdapter, ProviderBuyStatus } from './contract.js';
import { ProviderError } from './errors.js';
import { formatsAgentUrl } from './meta/adapter.js';
import * as store from './store.js';
import type { BuyRow } from './store.js';

/**
 * PROVIDER_ADAPTER as an inventory source of the storefront's Merchandising Agent (the source
 * port): the same for every provider, each one's API behind its ProviderAdapter. Products are
 * what the connected account can buy; a buy is recorded under the buyer's idempotency key
 * before the provider hears of it and its provider objects saved one by one, so a retry
 * resumes instead of booking twice; status and delivery are read back from the provider. Every
 * answer concerns the buyer's own buys. A provider's refusal reaches the buyer as an AdCP error
 * (retryable or not), never as our 500; a lost grant marks the connection NEEDS_RECONNECT.
 */
export function adapterSources(deps: AdapterDeps, connections: Connections): SourceKind {
  return {
    open(rows, customerId) {
      return rows.map((row) => adapterSource(deps, connections, row, customerId));
    },
  };
}

function adapterSource(
  deps: AdapterDeps,
  connections: Connections,
  row: StoredSourceRow,
  _customerId: number | null,
): InventorySource {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /** Runs `work` with the connection's context; a provider's refusal becomes the buyer's error. */
  async function withProvider<T>(
    work: (ctx: AdapterContext, adapter: ProviderAdapter) => Promise<T>,
  ): Promise<SourceAnswer<T>> {
    try {
      const connection = await store.connectionOfSource(db, row.id);
      if (!connection) throw new ProviderError('SERVICE_UNAVAILABLE', 'This source is not set up');
      const adapter = connections.adapterOf(connection.provider);
      const ctx = await connections.contextFor(row.id);
      return { ok: true, data: await work(ctx, adapter) };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.grantLost) await connections.markGrantLost(row.id, error.message);
      return { ok: false, error: sourceError(row, error) };
    }
  }

  const buyerOf = (call: SourceCall) => {
    if (call.customerId === null) throw new ProviderError('AUTH_REQUIRED', 'A buyer is required');
    return call.customerId;
  };

  const statusOf = (buy: BuyRow, live: ProviderBuyStatus): string => {
    if (live === 'canceled' || live === 'paused') return live;
    if (buy.endTime <= now()) return 'completed';
    if (buy.startTime > now()) return 'pending_start';
    return live;
  };

  const buyView = (buy: BuyRow, status: string) => ({
    media_buy_id: buy.id,
    status,
    currency: buy.currency,
    total_budget: buy.packages.reduce((sum, p) => sum + p.budget, 0),
    start_time: buy.startTime.toISOString(),
    end_time: buy.endTime.toISOString(),
    created_at: buy.createdAt.toISOString(),
    updated_at: buy.updatedAt.toISOString(),
    packages: buy.packages.map((p) => ({
      package_id: p.packageId,
      product_id: p.productId,
      budget: p.budget,
      pricing_option_id: p.pricingOptionId,
      paused: status === 'paused',
    })),
  });

  async function ownBuys(call: SourceCall, ids: string[] | undefined) {
    const mine = await store.buysOfBuyer(db, row.id, buyerOf(call));
    return mine.filter((b) => b.status !== 'pending' && (!ids || ids.includes(b.id)));
  }

  return {
    source: row,
    capabilities: row.capabilities,
    creativeTransport: 'inline',
    health: () => healthOf(row),

    getProducts: (request, _call) =>
      withProvider(async (ctx, adapter) => ({
        products: (await adapter.products(ctx, request.brief ?? undefined)).slice(
          0,
          request.pagination?.max_results ?? 100,
        ),
      })),

    listCreativeFormats: () =>
      withProvider((_ctx, adapter) =>
        Promise.resolve({
          formats: adapter.formatIds.map((id) => ({
            format_id: { agent_url: formatsAgentUrl, id },
            name: id,
          })),
        } as unknown as ListCreativeFormatsResponse),
      ),

    createMediaBuy: (request, call) =>
      withProvider(async (ctx, adapter) => {
        const buyer = buyerOf(call);
        const defaults = Array.isArray(ctx.settings.defaultCountries)
          ? (ctx.settings.defaultCountries as string[])
          : [];
        const packages = (request.packages ?? []).map((p, i) => packageOf(p, i, defaults));
        const start =
          request.start_time === 'asap' || !request.start_time
            ? now()
            : new Date(String(request.start_time));
        const end = new Date(String(request.end_time));
        let buy = await store.claimBuy(db, {
          id: `mb_${randomUUID()}`,
          inventorySourceId: row.id,
          buyerCustomerId: buyer,
          idempotencyKey: request.idempotency_key,
          provider: adapter.provider,
          accountId: ctx.account.id,
          status: 'pending',
          currency: ctx.account.currency ?? 'USD',
          startTime: start,
          endTime: end,
          packages: packages.map((p, i) => ({
            packageId: p.packageId,
            productId: p.productId,
            budget: p.budget,
            pricingOptionId: request.packages?.[i]?.pricing_option_id ?? '',
          })),
          refs: { packages: {} },
        });
        if (!buy) throw new ProviderError('SERVICE_UNAVAILABLE', 'The buy could not be recorded');
        if (buy.status === 'pending') {
          const refs = await adapter.createBuy(
            ctx,
            {
              buyId: buy.id,
              name: request.po_number ? `PO ${request.po_number}` : 'Storefront buy',
              startTime: buy.startTime,
              endTime: buy.endTime,
              packages,
            },
            buy.refs,
            async (saved) => {
              await store.updateBuy(db, buy!.id, { refs: saved });
            },
          );
          buy = await store.updateBuy(db, buy.id, { refs, status: 'active' });
        }
        return {
          media_buy_id: buy.id,
          status: statusOf(buy, 'active'),
          packages: buy.packages.map((p) => ({ package_id: p.packageId, product_id: p.productId })),
        } as unknown as CreateMediaBuyResponse;
      }),

    updateMediaBuy: (request, call) =>
      withProvider(async (ctx, adapter) => {
        const [buy] = await ownBuys(call, [request.media_buy_id]);
        if (!buy)
          throw new ProviderError('MEDIA_BUY_NOT_FOUND', `No media buy ${request.media_buy_id}`);
        const others = (['start_time', 'end_time', 'packages', 'new_packages'] as const).filter(
          (k) => request[k] !== undefined,
        );
        if (others.length > 0 && !request.canceled) {
          throw new ProviderError(
            'UNSUPPORTED_FEATURE',
            `This source changes ${others.join(', ')} through its operator; pause, resume and cancel are supported`,
          );
        }
        let status = buy.status;
        if (request.canceled) {
          await adapter.cancel(ctx, buy.refs);
          status = 'canceled';
        } else if (request.paused !== undefined) {
          await adapter.setPaused(ctx, buy.refs, request.paused);
          status = request.paused ? 'paused' : 'active';
        }
        const changed = await store.updateBuy(db, buy.id, { status });
        return {
          media_buy_id: changed.id,
          status: statusOf(changed, status as ProviderBuyStatus),
          affected_packages: [],
        } as unknown as UpdateMediaBuyResponse;
      }),

    getMediaBuys: (request, call) =>
      withProvider(async (ctx, adapter) => {
        const found = await ownBuys(call, request.media_buy_ids ?? undefined);
        const views = [];
        for (const buy of found)
          views.push(buyView(buy, statusOf(buy, await adapter.status(ctx, buy.refs))));
        return { media_buys: views } as unknown as GetMediaBuysResponse;
      }),

    getMediaBuyDelivery: (request, call) =>
      withProvider(async (ctx, adapter) => {
        const found = await ownBuys(call, request.media_buy_ids ?? undefined);
        const end = now();
        const deliveries = [];
        let start = end;
        for (const buy of found) {
          if (buy.startTime < start) start = buy.startTime;
          const rows = await adapter.delivery(ctx, buy.refs, {
            start: buy.startTime,
            end: buy.endTime < end ? buy.endTime : end,
          });
          const sum = (k: 'impressions' | 'clicks' | 'spend') =>
            rows.reduce((total, r) => total + r[k], 0);
          deliveries.push({
            media_buy_id: buy.id,
            status: statusOf(buy, buy.status as ProviderBuyStatus),
            totals: {
              impressions: sum('impressions'),
              clicks: sum('clicks'),
              spend: Math.round(sum('spend') * 100) / 100,
            },
            by_package: rows.map((r) => ({
              package_id: r.packageId,
              impressions: r.impressions,
              clicks: r.clicks,
              spend: r.spend,
              pricing_model: 'cpm',
              rate: r.impressions > 0 ? Math.round((r.spend / r.impressions) * 100_000) / 100 : 0,
              currency: buy.currency,
            })),
          });
        }
        return {
          reporting_period: { start: start.toISOString(), end: end.toISOString() },
          currency: found[0]?.currency ?? 'USD',
          media_buy_deliveries: deliveries,
        } as unknown as GetMediaBuyDeliveryResponse;
      }),

    taskStatus: (taskId) =>
      Promise.resolve({
        ok: false,
        error: sourceError(row, new ProviderError('REFERENCE_NOT_FOUND', `No task ${taskId}`)),
      }),

    syncCreatives: () =>
      Promise.resolve({
        ok: false,
        error: sourceError(
          row,
          new ProviderError(
            'UNSUPPORTED_FEATURE',
            'This source keeps no creative library: creatives travel on the packages',
          ),
        ),
      }),

    providePerformanceFeedback: () =>
      Promise.resolve({ ok: true, data: { success: true } as never }),
  };
}

/** A buyer-safe error naming the source (never a host, a token or the provider's raw text). */
function sourceError(row: StoredSourceRow, error: ProviderError): SourceError {
  return {
    code: error.code,
    message: error.message,
    recovery: error.retryable ? 'transient' : 'terminal',
    ...(error.options.retryAfterSeconds !== undefined && {
      retry_after: error.options.retryAfterSeconds,
    }),
    details: { source_id: row.sourceId },
  } as SourceError;
}
