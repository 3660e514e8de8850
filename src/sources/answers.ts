import { isRecord } from '../platform/is-record.js';
import type {
  CreateMediaBuyResponse,
  CreateMediaBuySuccess,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysResponse,
  ListCreativeFormatsResponse,
  MediaBuyStatus,
  UpdateMediaBuyResponse,
} from '@adcp/sdk/types';

/*
 * The AdCP answers every kind Interchange serves itself gives (modular sources, ad servers,
 * provider adapters), typed against @adcp/sdk so a kind builds them without casting: a field
 * the protocol does not have, or a status it does not know, is a type error here, once.
 */

/** AdCP's buyer actions on a media buy (valid_actions). */
export type MediaBuyAction = NonNullable<CreateMediaBuySuccess['valid_actions']>[number];

/** One placed buy, as get_media_buys lists it. */
export type BuyView = GetMediaBuysResponse['media_buys'][number];

/** One buy's delivery, as get_media_buy_delivery reports it. */
export type BuyDelivery = GetMediaBuyDeliveryResponse['media_buy_deliveries'][number];

/** One package's delivery within a buy's. */
export type PackageDelivery = BuyDelivery['by_package'][number];

/** A creative format a source accepts, as list_creative_formats lists it. */
export type FormatView = ListCreativeFormatsResponse['formats'][number];

/**
 * Every AdCP media-buy status (enums/media-buy-status.json; a look-up across all of them must name
 * each: the default is active).
 */
export const mediaBuyStatuses = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'rejected',
  'canceled',
] as const satisfies readonly MediaBuyStatus[];

/**
 * Whether a placed buy waits for its buyer's creatives: a package of it carries none. AdCP's
 * `pending_creatives` (enums/media-buy-status.json: "approved but has no creatives assigned. The
 * buyer must attach creatives via sync_creatives before the buy can serve"; storyboard
 * media_buy_seller/pending_creatives_to_start). Each kind that books derives the status by this
 * from its own record: `creatives` is each package's.
 */
export const awaitsCreatives = (creatives: ReadonlyArray<readonly unknown[] | undefined>) =>
  creatives.some((onPackage) => !onPackage?.length);

/** AdCP 3.1's metric kinds (core/product.json metric_optimization), in the spec's order. */
export const optimizationMetrics = [
  'clicks',
  'views',
  'completed_views',
  'viewed_seconds',
  'attention_seconds',
  'attention_score',
  'engagements',
  'follows',
  'saves',
  'profile_visits',
  'reach',
] as const;

/** A package's identity at its source for a look-up: its product and its budget. */
const packageKey = (p: unknown) =>
  isRecord(p) ? `${String(p['product_id'])}\u0000${Number(p['budget'])}` : '';
const packageKeys = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(packageKey) : []).sort();

/**
 * The one buy of `pool` (a source's get_media_buys) with exactly `packages` (a create request's:
 * product and budget each), for finding a create whose answer was lost; none or several: none.
 */
export function onlyBuyWithPackages<T extends Record<string, unknown>>(
  pool: readonly T[],
  packages: unknown,
): T | undefined {
  const wanted = packageKeys(packages);
  const matches = pool.filter((b) => {
    const have = packageKeys(b['packages']);
    return have.length === wanted.length && have.every((key, i) => key === wanted[i]);
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * A stored status as AdCP's: the ledgers store what they answered, so an unknown one is a buy
 * still being written or approved, which AdCP calls pending_start (as ad servers answer it).
 */
export const mediaBuyStatusOf = (status: string): MediaBuyStatus =>
  mediaBuyStatuses.find((known) => known === status) ?? 'pending_start';

/** What a buy's packages are, as create_media_buy answers them. */
export interface PlacedPackage {
  package_id: string;
  product_id: string;
}

/** create_media_buy, booked: the buy, its status, what the buyer may do next, its packages. */
export function buyCreated(buy: {
  mediaBuyId: string;
  status: MediaBuyStatus;
  validActions: MediaBuyAction[];
  packages: PlacedPackage[];
}): CreateMediaBuyResponse {
  return {
    media_buy_id: buy.mediaBuyId,
    status: buy.status,
    valid_actions: buy.validActions,
    packages: buy.packages,
  };
}

/** create_media_buy, taken as a task that settles later (a person confirms the booking). */
export const buySubmitted = (taskId: string): CreateMediaBuyResponse => ({
  status: 'submitted',
  task_id: taskId,
});

/** update_media_buy, done: the buy's status after it and the packages it changed. */
export function buyUpdated(buy: {
  mediaBuyId: string;
  status: MediaBuyStatus;
  validActions: MediaBuyAction[];
  affectedPackages: string[];
}): UpdateMediaBuyResponse {
  return {
    media_buy_id: buy.mediaBuyId,
    status: buy.status,
    valid_actions: buy.validActions,
    affected_packages: buy.affectedPackages.map((id) => ({ package_id: id })),
  };
}

/** get_media_buys: the buyer's buys at this source. */
export const buysListed = (views: BuyView[]): GetMediaBuysResponse => ({ media_buys: views });

/** get_media_buy_delivery: what the buyer's buys delivered over a period. */
export function deliveryReported(report: {
  period: { start: string; end: string };
  currency: string;
  deliveries: BuyDelivery[];
}): GetMediaBuyDeliveryResponse {
  return {
    reporting_period: report.period,
    currency: report.currency,
    media_buy_deliveries: report.deliveries,
  };
}

/** list_creative_formats: formats by name, the first of a name kept. */
export const formatsListed = (formats: FormatView[]): ListCreativeFormatsResponse => ({
  formats,
});
