import type { GetProductsResponse } from '@adcp/sdk/types';
import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.js';
import { AdServerError } from '../adapters/port.js';
import { forecastingTypes } from '../adapters/registry.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { keyValueIds, resolveProduct } from '../products.js';
import {
  deleteForecast,
  forecastsOf,
  markRequested,
  recordForecastFailure,
  requestedForecasts,
  saveForecast,
  type ForecastRow,
} from './forecasts-store.js';
import { createHeldForecasts } from './held-forecasts.js';
import {
  type AskSource,
  candidateOfProduct,
  prepareCandidate,
  type PreparedCandidate,
  readAsk,
  topForAsk,
} from '../../../sources/brief/index.js';

type Product = GetProductsResponse['products'][number];

/*
 * Availability from the ad server's forecast (issue 35, item 3), for ad servers that offer one
 * (Google Ad Manager's ForecastService). get_products never waits for the ad server: it answers
 * what the cache holds per source and product, with its age, and says when a forecast is stale,
 * missing or failing; a durable job (one queued per source) asks the ad server for what is
 * missing or older than the freshness, one product at a time, and a failure keeps the last
 * forecast and is retried no sooner than `retryAfterFailureSeconds`.
 */

/** A forecast older than this (unless configured) is answered as stale and refreshed. */
export const defaultForecastFreshSeconds = 3600;
/** The flight a product's forecast is asked for: from the next hour, for this many days. */
export const forecastWindowDays = 30;
const askAgainAfterSeconds = 60;
const retryAfterFailureSeconds = 300;
/** The most products one refresh job asks the ad server about. */
const perJob = 100;
/**
 * The most products one answer asks forecasts for: the best for its brief (the storefront is
 * answered every product, and a network's 10,000 placements forecast on every brief would keep
 * the ad server's forecasting busy for what no buyer looked at).
 */
export const forecastsPerAsk = 100;

export interface Forecasts {
  /**
   * The products with their cached availability, and a refresh queued where it is due among the
   * `forecastsPerAsk` best for the ask (those without a forecast and not asked for stay as they are).
   */
  attach(connection: ConnectionRow, products: Product[], asked?: AskSource): Promise<Product[]>;
  /** Asks the ad server for the source's requested forecasts (the job's work). */
  refresh(inventorySourceId: number): Promise<void>;
}

