import type {
  AccountReference,
  CreateMediaBuyRequest,
  CreativeAsset,
  CreateMediaBuyResponse,
  GetAccountFinancialsRequest,
  GetAccountFinancialsResponse,
  GetMediaBuyDeliveryRequest,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysRequest,
  GetMediaBuysResponse,
  GetProductsRequest,
  GetProductsResponse,
  ListCreativeFormatsRequest,
  ListCreativeFormatsResponse,
  LogEventRequest,
  LogEventResponse,
  ProvidePerformanceFeedbackRequest,
  ProvidePerformanceFeedbackResponse,
  SyncAudiencesRequest,
  SyncAudiencesResponse,
  SyncCatalogsRequest,
  SyncCatalogsResponse,
  SyncCreativesResponse,
  SyncEventSourcesRequest,
  SyncEventSourcesResponse,
  UpdateMediaBuyRequest,
  UpdateMediaBuyResponse,
} from '@adcp/sdk/types';
import type { CachedCapabilities, SourceHealth } from './capabilities.js';
import type { FrequencyCapSupport } from './frequency-caps.js';

export type { SourceHealth } from './capabilities.js';

/*
 * The source port: what the Merchandising Agent needs from an inventory source of any kind
 * (docs/architecture.md). Today's kinds are an AdCP sales agent reached over MCP or A2A
 * (`AGENT`) and a buyer's sandbox inventory; modular sources, ad-server sources, wired provider
 * adapters and linked storefronts implement the same interface. The agent composes products,
 * routes buys and forwards creatives through it alone, so a new kind changes nothing there.
 *
 * Requests and answers are AdCP's own shapes (@adcp/sdk's types): the storefront is an AdCP
 * sales agent, and what it relays stays checked against the protocol. Ids in them are the
 * source's own (product, package and media-buy ids without the storefront's namespace). A kind
 * that speaks another protocol translates inside its implementation.
 */

/** The source as the storefront records it: who it is, whatever its kind. */
export interface SourceIdentity {
  /** The global row id. */
  id: number;
  storefrontId: number;
  /** The storefront-scoped slug; storefront product, package and buy ids are namespaced by it. */
  sourceId: string;
  name: string;
  /** Its kind (`AGENT`, `MODULAR_SOURCE`, `MANAGED_SALES_AGENT`, `LINKED_STOREFRONT`, …). */
  executionType: string;
  /** The agent it resells, when it is one (publisher authorization accepts either agent). */
  endpointUrl?: string | null;
}

/** What a buyer said about whose account a piece of work is for (AdCP's own words). */
export interface BuyerAccount {
  account?: AccountReference | undefined;
  brand?: GetProductsRequest['brand'];
  /** For a follow-up on a buy already placed: the account the source recorded it under. */
  placedAs?: AccountReference | undefined;
}

/** Who the storefront asks a source for, and how long it may take. */
export interface SourceCall {
  /** The buyer customer the work is for; null for work done for no buyer. */
  customerId: number | null;
  /**
   * The buyer's account words: the source is asked under the account that is the buyer's there
   * (the kind decides, e.g. agent-accounts.ts for AdCP agents). Absent: asked with no account.
   */
  account?: BuyerAccount;
  /** The work concerns buys this buyer already placed at the source: asked as placed. */
  placed?: boolean;
  /**
   * The buyer's account is a sandbox account by its stored record (issue 70): a kind that holds
   * sandbox buyers' seeded products (testController) lists and books them only on such a call.
   */
  sandbox?: boolean;
  /** Upper bound on the whole call, credential exchange included. */
  budgetMs: number;
  /** A recent identical answer for this buyer may be reused (discovery only). */
  reuse?: boolean;
  /**
   * Only the source's wholesale feed version is wanted (get_products): answered from its mirror
   * if it is mirrored, else refused at once (`feed` absent) without asking the source.
   */
  feedVersionOnly?: boolean;
}

/** An AdCP error object, as sources' answers carry them in `errors[]`. */
export type SourceError = NonNullable<GetProductsResponse['errors']>[number];

/**
 * Work a source took on and settles later: an IO to sign, a booking a human confirms (HELD, then
 * BOOKED), an approval before an ad server is written to. The storefront asks taskStatus until it
 * settles (buys/settle/source-tasks.ts: after 2, 4, 8 … seconds, then every 10 minutes, for 7 days); a
 * kind that keeps the outcome itself answers taskStatus from its own records.
 */
export interface SourceTask {
  taskId: string;
  status: string;
}

