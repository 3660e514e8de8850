import type { PropertyProfilesService } from '../../modules/property-profiles/index.js';
import type { BuyerInstructionsService } from '../../modules/buyer-instructions/index.js';
import type { CreativeRecords } from '../../modules/creative-reviews/index.js';
import type { DiscoveryRunsService } from '../../modules/discovery-runs/index.js';
import type { ProductCheckReport } from '../../modules/inventory-sources/index.js';
import type { OperatingInstructionsService } from '../../modules/operating-instructions/index.js';
import type { MediaBuyRecords } from '../../modules/orders/index.js';
import type { SellerAnalyticsService } from '../../modules/seller-analytics/index.js';
import type { SellerWrites } from '../../modules/seller-writes/index.js';
import type { RateCardsService } from '../../modules/rate-cards/index.js';
import type { ProposalsService } from '../../modules/proposals/index.js';
import type { BriefRewriter } from '../../sources/brief-rewrite/index.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { FixtureHolders } from '../../modules/account-notifications/index.js';
import type { PublisherGate } from './products/authorized.js';
import type { LinkGate } from './link-gate.js';
import type { SourceRegistry } from '../../source-kinds/registry.js';
import type { PropertyListResolver } from '../../sources/property-lists/index.js';
import type { Product } from './types.js';
import type { GovernanceGate } from '../adcp31/governance/index.js';
import type { CreativeVerifier } from './creatives/provenance/verifier.js';
import type { AuditObservations } from './creatives/provenance/audit-observations.js';
import type { CreativeLifecycle } from './feed-webhooks/creative-lifecycle.js';

/** The operator's product rules, as the agent applies them (see modules/product-rules). */
export interface ProductRulesDoor {
  shape(storefrontId: number, products: Product[]): Promise<Product[]>;
}

/** What the Merchandising Agent needs of the rest of Interchange: modules' doors only. */
export interface MerchandisingDeps {
  /** The storefront's inventory sources, of every kind, behind the source port. */
  sources: SourceRegistry;
  buyerInstructions: Pick<BuyerInstructionsService, 'resolve'>;
  mediaBuys: MediaBuyRecords;
  /** The creatives buyers synced, per buyer, with their review state (modules/creative-reviews). */
  creativeReviews: CreativeRecords;
  discoveryRuns: Pick<
    DiscoveryRunsService,
    'record' | 'latestShowing' | 'packagesShown' | 'quotesShown'
  >;
  productRules?: ProductRulesDoor;
  /** The seller's profiles of its sites (countries, audience, content); none: not read. */
  propertyProfiles?: Pick<PropertyProfilesService, 'profilesOf'>;
  /** The seller's rate card; none: prices are the sources' after rules and discount. */
  rateCards?: Pick<RateCardsService, 'rateCardOf'>;
  /**
   * The proposals get_products answers for a brief with a budget and a flight, kept so
   * create_media_buy with a proposal_id books them; none: no proposals are answered.
   */
  proposals?: Pick<ProposalsService, 'issue' | 'openCode' | 'bookable' | 'redeemed' | 'finalize'>;
  /** The operator's language model reading a brief into the matcher's ask; none: not used. */
  briefRewriter?: BriefRewriter;
  /** The posture the active operating instructions pin; it wins over history's. */
  operatingInstructions?: Pick<OperatingInstructionsService, 'pinnedPosture'>;
  /** The posture seller analytics recommends for a buyer; without it, no posture applies. */
  postures?: Pick<SellerAnalyticsService, 'postureFor'>;
  /** Where each run's left-out products and reasons are recorded; none: not recorded. */
  leftOut?: Pick<SellerAnalyticsService, 'recordRunLeftOut'>;
  /** Publisher authorization under the strict policy; none: every product is offered. */
  publisherGate?: PublisherGate;
  /** Calls from storefronts selling this one, admitted through their links; none: no gate. */
  links?: LinkGate;
  /** Sandbox accounts' seeded inventory, sold by the storefront itself. */
  sandbox: Sandbox;
  /**
   * Which source holds each sandbox buyer's seeded product (sandbox/fixtures/seed-route.ts);
   * none: kept in this process only.
   */
  fixtureHolders?: FixtureHolders;
  /** Writes to sources recorded before they are sent, and their recovery (buys/source-writes.ts). */
  writes: SellerWrites;
  /** Resolves buyers' AdCP 3.1 property lists at their agents; none: a list is refused. */
  propertyLists?: PropertyListResolver;
  /** Upper bound on one source's answer to one discovery call (auth included); default 4000. */
  sourceBudgetMs?: number;
  /** Upper bound on one source's answer to a media-buy call; default 15000. */
  transactBudgetMs?: number;
  /**
   * Told what each source's answer showed of its products (invalid ones are left out of it):
   * the seller's record (inventory-sources' product issues); none: nothing is recorded.
   */
  noteProductCheck?: (report: ProductCheckReport) => Promise<void>;
  /** Buyers' governance agents, asked before a buy moves money (adcp31/governance); none: not offered. */
  governance?: GovernanceGate;
  /** The creative policies' accepted verifiers, asked a claim's truth; none: not asked. */
  creativeVerifier?: CreativeVerifier;
  /** Where verifiers' audit observations are kept (the controller reads them); none: dropped. */
  auditObservations?: AuditObservations;
  /** 3.1's creative.status_changed webhooks and their activity log; none: nothing fires. */
  creativeLifecycle?: CreativeLifecycle;
  /** Work done beside a buyer's call (diagnostics) that failed; logged, never the buyer's. */
  onError?: (error: unknown, context: string) => void;
}

export const defaultSourceBudgetMs = 4_000;
export const defaultTransactBudgetMs = 15_000;
