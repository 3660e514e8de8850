import type { CustomerPrincipal } from '../../../platform/principal.js';
import { finalStatuses } from '../status/statuses.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';
import type { CampaignUtmParam } from '../tables.js';

type Json = Record<string, unknown>;

/** The account id a buy is placed under when the advertiser linked none on the storefront. */
export const ownAccountId = (advertiserId: number) => `advertiser_${advertiserId}`;

/**
 * The account creatives are synced under. A linked account is the source's own id and goes as
 * is; our own fallback id means nothing to a source, and sync_creatives carries no brand for
 * the agent to resolve one from (create_media_buy does), so the reference names the account
 * the buy's brand resolves to: the brand, operated by the buyer (`operatorDomain`, its customer
 * domain; a storefront names no other operator for it), else by the brand itself.
 */
export function creativeAccountOf(
  account: Json,
  advertiserId: number,
  brandDomain: string,
  operatorDomain: string | null,
): Json {
  return account['account_id'] === ownAccountId(advertiserId)
    ? { brand: { domain: brandDomain }, operator: operatorDomain ?? brandDomain }
    : account;
}

/** One agent's order as the creatives module sees it before the buy is placed. */
export interface CreativeOrder {
  agentId: string;
  agentName: string;
  /** The account to sync creatives under (creativeAccountOf). */
  account: Json;
  /** Each package's product and the formats the product accepts (empty: any). */
  products: Array<{ productId: string; formatIds: Json[] }>;
  /** UTM params for click-through URLs (the advertiser's and the campaign's, merged). */
  utm: CreativeUtm;
}

/** What click-through URLs sent for a campaign get (utm.ts): its params and macro values. */
export interface CreativeUtm {
  params: CampaignUtmParam[];
  campaignId: string;
  advertiserId: number;
}

/**
 * The port through which execution hands a campaign's creatives to each agent (seed 003
 * transport: sync_creatives to the storefront agent, assignments on the packages). Wired in
 * services.ts over the creatives module; campaigns never import it.
 */
export interface CampaignCreatives {
  /**
   * Syncs the campaign's creatives to the agent and answers, per product id, the creative ids
   * its package is to carry. Never throws: creatives that could not be synced are left out (the
   * buy then waits for creatives at the seller).
   */
  beforeBuy(
    principal: CustomerPrincipal,
    campaign: { id: string; customerId: number; advertiserId: number },
    order: CreativeOrder,
  ): Promise<Map<string, string[]>>;
}

/**
 * A placed buy creatives may still be added to (or withdrawn from): the seller knows it, its
 * status is not final and its flight has not ended; only its packages not canceled.
 */
export interface LiveBuy {
  mediaBuyId: string;
  salesAgentId: string;
  salesAgentName: string;
  sellerMediaBuyId: string;
  /** The buy's account; creatives are synced under creativeAccountOf(account). */
  account: Json;
  creativeAccount: Json;
  /** formatIds: the product's at booking; empty when unknown or any (takes every format). */
  packages: Array<{ packageId: string; productId: string; formatIds: Json[] }>;
}

/** What creatives read of a campaign: its owner, advertiser, and the buys placed for it. */
export interface CampaignForCreatives {
  id: string;
  customerId: number;
  advertiserId: number;
  /** The advertiser's brand domain. */
  brandDomain: string;
  status: CampaignRow['status'];
  liveBuys: LiveBuy[];
  utm: CreativeUtm;
}

export function campaignForCreatives(
  campaign: CampaignRow,
  buys: MediaBuyRow[],
  brandDomain: string,
  operatorDomain: string | null,
  utmParams: CampaignUtmParam[],
  now = Date.now(),
): CampaignForCreatives {
  // A buy whose flight ended cannot serve even before status sync reads it COMPLETED.
  const serving = (b: MediaBuyRow) =>
    b.sellerMediaBuyId &&
    !finalStatuses.has(b.status) &&
    b.status !== 'FAILED' &&
    b.endTime.getTime() > now;
  return {
    id: campaign.id,
    customerId: campaign.customerId,
    advertiserId: campaign.advertiserId,
    brandDomain,
    status: campaign.status,
    utm: { params: utmParams, campaignId: campaign.id, advertiserId: campaign.advertiserId },
    liveBuys: buys.flatMap((b) =>
      serving(b) && b.sellerMediaBuyId
        ? [
            {
              mediaBuyId: b.id,
              salesAgentId: b.salesAgentId,
              salesAgentName: b.salesAgentName,
              sellerMediaBuyId: b.sellerMediaBuyId,
              account: b.account,
              creativeAccount: creativeAccountOf(
                b.account,
                campaign.advertiserId,
                brandDomain,
                operatorDomain,
              ),
              packages: b.packages.flatMap((p) =>
                p.packageId && !p.canceled
                  ? [
                      {
                        packageId: p.packageId,
                        productId: p.productId,
                        formatIds: p.formatIds ?? [],
                      },
                    ]
                  : [],
              ),
            },
          ]
        : [],
    ),
  };
}
