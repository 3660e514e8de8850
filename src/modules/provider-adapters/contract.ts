import type { GetProductsResponse, MediaChannel } from '@adcp/sdk/types';
import type { AdapterContext, ProviderAccount } from './adapter-context.js';
import type { ProviderCatalogs } from './catalogs/contract.js';
import type { ProviderName } from './providers.js';

/*
 * What a wired provider adapter implements (docs/adapters.md). The source kind
 * (source.ts) does the rest the same way for every provider: the AdCP shapes, the buyer's own
 * buys, the records that make a retry never book twice, the connection and its tokens. An
 * adapter speaks only its provider's API, through the guarded outbound client it is given,
 * with the token the connection hands it; it never stores anything.
 */

export type Product = GetProductsResponse['products'][number];

/** The AdCP reference creative agent, whose format ids adapters' products name. */
export const formatsAgentUrl = 'https://creative.adcontextprotocol.org';

/** Tokens from the provider's token endpoint; sealed at rest by the connection, never shown. */
export interface ProviderGrant {
  accessToken: string;
  /** Providers that refresh with a separate token (Google, TikTok); Meta has none. */
  refreshToken: string | null;
  /** Epoch ms; null when the provider gave no lifetime. */
  expiresAt: number | null;
  /** Epoch ms the grant was issued (refresh is planned from its lifetime). */
  issuedAt: number;
}

export type { AdapterContext, ProviderAccount } from './adapter-context.js';

/** One package of a buy, in the provider-neutral words the adapter translates. */
export interface AdapterPackage {
  packageId: string;
  productId: string;
  /** In the account's currency, major units. */
  budget: number;
  /** A bid cap per thousand impressions (auction pricing), when the buyer set one. */
  bidCpm: number | null;
  /** ISO 3166-1 alpha-2 countries. */
  countries: string[];
  /**
   * The buyer's audiences this package targets and suppresses (targeting_overlay.audience_include
   * / audience_exclude), as the provider's audience ids: resolved by the source kind from the
   * buyer's own synced audiences (buys/audiences.ts), ready at the provider. Empty: no audience.
   * Only an adapter whose social side declares `audienceTargeting` is ever given any.
   */
  audiences: { include: string[]; exclude: string[] };
  creatives: AdapterCreative[];
}

export interface AdapterCreative {
  creativeId: string;
  name: string;
  imageUrl: string | null;
  /** A video asset's URL (TikTok's feed shows video only); null without one. */
  videoUrl: string | null;
  /** An audio asset's URL (Spotify's audio ads); null without one. */
  audioUrl: string | null;
  clickUrl: string | null;
  text: string | null;
  /** An image asset named as a logo (Amazon's off-Amazon display ads need one); null without. */
  logoUrl?: string | null;
}

export interface AdapterBuy {
  /** Our media buy id, named in the provider's objects so they can be found again. */
  buyId: string;
  name: string;
  startTime: Date;
  endTime: Date;
  packages: AdapterPackage[];
}

/**
 * What the provider made for a buy, saved after each object so a retry resumes instead of
 * creating it twice: the campaign, and per package its ad set (ad group) and ads.
 */
export interface ProviderRefs {
  campaignId?: string;
  packages: Record<string, { adSetId?: string; adIds: Record<string, string> }>;
  /**
   * Objects whose create may have been sent without its answer reaching us
   * (shared/buy-objects.ts): written before the create is sent, looked up by name before it is
   * sent again.
   */
  pending?: string[];
}

/** A validated budget and flight change: only what changes is named. */
export interface BuyChange {
  budgets: Map<string, number>;
  startTime?: Date;
  endTime?: Date;
  /** The whole buy once changed (a provider budgeting per campaign recomputes from it). */
  after: { startTime: Date; endTime: Date; packages: Array<{ packageId: string; budget: number }> };
}

export type ProviderBuyStatus = 'active' | 'paused' | 'completed' | 'canceled' | 'pending_start';

export interface PackageDelivery {
  packageId: string;
  impressions: number;
  clicks: number;
  /** Major units of the account's currency. */
  spend: number;
}

