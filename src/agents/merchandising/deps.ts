import type { UpstreamClient } from '../../upstream/index.js';
import type { AccountBindingsService } from '../../modules/account-bindings/index.js';
import type { BuyerAccessService } from '../../modules/buyer-access/index.js';
import type { BuyerInstructionsService } from '../../modules/buyer-instructions/index.js';
import type { DiscoveryRunsService } from '../../modules/discovery-runs/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import type { MediaBuyRecords } from '../../modules/media-buys/index.js';
import type { SellerAnalyticsService } from '../../modules/seller-analytics/index.js';
import type { SellerWrites } from '../../modules/seller-writes/index.js';
import type { Sandbox } from './sandbox.js';
import type { SourceAnswerCache } from './source-answer-cache.js';
import type { Product } from './types.js';

/** The operator's product rules, as the agent applies them (see modules/product-rules). */
export interface ProductRulesDoor {
  shape(storefrontId: number, products: Product[]): Promise<Product[]>;
}

/** What the Merchandising Agent needs of the rest of Interchange: modules' doors only. */
export interface MerchandisingDeps {
  inventorySources: Pick<InventorySourcesService, 'rowsOf' | 'operatorAuthOf' | 'noteCallError'>;
  buyerAccess: Pick<
    BuyerAccessService,
    'upstreamAuthFor' | 'registeredAccountAt' | 'authenticatedAt'
  >;
  /**
   * Which buyer a `{brand, operator}` account at a seller agent belongs to: the account sources
   * are asked with must be the calling buyer's (upstream-account.ts).
   */
  accountBindings: Pick<AccountBindingsService, 'claim'>;
  /** A buyer's domain, for the account sources are asked with (upstream-account.ts). */
  identity: Pick<IdentityService, 'customerDomainOf'>;
  buyerInstructions: Pick<BuyerInstructionsService, 'resolve'>;
  /**
   * Whether a buyer linked this source account to one of its advertisers (advertisers module):
   * such an account_id is the source's own and is forwarded as given (upstream-account.ts).
   */
  linkedAccounts?: {
    isLinked(
      customerId: number,
      storefrontId: number,
      sourceId: string,
      accountId: string,
    ): Promise<boolean>;
  };
  mediaBuys: MediaBuyRecords;
  discoveryRuns: Pick<DiscoveryRunsService, 'record' | 'latestShowing' | 'packagesShown'>;
  productRules?: ProductRulesDoor;
  /** The posture seller analytics recommends for a buyer; without it, no posture applies. */
  postures?: Pick<SellerAnalyticsService, 'postureFor'>;
  upstream: Pick<UpstreamClient, 'callTool'>;
  /** Sandbox accounts' seeded inventory, sold by the storefront itself. */
  sandbox: Sandbox;
  /** Writes to sources recorded before they are sent, and their recovery (modules/seller-writes). */
  writes: SellerWrites;
  /** Buyers' recent get_products answers per source (source-answer-cache.ts); none: not reused. */
  sourceAnswers?: SourceAnswerCache;
  /** Upper bound on one source's answer to one discovery call (auth included); default 4000. */
  sourceBudgetMs?: number;
  /** Upper bound on one source's answer to a media-buy call; default 15000. */
  transactBudgetMs?: number;
  /** Work done beside a buyer's call (diagnostics) that failed; logged, never the buyer's. */
  onError?: (error: unknown, context: string) => void;
}

export const defaultSourceBudgetMs = 4_000;
export const defaultTransactBudgetMs = 15_000;