/** How a task stands: AdCP tasks/get's answer. `result` is the work's answer once completed. */
export interface SourceTaskStatus {
  status: string;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

/**
 * A source's answer to one request. A failure carries the buyer's error (never the source's
 * address or an exception's text); the kind records its operator's detail itself.
 */
export type SourceAnswer<T> =
  | {
      ok: true;
      data: T;
      /** Set when the source took the work as a task (only where the operation allows one). */
      task?: SourceTask;
      /** The account the source was asked under, none when it was asked without one. */
      account?: AccountReference;
      /**
       * Served from the source's mirrored feed because the live probe failed (a feed-publishing
       * source, kinds/agent/feed-mirror): how old the set is and the buyer's error for the
       * failure. A 3.1 caller gets the data with STALE_RESPONSE; a 3.0 caller gets the error.
       */
      stale?: { ageSeconds: number; error: SourceError };
      /**
       * The source's wholesale feed version and cache scope the data is of, when it was served
       * from the source's mirror as the source last confirmed it (kinds/agent/feed-mirror): a
       * storefront's own feed version follows it.
       */
      feed?: { version: string; scope: string };
    }
  | { ok: false; error: SourceError };

/** A request as a source is asked it: the account, context and extensions are the storefront's. */
type Forwarded<R> = Omit<R, 'account' | 'context' | 'ext' | 'push_notification_config'>;

export type SourceProductsRequest = Forwarded<GetProductsRequest>;
/**
 * The price the storefront quoted a package at (issue 68: a quote is binding), as the storefront
 * tells its source: a kind that books quoted prices (`booksQuotedPrice`) books the package at
 * `price`; an AdCP agent is told only what AdCP carries (`bid_price`, `impressions`) and never
 * sees this. Impressions, when the model counts them, are the package's own `impressions`.
 */
export interface QuotedPrice {
  /** `fixed`: a rate the source books; `auction`: the bid it places (the buyer's, else the floor shown). */
  kind: 'fixed' | 'auction';
  pricing_model: string;
  currency: string | null;
  /** Per the model's unit (per thousand impressions for CPM). */
  price: number;
}

/** A package as the storefront sends it to a source: AdCP's, with the price it was quoted. */
export type SourcePackage = NonNullable<CreateMediaBuyRequest['packages']>[number] & {
  quoted_price?: QuotedPrice;
};

export type SourceCreateRequest = Omit<Forwarded<CreateMediaBuyRequest>, 'packages'> & {
  packages?: SourcePackage[];
};
export type SourceUpdateRequest = Forwarded<UpdateMediaBuyRequest>;
export type SourceBuysRequest = Forwarded<GetMediaBuysRequest>;
export type SourceDeliveryRequest = Forwarded<GetMediaBuyDeliveryRequest>;
export type SourceFormatsRequest = Forwarded<ListCreativeFormatsRequest>;
/** sync_creatives as a source is asked it (@adcp/sdk's SyncCreativesRequest export is the legacy v2 shape). */
export type SourceCreativesRequest = {
  creatives: CreativeAsset[];
  idempotency_key: string;
};
export type SourceFeedbackRequest = Forwarded<ProvidePerformanceFeedbackRequest>;
/** A sales-social tool's request as a source is asked it. */
export type SourceSocialRequest<R> = Forwarded<R>;

export interface InventorySource {
  readonly source: SourceIdentity;
  /** What the source says it sells and supports (channels, publisher domains, tools, specialisms); null when unknown. */
  readonly capabilities: CachedCapabilities | null;
  /**
   * How creatives reach it (seed 003): `library`, synced with sync_creatives and referenced by
   * creative_assignments; `inline`, manifests on the packages themselves.
   */
  readonly creativeTransport: 'library' | 'inline';
  /**
   * It takes a package's creatives changed by update_media_buy as it takes them on
   * create_media_buy (the storefront then declares 3.1's inline_creative_management); absent: its
   * kind takes creatives only when a buy is booked, and an update sending some is refused.
   */
  readonly inlineCreatives?: boolean;
  /**
   * It books a package at the price the storefront quoted (`SourcePackage.quoted_price`): the
   * publisher's own kinds (spreadsheets, ad servers, provider adapters). Absent: it books its own
   * price for the pricing option, so a quote unlike it is refused before anything is booked.
   */
  readonly booksQuotedPrice?: boolean;
  /**
   * Its products say the flight they run in (`ext.interchange.available`, a spreadsheet avail's
   * start and end) and it books nothing outside it: the storefront asks it to describe a buy's
   * products and refuses a package whose flight runs outside its product's before anything is
   * booked (buys/describe/flights.ts). Absent: its products' flights are its own to hold.
   */
  readonly productFlights?: boolean;
  /**
   * The kind writes into a system the publisher runs itself (an ad server): every buy routed to
   * it waits for the operator's approval, whatever the storefront's approval mode says; a
   * sandbox account's buy, which the kind writes marked and unapproved, follows the storefront's
   * mode (issue 70, item 2).
   */
  readonly holdsForApproval?: boolean;
  /**
   * Its products' publisher_properties say exactly where a buy of them serves, so the storefront
   * honours a buyer's property list over them (sources/property-lists); absent: it cannot.
   */
  readonly filtersByProperty?: boolean;
  /**
   * What it does with a package's frequency cap (sources/frequency-caps.ts); absent: the cap
   * would not reach a platform that enforces it, so the storefront refuses it.
   */
  readonly frequencyCaps?: FrequencyCapSupport;
  health(): SourceHealth;

