import type { Db } from '../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { AdvertisersService } from '../advertisers/index.js';
import { customerDomainMissing, customerDomainMissingText } from '../identity/index.js';
import { domainIssue } from './answer-notes.js';
import type { BuyingAgents } from './agents-port.js';
import type { CampaignRefs } from './campaigns-port.js';
import * as store from './store.js';
import type { DiscoveryRow, SelectionRow } from './store.js';
import type { DiscoveredProduct } from './tables.js';

export interface DiscoveryDeps {
  db: Db;
  agents: BuyingAgents;
  advertisers: Pick<AdvertisersService, 'requireActive' | 'accounts'>;
  /** The buyer's customer domain (null: none), which names it as operator at sources. */
  customerDomainOf: (customerId: number) => Promise<string | null>;
  /** The caller's campaigns a body names (campaigns' reader over its table; none: not found). */
  campaigns?: CampaignRefs;
  /**
   * The storefront a proposal code (discoverProducts proposalCode) was issued on for this
   * buyer; throws not found (unknown, another buyer's) or PROPOSAL_EXPIRED. None: codes are
   * not found.
   */
  proposalCodes?: {
    storefrontOfCode(
      code: string,
      caller: { customerId: number; brandDomain: string | null },
    ): Promise<number>;
  };
  /**
   * Told each time a round of a session is recorded (hosted's `discovery.revision` webhook
   * event); never fails the discovery.
   */
  onRevision?: (customerId: number, revision: DiscoveryRevision) => Promise<void>;
  /** Longest one agent is waited for in a discovery. */
  agentBudgetMs: number;
  /** Longest a whole discovery waits for its agents. */
  totalBudgetMs: number;
}

/** What a recorded round of a discovery session tells its buyer's webhooks. */
export interface DiscoveryRevision {
  discoveryId: string;
  advertiserId: string;
  campaignId: string | null;
  revision: number;
  resultsComplete: boolean;
  respondedStorefrontCount: number;
  totalStorefrontCount: number;
  productCount: number;
}

/** A selected product with everything execution books it from (a frozen copy of the offer). */
export interface SelectedProduct {
  selection: SelectionRow;
  agentName: string;
  product: DiscoveredProduct;
}

/** What the discovery service's parts share: collaborators and the owner-scoped lookups. */
export type DiscoveryContext = ReturnType<typeof discoveryContext>;

export function discoveryContext(deps: DiscoveryDeps) {
  const { db } = deps;

  /**
   * The caller's campaign a body names, for `advertiserId`: another customer's or an unknown
   * one is NOT_FOUND (naming the field), one of another advertiser a 400.
   */
  async function requireCampaign(
    customerId: number,
    campaignId: string,
    advertiserId: number,
    field = 'campaignId',
  ) {
    const campaign = await deps.campaigns?.campaignOf(customerId, campaignId);
    if (!campaign) throw new AppError('not_found', 'Campaign not found', { field });
    if (campaign.advertiserId !== advertiserId) {
      throw invalid('The campaign belongs to another advertiser', field);
    }
    return campaign;
  }

  async function requireDiscovery(customerId: number, id: string): Promise<DiscoveryRow> {
    const row = await store.findDiscovery(db, customerId, id);
    if (!row) throw notFound('Discovery');
    return row;
  }

  /**
   * A page with, on top, what keeps the buyer from seeing products (no customer domain: most
   * sources answer nothing), so an empty answer is never silent.
   */
  async function withNotices<T extends { connectionIssues: object[] }>(
    customerId: number,
    page: T,
  ) {
    if (await deps.customerDomainOf(customerId)) return page;
    return {
      ...page,
      guidance: customerDomainMissingText,
      warnings: [{ ...customerDomainMissing }],
      connectionIssues: [domainIssue, ...page.connectionIssues],
    };
  }

  return { db, deps, requireCampaign, requireDiscovery, withNotices };
}
