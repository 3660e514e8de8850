import type { LinePlan } from '../adapters/port.js';
import type { ProductRule } from '../schemas.js';

/** What a buy asks of an ad-server source, the order row it becomes, and a refusal of it. */

export type { OrderRow } from './orders-store.js';

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
  /** The CPM the storefront quoted the package at, which the line item books; absent: the product's. */
  cpm?: number | undefined;
  /** The impressions the budget buys at that CPM, as the storefront counted them. */
  impressions?: number | undefined;
  creatives: Array<Record<string, unknown>>;
  /** The package's frequency cap, written on its line item. */
  frequencyCap?: LinePlan['frequencyCap'] | undefined;
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
  /**
   * A sandbox account's buy (issue 70, item 2): the buyer's seeded products at this source, which
   * it may name (sandbox/fixtures.ts); its order is marked a sandbox buy's and never approved in
   * the ad server (traffic.ts).
   */
  sandbox?: {
    products: ProductRule[];
    /** Those of them seeded non-guaranteed: their lines compete on price (LinePlan.nonGuaranteed). */
    nonGuaranteed?: string[];
  };
}