export interface ProviderOAuth {
  /** The provider's consent URL for this state (PKCE where the provider supports it). */
  authorizationUrl(input: { state: string; redirectUri: string; codeChallenge: string }): string;
  /** Exchanges the code; a provider with short-lived tokens returns its long-lived one. */
  exchangeCode(input: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<ProviderGrant>;
  /** A fresh grant before the current one expires. */
  refresh(grant: ProviderGrant): Promise<ProviderGrant>;
  /** Withdraws the grant at the provider (disconnect); best effort. */
  revoke(grant: ProviderGrant): Promise<void>;
}

export interface ProviderAdapter {
  readonly provider: ProviderName;
  /**
   * It speaks to the sandbox's local fake of the provider (INTERCHANGE_SANDBOX_PROVIDERS;
   * shared/sandbox-mark.ts): nothing it books is real. Absent: its buys are real campaigns.
   */
  readonly sandbox?: true;
  readonly oauth: ProviderOAuth;
  /** The creative formats its products take (ids on the AdCP reference creative agent). */
  readonly formatIds: readonly string[];
  /** The AdCP channels its products sell, announced in the source's capabilities too. */
  readonly channels: readonly MediaChannel[];
  /** Ad accounts the grant can buy in, for the operator to choose from after consent. */
  accounts(accessToken: string): Promise<ProviderAccount[]>;
  /** Provider-specific settings read after consent (Meta: the Page ads run as); non-secret. */
  settingsAfterConsent(accessToken: string): Promise<Record<string, unknown>>;
  /** What the account can buy (placements, formats, geos) as AdCP products for a brief. */
  products(ctx: AdapterContext, brief: string | undefined): Promise<Product[]>;
  /** Creates the provider's objects for the buy, resuming from `refs`; saves each via `save`. */
  createBuy(
    ctx: AdapterContext,
    buy: AdapterBuy,
    refs: ProviderRefs,
    save: (refs: ProviderRefs) => Promise<void>,
  ): Promise<ProviderRefs>;
  setPaused(ctx: AdapterContext, refs: ProviderRefs, paused: boolean): Promise<void>;
  /**
   * Changes a booked buy's budgets and flight at the provider (buys/changes.ts validated them):
   * the packages' new lifetime budgets (major units, by package id) and the buy's new flight.
   * Absent: budgets and flight are fixed once booked, and a change is refused by name.
   */
  changeBuy?(ctx: AdapterContext, refs: ProviderRefs, change: BuyChange): Promise<void>;
  cancel(ctx: AdapterContext, refs: ProviderRefs): Promise<void>;
  status(ctx: AdapterContext, refs: ProviderRefs): Promise<ProviderBuyStatus>;
  /** Audiences and conversion events (sales-social), for providers that have them. */
  readonly social?: ProviderSocial;
  /** Product catalogs (sales-social sync_catalogs), for providers that keep them. */
  readonly catalogs?: ProviderCatalogs;
  /** Delivery per package over the period (the provider's reporting). */
  delivery(
    ctx: AdapterContext,
    refs: ProviderRefs,
    period: { start: Date; end: Date },
  ): Promise<PackageDelivery[]>;
}

/** One person in a customer list: SHA-256 hex digests as AdCP carries them, and device ids. */
export interface HashedMember {
  email: string | null;
  phone: string | null;
  /** A mobile advertising id (IDFA / GAID), as the provider matches it. */
  maid: string | null;
}

/** A conversion event in provider-neutral words (AdCP log_event, identifiers already hashed). */
export interface ProviderEvent {
  eventId: string;
  /** The provider's event name (its standard name, or the buyer's custom one). */
  name: string;
  /** Epoch seconds. */
  time: number;
  actionSource: string;
  sourceUrl: string | null;
  user: {
    emails: string[];
    phones: string[];
    clientIp: string | null;
    userAgent: string | null;
    clickId: string | null;
  };
  value: number | null;
  currency: string | null;
  orderId: string | null;
  contentIds: string[];
}

/** A customer-list audience as the provider reports it. */
export interface ProviderAudienceState {
  status: 'processing' | 'ready' | 'too_small';
  /** The provider's (approximate) matched size, when it tells. */
  matched: number | null;
}

/**
 * Audience targeting as a provider takes it (AdCP media_buy.audience_targeting): the identifiers
 * its customer lists match, and the matched size from which it targets one.
 */
export interface ProviderAudienceTargeting {
  identifierTypes: Array<'hashed_email' | 'hashed_phone'>;
  /** Universal ids it matches (a mobile ad id: `maid`). */
  uidTypes: Array<'maid'>;
  minimumSize: number;
}

/**
 * The sales-social side of a provider (docs/adapters.md, "Audiences and conversion events"):
 * customer-list audiences and conversion event sources in the connected account. Every object
 * is named by the caller (`name`), so a create whose answer was lost is found again by name
 * instead of made twice. The source kind (src/source-kinds/provider/social.ts) keeps which buyer owns what.
 */
export interface ProviderSocial {
  /**
   * Makes the audience; with `membersAtCreate`, from its first members (`initial`: a provider
   * that cannot make an empty list, as Pinterest's customer lists), which are then not sent again.
   */
  createAudience(
    ctx: AdapterContext,
    input: { name: string; description: string | null; initial: HashedMember[] },
  ): Promise<string>;
  readonly membersAtCreate: boolean;
  /**
   * Present when the adapter's buys target the buyer's audiences (its ad sets take
   * `AdapterPackage.audiences`); the source then declares audience_targeting. Absent: audiences
   * are synced but a package naming one is refused (UNSUPPORTED_FEATURE), never booked broader.
   */
  readonly audienceTargeting?: ProviderAudienceTargeting;
  findAudience(ctx: AdapterContext, name: string): Promise<string | null>;
  /** Adds, then removes, members (each call at most the provider's batch size). */
  changeMembers(
    ctx: AdapterContext,
    audienceId: string,
    change: { add: HashedMember[]; remove: HashedMember[] },
  ): Promise<void>;
  deleteAudience(ctx: AdapterContext, audienceId: string): Promise<void>;
  audienceState(ctx: AdapterContext, audienceId: string): Promise<ProviderAudienceState>;
  createEventSource(ctx: AdapterContext, name: string): Promise<string>;
  findEventSource(ctx: AdapterContext, name: string): Promise<string | null>;
  /** Sends events to the event source; the provider deduplicates them by event id. */
  sendEvents(
    ctx: AdapterContext,
    eventSourceId: string,
    events: ProviderEvent[],
    testCode: string | null,
  ): Promise<{ received: number }>;
  /**
   * How old (seconds) an event may be when sent; the provider refuses a whole batch holding an
   * older one (Meta: 7 days), so such events are reported apart instead. Null: no limit.
   */
  readonly eventWindowSeconds: number | null;
  /** The provider's name for an AdCP event type; null when it has none (sent as custom). */
  eventName(type: string): string | null;
  /**
   * Why the provider would refuse this event (Snap: an app event at a pixel, a purchase without
   * value and currency), reported apart like an event too old; null or absent: it is sent.
   */
  refuseEvent?(event: ProviderEvent): string | null;
}
