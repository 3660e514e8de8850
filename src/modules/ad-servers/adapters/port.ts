import type { AddedViewability } from '../../../sources/viewability.js';

/*
 * What Interchange needs of one ad server (Google Ad Manager today; FreeWheel and SpringServe are
 * one adapter file each against this same interface). Ids are the ad server's own, as strings.
 */

/** The objects an inventory sync reads, in the order it reads them. */
export const inventoryKinds = [
  'advertiser',
  'targeting_key',
  'targeting_value',
  'placement',
  'ad_unit',
] as const;
export type InventoryKind = (typeof inventoryKinds)[number];

export interface SyncedObject {
  kind: InventoryKind;
  externalId: string;
  parentId: string | null;
  name: string;
  status: string;
  data: Record<string, unknown>;
}

/** One page of one kind: its objects and where the next page starts (null: the kind is done). */
export interface InventoryPage {
  items: SyncedObject[];
  after: string | null;
}

/**
 * Incremental listing: objects of a kind changed at or after `since`, whatever their status (an
 * object archived or deactivated upstream comes back with that status), in the same id-ordered
 * pages as `page`. `kinds` are those the ad server can filter by modification time; the others
 * are read whole by an incremental sync.
 */
export interface ChangedListing {
  readonly kinds: readonly InventoryKind[];
  page(kind: InventoryKind, since: Date, after: string | null): Promise<InventoryPage>;
}

/** Why a call to the ad server failed, as the hosted lastErrorCode names it. */
export type AdServerErrorCode =
  | 'ADAPTER_NETWORK_NOT_FOUND'
  | 'ADAPTER_PERMISSION_DENIED'
  | 'ADAPTER_INVALID_CREDENTIALS'
  | 'ADAPTER_INVALID_CONFIG'
  | 'ADAPTER_CONNECTION_FAILED'
  | 'ADAPTER_RATE_LIMITED'
  | 'ADAPTER_REFUSED';

/**
 * A failure of the ad server or of reaching it. `message` is safe to show the operator (no
 * credential, no token); `reason` is the ad server's own error name when it gave one.
 */
