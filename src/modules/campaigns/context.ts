import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { SellerWrites } from '../seller-writes/index.js';
import type { AdvertisersService } from '../advertisers/index.js';
import type { BuyingAgents, DiscoveryService, SelectedProduct } from '../discovery/index.js';
import type { CampaignAudiencesPort } from './targeting/audience-config.js';
import type { CampaignCreatives } from './creatives/creatives-port.js';
import type { SellerCallDeps } from './buys/seller-calls.js';
import type { CampaignRow, MediaBuyRow } from './store.js';
import type { StatusSyncPort } from './status/sync-port.js';

export interface CampaignsDeps {
  db: Db;
  agents: BuyingAgents;
  discovery: Pick<
    DiscoveryService,
    'selectedProducts' | 'bindCampaign' | 'requireDiscovery' | 'selectionCounts'
  >;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive' | 'accounts'>;
  /** A buyer's customer domain (null: none): the operator creatives are synced under. */
  customerDomainOf: (customerId: number) => Promise<string | null>;
  /** Longest one create/update/get_media_buys call is waited for. */
  executeBudgetMs: number;
  /** Hands creatives to each agent as its buy is placed (late-bound: creatives read campaigns). */
  creatives?: () => CampaignCreatives | undefined;
  /** Status sync: the job queue's wake-ups, push-notification config and verification. */
  sync: StatusSyncPort;
  /** Writes to sellers recorded before they are sent, and their recovery (modules/seller-writes). */
  writes: SellerWrites;
  /** The principal a buyer's writes are established as when no request of its is running. */
  actAs: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  /**
   * The advertiser's audiences, for audienceConfig (targeting/audience-config.ts); absent:
   * refused.
   */
  audiences?: CampaignAudiencesPort;
  now?: () => Date;
}

/** What the campaigns service's parts share: collaborators and the owner-scoped lookups. */
export interface CampaignsContext {
  db: Db;
  deps: CampaignsDeps;
  calls: SellerCallDeps;
  /** The caller's campaign; NOT_FOUND otherwise (another customer's included). */
  requireCampaign(customerId: number, id: string): Promise<CampaignRow>;
  /** The caller's media buy; NOT_FOUND otherwise (another customer's included). */
  requireMediaBuy(customerId: number, id: string): Promise<MediaBuyRow>;
  /** The campaign's selected products (its discovery session's selections). */
  selectedOf(campaign: CampaignRow): Promise<SelectedProduct[]>;
}
