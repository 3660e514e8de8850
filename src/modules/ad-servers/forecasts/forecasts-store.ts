import { and, asc, eq, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { adServerForecasts } from '../tables.js';

/*
 * Every query on the cached availability forecasts (forecasts.ts): per source and product, the
 * last forecast, when a refresh was asked for, and the last failure.
 */

export type ForecastRow = typeof adServerForecasts.$inferSelect;
export type Forecast = NonNullable<ForecastRow['forecast']>;

const one = (inventorySourceId: number, productId: string) =>
  columnsEqual(adServerForecasts, { inventorySourceId, productId });

/** The cached rows of the products among `productIds`. */
export async function forecastsOf(
  db: Db,
  inventorySourceId: number,
  productIds: string[],
): Promise<ForecastRow[]> {
  return db
    .select()
    .from(adServerForecasts)
    .where(
      and(
        eq(adServerForecasts.inventorySourceId, inventorySourceId),
        inArray(adServerForecasts.productId, productIds),
      ),
    );
}

/**
 * Marks the products as requested at `now`, except one asked for since `askedSince` or failed
 * since `failedSince` (created when missing); answers the products it marked.
 */
export async function markRequested(
  db: Db,
  inventorySourceId: number,
  productIds: string[],
  at: { now: Date; askedSince: Date; failedSince: Date },
): Promise<string[]> {
  const marked = await db
    .insert(adServerForecasts)
    .values(productIds.map((productId) => ({ inventorySourceId, productId, requestedAt: at.now })))
    .onConflictDoUpdate({
      target: [adServerForecasts.inventorySourceId, adServerForecasts.productId],
      set: { requestedAt: at.now },
      setWhere: and(
        or(isNull(adServerForecasts.requestedAt), lt(adServerForecasts.requestedAt, at.askedSince)),
        or(
          isNull(adServerForecasts.lastErrorAt),
          lt(adServerForecasts.lastErrorAt, at.failedSince),
        ),
      ),
    })
    .returning({ productId: adServerForecasts.productId });
  return marked.map((m) => m.productId);
}

/** The rows asked for and not forecast since, oldest request first, at most `limit`. */
export async function requestedForecasts(
  db: Db,
  inventorySourceId: number,
  limit: number,
): Promise<ForecastRow[]> {
  return db
    .select()
    .from(adServerForecasts)
    .where(
      and(
        eq(adServerForecasts.inventorySourceId, inventorySourceId),
        isNotNull(adServerForecasts.requestedAt),
        or(
          isNull(adServerForecasts.forecastAt),
          lt(adServerForecasts.forecastAt, adServerForecasts.requestedAt),
        ),
      ),
    )
    .orderBy(asc(adServerForecasts.requestedAt))
    .limit(limit);
}

/** Drops the cached row of a product the source no longer has. */
export async function deleteForecast(db: Db, inventorySourceId: number, productId: string) {
  await db.delete(adServerForecasts).where(one(inventorySourceId, productId));
}

/** Stores a new forecast, clearing the last failure. */
export async function saveForecast(
  db: Db,
  inventorySourceId: number,
  productId: string,
  forecast: Forecast,
  at: Date,
) {
  await db
    .update(adServerForecasts)
    .set({ forecast, forecastAt: at, lastErrorCode: null, lastErrorAt: null })
    .where(one(inventorySourceId, productId));
}

/** Records a failed refresh (the last forecast stays) and withdraws the request. */
export async function recordForecastFailure(
  db: Db,
  inventorySourceId: number,
  productId: string,
  code: string,
  at: Date,
) {
  await db
    .update(adServerForecasts)
    .set({ lastErrorCode: code, lastErrorAt: at, requestedAt: null })
    .where(one(inventorySourceId, productId));
}
