import { deliveryCurrencyOf, packageCurrencyOf } from './report.js';
import type { ImportOutcome } from './import-outcome.js';
import type { PlacedBuy } from './store.js';
import { isRecord } from '../../platform/is-record.js';

type Json = Record<string, unknown>;

/**
 * The sellers' answers to one campaign's delivery as one AdCP delivery response, naming our
 * buy ids. Each buy and each package carry the currency its figures are recorded in
 * (report.ts decides it for both), so the live answer and reporting never disagree.
 */
export function mergedDelivery(buys: PlacedBuy[], outcomes: ImportOutcome[], at: Date) {
  const deliveries: Json[] = [];
  const errors: Json[] = [];
  const currencies = new Set<string>();
  let start: string | undefined;
  let end: string | undefined;
  outcomes.forEach((outcome, i) => {
    const buy = buys[i] as PlacedBuy;
    if (!outcome.ok) {
      errors.push({ code: 'DELIVERY_UNAVAILABLE', message: outcome.error, media_buy_id: buy.id });
      return;
    }
    const answer = outcome.answer;
    const period = (answer['reporting_period'] ?? {}) as Json;
    if (typeof period['start'] === 'string' && (!start || period['start'] < start))
      start = period['start'];
    if (typeof period['end'] === 'string' && (!end || period['end'] > end)) end = period['end'];
    const list = Array.isArray(answer['media_buy_deliveries'])
      ? answer['media_buy_deliveries'].filter(isRecord)
      : [];
    for (const d of list) {
      if (d['media_buy_id'] !== buy.sellerMediaBuyId) continue;
      const currency = deliveryCurrencyOf(answer, d, buy.currency);
      currencies.add(currency);
      const packages = Array.isArray(d['by_package']) ? d['by_package'].filter(isRecord) : [];
      const byPackage = packages.map((pkg) => {
        const own = packageCurrencyOf(pkg, currency);
        currencies.add(own);
        return { ...pkg, currency: own };
      });
      deliveries.push({
        ...d,
        media_buy_id: buy.id,
        seller_media_buy_id: buy.sellerMediaBuyId,
        currency,
        ...(Array.isArray(d['by_package']) && { by_package: byPackage }),
      });
    }
  });
  const now = at.toISOString();
  const single = currencies.size <= 1;
  return {
    reporting_period: { start: start ?? now, end: end ?? now },
    // One currency for the response only when every buy and package reports in it; else each
    // delivery and package says.
    ...(single && { currency: [...currencies][0] ?? buys[0]?.currency ?? 'USD' }),
    media_buy_deliveries: deliveries,
    ...(errors.length > 0 && { errors }),
  };
}
