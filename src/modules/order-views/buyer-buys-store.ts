import { and, count, desc, eq, not, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { campaignMediaBuysRead, storefrontMediaBuysRead, storefrontsRead } from './read-tables.js';
import { refusedAttempt } from './store.js';

/*
 * A buyer's media buys, whatever surface made them. Its campaigns' buys are the campaigns
 * module's records; a buy it placed straight on a storefront's agent (MCP or A2A, with its own
 * key) is recorded on the storefront side alone (storefront_media_buys). Both are read here:
 * the campaign buys as campaigns keep them, and the storefront buys no campaign placed (a
 * campaign's buy on a storefront is both: listed once, as the campaign's), refused attempts
 * left out (no buy exists).
 */

const placedByCampaign = sql<boolean>`exists (select 1 from ${campaignMediaBuysRead}
  where ${campaignMediaBuysRead.customerId} = ${storefrontMediaBuysRead.buyerCustomerId}
    and ${campaignMediaBuysRead.storefrontId} = ${storefrontMediaBuysRead.storefrontId}
    and ${campaignMediaBuysRead.sellerMediaBuyId} = ${storefrontMediaBuysRead.mediaBuyId})`;

const directOf = (customerId: number, mediaBuyId?: string) =>
  and(
    eq(storefrontMediaBuysRead.buyerCustomerId, customerId),
    not(refusedAttempt),
    not(placedByCampaign),
    mediaBuyId === undefined ? undefined : eq(storefrontMediaBuysRead.mediaBuyId, mediaBuyId),
  );

const campaignOf = (customerId: number, mediaBuyId?: string) =>
  and(
    eq(campaignMediaBuysRead.customerId, customerId),
    mediaBuyId === undefined ? undefined : eq(campaignMediaBuysRead.id, mediaBuyId),
  );

/**
 * The newest `limit` of each kind of the buyer's buys, and how many of each there are; with
 * `mediaBuyId`, that one buy alone (the id a list row and the AdCP agent both name it by).
 */
export async function buyerBuysOf(db: Db, customerId: number, limit: number, mediaBuyId?: string) {
  const [direct, campaign, [directCount], [campaignCount]] = await Promise.all([
    db
      .select({
        buy: storefrontMediaBuysRead,
        storefrontName: storefrontsRead.name,
        storefrontCurrency: storefrontsRead.defaultCurrency,
      })
      .from(storefrontMediaBuysRead)
      .leftJoin(storefrontsRead, eq(storefrontsRead.id, storefrontMediaBuysRead.storefrontId))
      .where(directOf(customerId, mediaBuyId))
      .orderBy(desc(storefrontMediaBuysRead.createdAt), desc(storefrontMediaBuysRead.id))
      .limit(limit),
    db
      .select({ buy: campaignMediaBuysRead, storefrontName: storefrontsRead.name })
      .from(campaignMediaBuysRead)
      .leftJoin(storefrontsRead, eq(storefrontsRead.id, campaignMediaBuysRead.storefrontId))
      .where(campaignOf(customerId, mediaBuyId))
      .orderBy(desc(campaignMediaBuysRead.createdAt), desc(campaignMediaBuysRead.id))
      .limit(limit),
    db.select({ n: count() }).from(storefrontMediaBuysRead).where(directOf(customerId, mediaBuyId)),
    db.select({ n: count() }).from(campaignMediaBuysRead).where(campaignOf(customerId, mediaBuyId)),
  ]);
  return {
    direct,
    campaign,
    total: Number(directCount?.n ?? 0) + Number(campaignCount?.n ?? 0),
  };
}

export type DirectRow = Awaited<ReturnType<typeof buyerBuysOf>>['direct'][number];
export type CampaignRow = Awaited<ReturnType<typeof buyerBuysOf>>['campaign'][number];