export function createForecasts(ctx: AdServerContext): Forecasts {
  const freshMs = (ctx.deps.forecastFreshSeconds ?? defaultForecastFreshSeconds) * 1000;
  const job = defineJob({
    name: 'ad-server.refresh-forecasts',
    payload: z.object({ inventorySourceId: z.number().int() }),
    singleton: 'queued',
    retry: { limit: 3, delaySeconds: 30, backoff: true },
    timeoutSeconds: 10 * 60,
    concurrency: 1,
    handler: ({ inventorySourceId }) => forecasts.refresh(inventorySourceId),
  });
  ctx.deps.jobs.define(job);

  const ago = (seconds: number) => new Date(ctx.now().getTime() - seconds * 1000);
  const held = createHeldForecasts<Product>();

  /** Marks the products whose forecast is due as requested; answers whether any was. */
  async function request(inventorySourceId: number, productIds: string[]) {
    if (!productIds.length) return false;
    const marked = await markRequested(ctx.db, inventorySourceId, productIds, {
      now: ctx.now(),
      askedSince: ago(askAgainAfterSeconds),
      failedSince: ago(retryAfterFailureSeconds),
    }).finally(held.wrote);
    return marked.length > 0;
  }

  function view(
    product: Product,
    row: ForecastRow | undefined,
    refreshing: boolean,
    now: number,
  ): Product {
    const f = row?.forecast;
    const at = row?.forecastAt;
    const age = at ? Math.max(0, Math.round((now - at.getTime()) / 1000)) : undefined;
    const stale = at ? now - at.getTime() > freshMs : false;
    const failing = row?.lastErrorCode && (!at || (row.lastErrorAt && row.lastErrorAt > at));
    const status = f ? (stale ? 'stale' : 'fresh') : failing ? 'unavailable' : 'pending';
    const availability = {
      status,
      source: 'ad_server_forecast',
      ...(at && { as_of: at.toISOString(), age_seconds: age }),
      refreshing,
      ...(failing && { last_error_code: row.lastErrorCode }),
      message:
        status === 'fresh'
          ? `Availability from the ad server's forecast, ${age}s old`
          : status === 'stale'
            ? `The ad server's forecast is ${age}s old and may be out of date${refreshing ? '; a new one has been asked for' : ''}`
            : status === 'pending'
              ? "The ad server's forecast has been asked for and is not in yet; ask again shortly"
              : "The ad server could not forecast this product's availability",
    };
    const ext = (product.ext ?? {}) as Record<string, unknown>;
    return {
      ...product,
      ...(f &&
        at && {
          forecast: {
            method: 'modeled',
            forecast_range_unit: 'availability',
            currency: f.currency,
            generated_at: at.toISOString(),
            valid_until: new Date(at.getTime() + freshMs).toISOString(),
            points: [
              {
                metrics: {
                  impressions: { low: f.available, mid: f.available, high: f.possible },
                },
              },
            ],
            ext: {
              interchange: {
                flight: { start: f.start, end: f.end },
                matched_impressions: f.matched,
                unit_type: f.unitType,
                age_seconds: age,
                stale,
              },
            },
          },
        }),
      // Beside ext.interchange, which the storefront rewrites with its routing.
      ext: { ...ext, availability },
    } as Product;
  }

  const forecasts: Forecasts = {
    async attach(connection, products, asked = {}) {
      if (!products.length || !forecastingTypes.has(connection.type)) return products;
      const id = connection.inventorySourceId;
      // Whole seconds: the answer's ages are in seconds, and one second's calls share one answer.
      const now = Math.floor(ctx.now().getTime() / 1000) * 1000;
      const entry = await held.rows(products, now, async () => {
        const ids = products.map((p) => p.product_id);
        const rows: ForecastRow[] = [];
        for (let i = 0; i < ids.length; i += 5_000)
          rows.push(...(await forecastsOf(ctx.db, id, ids.slice(i, i + 5_000))));
        return rows;
      });
      const byId = new Map(entry.rows.map((r) => [r.productId, r]));
      const due = bestFor(products, asked).filter((pid) => {
        const at = byId.get(pid)?.forecastAt;
        return !at || now - at.getTime() > freshMs;
      });
      // A product with no forecast that no answer asked for is answered as it is.
      const viewOf = (p: Product, refreshed: boolean) => {
        const row = byId.get(p.product_id);
        return row || refreshed ? view(p, row, refreshed, now) : p;
      };
      if (!due.length) {
        return held.viewed(entry, now, () => products.map((p) => viewOf(p, false)));
      }
      let refreshing = false;
      if (ctx.deps.jobs.isStarted() && (await request(id, due))) {
        await ctx.deps.jobs.send(job, { inventorySourceId: id }, { singletonKey: String(id) });
        refreshing = true;
      }
      const wanted = new Set(due);
      // A product due is being refreshed if this call asked, or an earlier one did.
      return products.map((p) => {
        const row = byId.get(p.product_id);
        return viewOf(p, wanted.has(p.product_id) && (refreshing || Boolean(row?.requestedAt)));
      });
    },

    async refresh(inventorySourceId) {
      const connection = await ctx.connectionOf(inventorySourceId);
      if (!connection || connection.provisioningStatus !== 'active') return;
      const adapter = ctx.adapterFor(connection);
      if (!adapter.availabilityForecast) return;
      const wanted = await requestedForecasts(ctx.db, inventorySourceId, perJob);
      for (const row of wanted) {
        try {
          const product = await resolveProduct(ctx, connection, row.productId);
          if (!product) {
            await deleteForecast(ctx.db, inventorySourceId, row.productId).finally(held.wrote);
            continue;
          }
          const kv = await keyValueIds(ctx, inventorySourceId, product.rule.keyValues);
          const start = new Date(Math.ceil(ctx.now().getTime() / 3_600_000) * 3_600_000);
          const end = new Date(start.getTime() + forecastWindowDays * 86_400_000);
          const answer = await adapter.availabilityForecast({
            adUnitIds: product.rule.adUnitIds,
            placementIds: product.rule.placementIds,
            keyValues: kv.keyValues,
            sizes: product.sizes,
            start,
            end,
            cpm: product.rule.cpm,
            currency: product.currency,
          });
          const forecast = {
            ...answer,
            start: start.toISOString(),
            end: end.toISOString(),
            currency: product.currency,
          };
          await saveForecast(ctx.db, inventorySourceId, row.productId, forecast, ctx.now()).finally(
            held.wrote,
          );
        } catch (error) {
          if (!(error instanceof AdServerError)) throw error;
          ctx.deps.onError?.(error, `ad-server forecast ${inventorySourceId}/${row.productId}`);
          // The last forecast stays; the product is asked for again after a pause.
          await recordForecastFailure(
            ctx.db,
            inventorySourceId,
            row.productId,
            error.code,
            ctx.now(),
          ).finally(held.wrote);
          if (error.retryable) break;
        }
      }
    },
  };
  return forecasts;
}

/** A held product set as the brief matcher reads it (its products are never changed). */
const prepared = new WeakMap<readonly Product[], PreparedCandidate<string>[]>();

/** The ids of the `forecastsPerAsk` products best for the ask, by the one brief matcher. */
function bestFor(products: readonly Product[], asked: AskSource): string[] {
  let candidates = prepared.get(products);
  if (!candidates) {
    candidates = products.map((p) => prepareCandidate(p.product_id, candidateOfProduct(p)));
    prepared.set(products, candidates);
  }
  return topForAsk(candidates, readAsk(asked), forecastsPerAsk).map((r) => r.item);
}