export class AdServerError extends Error {
  override name = 'AdServerError';
  constructor(
    readonly code: AdServerErrorCode,
    message: string,
    readonly reason?: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

export const remediationOf: Record<AdServerErrorCode, string> = {
  ADAPTER_NETWORK_NOT_FOUND:
    'Check the network code (Ad Manager: Admin > Global settings > Network code).',
  ADAPTER_PERMISSION_DENIED:
    'Grant the service account a role with API access in Ad Manager (Admin > Access & authorization); a new grant can take a few minutes to apply.',
  ADAPTER_INVALID_CREDENTIALS:
    'The service-account key was refused: upload a current JSON key for the account.',
  ADAPTER_INVALID_CONFIG: 'Fix the ad-server configuration and save it again.',
  ADAPTER_CONNECTION_FAILED: 'The ad server could not be reached; try again shortly.',
  ADAPTER_RATE_LIMITED: 'The ad server is limiting requests; the work is retried later.',
  ADAPTER_REFUSED: 'The ad server refused the request; see the message for the field at fault.',
};

export interface CapabilityCheck {
  capability: string;
  status: 'passed' | 'failed' | 'not_checked';
  message: string | null;
  errorCode: string | null;
  remediation: string | null;
}

/** A line item to create: one per package of a buy. */
export interface LinePlan {
  packageId: string;
  name: string;
  start: Date;
  end: Date;
  /** CPM in the order's currency. */
  cpm: number;
  impressions: number;
  adUnitIds: string[];
  placementIds: string[];
  /** Key-value targeting: each key's id with the ids of its values (values ORed, keys ANDed). */
  keyValues: Array<{ keyId: string; valueIds: string[] }>;
  sizes: Array<{ width: number; height: number }>;
  /**
   * A non-guaranteed line (a sandbox buyer's product seeded so): it reserves nothing and competes
   * on its CPM (Ad Manager's price priority); absent, a guaranteed (standard) line.
   */
  nonGuaranteed?: boolean;
  /** What the line sells (docs/ad-servers.md, "Video"); display when absent. */
  mediaType?: 'display' | 'video';
  /** Impressions per day a user may see, when the buyer capped frequency. */
  frequencyCap?: {
    maxImpressions: number;
    numTimeUnits: number;
    timeUnit: 'DAY' | 'WEEK' | 'HOUR';
  };
}

export interface CreativePlan {
  name: string;
  width: number;
  height: number;
  clickUrl: string;
  /** An image by URL, or a third-party tag. */
  imageUrl?: string;
  /**
   * The image is registered by its URL, not uploaded (Ad Manager's ImageRedirectCreative): a
   * sandbox order's creative on a reserved test host, which never resolves and never serves.
   */
  imageByUrl?: boolean;
  snippet?: string;
  /** A video file by URL (registered with the ad server by its address, not uploaded). */
  videoUrl?: string;
  /** A VAST tag by URL: the ad server plays what it answers (a wrapper). */
  vastUrl?: string;
  /** The video's length in milliseconds, when the buyer gave it. */
  durationMs?: number;
  /** The video file's MIME type, when known (video/mp4 …). */
  mimeType?: string;
}

/** A creative attached to a line item; `mediaType` is the line's (display when absent). */
export interface CreativePair {
  lineItemId: string;
  creativeId: string;
  mediaType?: 'display' | 'video';
}

/** A change to a live line item: its impressions goal (a new budget) and its flight. */
export interface LineChange {
  lineItemId: string;
  impressions?: number;
  start?: Date;
  end?: Date;
}

export interface DeliveryRow {
  lineItemId: string;
  day: string;
  impressions: number;
  clicks: number;
  /** Revenue in the network's currency. */
  spend: number;
  /** What the ad server measured of the day's viewability, when its report has it. */
  viewability?: AddedViewability | undefined;
}

/**
 * Delivery read page by page, so an import holds one page at a time. The generator's return says
 * whether the report ended within the page bound it was given (`complete: false`: rows past the
 * bound were not read, and the import is marked partial).
 */
export type DeliveryPages = AsyncGenerator<DeliveryRow[], { complete: boolean }>;

/** What a product targets, asked of the ad server's forecast for a flight. */
export interface ForecastTarget {
  adUnitIds: string[];
  placementIds: string[];
  keyValues: Array<{ keyId: string; valueIds: string[] }>;
  sizes: Array<{ width: number; height: number }>;
  start: Date;
  end: Date;
  /** CPM in `currency`, as a prospective line item carries it. */
  cpm: number;
  currency: string;
}

/**
 * The ad server's availability forecast for a target and flight (Ad Manager's
 * AvailabilityForecast): `available` can be booked without hurting other line items,
 * `possible` without hurting higher-priority ones, `matched` is all traffic the targeting matches.
 */
export interface AvailabilityForecast {
  unitType: string;
  available: number;
  possible: number;
  matched: number;
}

/**
 * An order's state in the ad server, as a booking follows it until it serves: `approved` and
 * `delivering` (at least one line item serving), `pending` (waiting for the ad server's own
 * approval), `rejected` (disapproved, with the ad server's reason), or `ended` (canceled,
 * deleted, archived). `adServerStatus` is the ad server's own name for it.
 */
export interface OrderState {
  state: 'pending' | 'approved' | 'delivering' | 'rejected' | 'ended';
  adServerStatus: string;
  reason?: string;
}

export interface AdServerAdapter {
  readonly type: string;
  /** Capability probes (read-only): network, inventory read, trafficking read. */
  testConnection(): Promise<CapabilityCheck[]>;
  /** One page of `kind` after `after` (null: the first page). */
  page(kind: InventoryKind, after: string | null): Promise<InventoryPage>;
  /** Listing by modification time, where the ad server offers it (absent: every sync is full). */
  readonly changes?: ChangedListing;
  /** The advertiser for a buyer's brand: found by name, created when missing. */
  ensureAdvertiser(name: string): Promise<string>;
  createOrder(input: {
    name: string;
    advertiserId: string;
    poNumber?: string;
    /** Free text the trafficker sees on the order (a sandbox buy's mark). */
    notes?: string;
  }): Promise<string>;
  /** Orders of ours by name (a retry after a crash looks before creating a second one). */
  findOrder(name: string): Promise<string | null>;
  /** Creates every line item of an order at once (all or none); answers their ids in order. */
  createLineItems(orderId: string, lines: LinePlan[], currency: string): Promise<string[]>;
  createCreative(advertiserId: string, creative: CreativePlan): Promise<string>;
  associate(pairs: CreativePair[]): Promise<void>;
  /**
   * Takes creatives off line items (Ad Manager: their associations deactivated); absent where
   * the adapter cannot yet, and then a placed buy's creatives can only be added to.
   */
  dissociate?(pairs: CreativePair[]): Promise<void>;
  /** Approves an order so it can serve (after the seller's approval in Interchange). */
  approveOrder(orderId: string): Promise<void>;
  /** Removes an order from trafficking (a failed creation's cleanup, a cancellation). */
  archiveOrder(orderId: string): Promise<void>;
  pauseLineItems(ids: string[], paused: boolean): Promise<void>;
  /** Budget and flight changes of live line items; absent where the adapter cannot make them yet. */
  updateLineItems?(changes: LineChange[]): Promise<void>;
  /** Delivery of line items per day, from the ad server's report API, at most `maxPages` pages. */
  deliveryReport(lineItemIds: string[], from: string, to: string, maxPages: number): DeliveryPages;
  /** Availability of a target for a flight; absent where the ad server offers no forecast. */
  availabilityForecast?(target: ForecastTarget): Promise<AvailabilityForecast>;
  /** Where an order stands in the ad server's own approval; absent where approval is immediate. */
  orderState?(orderId: string): Promise<OrderState>;
}
