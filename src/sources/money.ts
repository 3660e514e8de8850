import { cents } from '../platform/pricing.js';
import type { QuotedPrice } from './port.js';

/*
 * Price and impressions arithmetic, the one of every source kind: money in micros, CPM, what a
 * budget buys and what delivery cost. Amounts are in the currency's units (dollars, euros);
 * the kinds convert at their boundary with a provider or an ad server and nowhere else. Cents
 * are the platform's (platform/pricing.ts, also what repricing rounds to).
 */
export { cents };

/** Millionths of a currency unit per unit: how Google Ads, Ad Manager, Pinterest and others count money. */
export const microsPerUnit = 1_000_000;

/** An amount in micros (millionths of the currency), rounded to the nearest micro. */
export const micros = (amount: number): number => Math.round(amount * microsPerUnit);

/** An amount given in micros, in the currency's units. */
export const fromMicros = (amountMicros: number): number => amountMicros / microsPerUnit;

/**
 * How many impressions a budget buys at a CPM (price per thousand), whole impressions only.
 *
 * The one rule, with one option. By default the impressions the budget buys, none when it is
 * below one impression's price: a modular source refuses such a package (BUDGET_TOO_LOW), and
 * an ad server's cancel record states what the line had bought. A line item written to an ad
 * server needs a goal of at least one impression, so its booking and budget changes ask for
 * `atLeastOne` (a tiny budget then books one impression rather than an invalid goal of 0).
 */
export function impressionsFor(
  budget: number,
  cpm: number,
  options: { atLeastOne?: boolean } = {},
): number {
  const bought = Math.floor((budget / cpm) * 1000);
  return options.atLeastOne ? Math.max(1, bought) : bought;
}

/** What impressions cost at a CPM (price per thousand), rounded to the cent. */
export const spendFor = (impressions: number, cpm: number): number =>
  cents((impressions * cpm) / 1000);

/** The CPM a delivery cost (spend per thousand impressions), in cents; 0 before any impression. */
export const cpmOf = (spend: number, impressions: number): number =>
  impressions > 0 ? Math.round((spend / impressions) * 100_000) / 100 : 0;

/**
 * The CPM a package was quoted at (port.ts QuotedPrice), when its model is CPM: the rate a kind
 * that books quoted prices books it at, in place of its own list. Undefined without one (a buy
 * recorded before quotes, or a model that is not CPM): the kind books its own price.
 */
export function quotedCpmOf(pkg: { quoted_price?: QuotedPrice | undefined }): number | undefined {
  const quoted = pkg.quoted_price;
  return quoted?.pricing_model === 'cpm' && quoted.price > 0 ? quoted.price : undefined;
}