  /** Products for a brief (or a wholesale listing), in the buyer's context. */
  getProducts(
    request: SourceProductsRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<GetProductsResponse>>;
  listCreativeFormats(
    request: SourceFormatsRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<ListCreativeFormatsResponse>>;
  /** Books the packages of a buy that are this source's; may answer with a task. */
  createMediaBuy(
    request: SourceCreateRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<CreateMediaBuyResponse>>;
  /** Changes a placed buy: budget, flight, packages, creatives, pause or resume, cancel. */
  updateMediaBuy(
    request: SourceUpdateRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<UpdateMediaBuyResponse>>;
  /** Placed buys' status, packages and creative approvals. */
  getMediaBuys(
    request: SourceBuysRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<GetMediaBuysResponse>>;
  /** Delivery and spend as the source reports it (live, or imported from its reports). */
  getMediaBuyDelivery(
    request: SourceDeliveryRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<GetMediaBuyDeliveryResponse>>;
  /** How a task the source answered with stands (SourceTask). */
  taskStatus(taskId: string, call: SourceCall): Promise<SourceAnswer<SourceTaskStatus>>;
  /** Sends creatives to a library-transport source. */
  syncCreatives(
    request: SourceCreativesRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<SyncCreativesResponse>>;
  providePerformanceFeedback(
    request: SourceFeedbackRequest,
    call: SourceCall,
  ): Promise<SourceAnswer<ProvidePerformanceFeedbackResponse>>;

  /**
   * The source's own comply_test_controller (AdCP agents that offer it), asked under the
   * buyer's account there: where the storefront seeds a sandbox buyer's fixtures that the
   * source would sell (agents/merchandising/sandbox/fixtures/seed-route.ts). Absent: the kind
   * has no controller to forward to.
   */
  testController?(
    request: Record<string, unknown>,
    call: SourceCall,
  ): Promise<SourceAnswer<Record<string, unknown>>>;

  /**
   * sales-social (capabilities.specialisms): audiences, catalogs, event sources, conversion
   * events and account financials, each present only when the source offers the tool. The
   * storefront agent offers a tool when one of its sources does, and forwards it to those
   * sources under the buyer's own account there (agents/merchandising/social).
   */
  social?: SocialTools;
}

/** The sales-social tools a source offers (InventorySource.social). */
export interface SocialTools {
  /** The buyer's accounts at the source (AdCP account references), as list_accounts answers. */
  listAccounts?(call: SourceCall): Promise<SourceAnswer<AccountReference[]>>;
  syncAudiences?(
    request: Forwarded<SyncAudiencesRequest>,
    call: SourceCall,
  ): Promise<SourceAnswer<SyncAudiencesResponse>>;
  syncCatalogs?(
    request: Forwarded<SyncCatalogsRequest>,
    call: SourceCall,
  ): Promise<SourceAnswer<SyncCatalogsResponse>>;
  logEvent?(
    request: Forwarded<LogEventRequest>,
    call: SourceCall,
  ): Promise<SourceAnswer<LogEventResponse>>;
  syncEventSources?(
    request: Forwarded<SyncEventSourcesRequest>,
    call: SourceCall,
  ): Promise<SourceAnswer<SyncEventSourcesResponse>>;
  getAccountFinancials?(
    request: Forwarded<GetAccountFinancialsRequest>,
    call: SourceCall,
  ): Promise<SourceAnswer<GetAccountFinancialsResponse>>;
}
