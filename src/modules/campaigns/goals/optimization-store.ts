import { and, asc, eq, gt, isNotNull, isNull, lt, notInArray } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { campaignMediaBuys, campaigns } from '../tables.js';

/*
 * The reads of optimisation suggestions and performance feedback (goals/optimization-port.ts):
 * buys of campaigns with a performanceConfig, each with its campaign.
 */

/**
 * ACTIVE buys placed at a seller, no write in doubt, whose campaign has goals, in id order after
 * `afterId` (a sweep pages through them).
 */
export async function activeGoalBuys(db: Db, afterId: string, limit: number) {
  return db
    .select({ buy: campaignMediaBuys, campaign: campaigns })
    .from(campaignMediaBuys)
    .innerJoin(campaigns, eq(campaigns.id, campaignMediaBuys.campaignId))
    .where(
      and(
        eq(campaignMediaBuys.status, 'ACTIVE'),
        isNotNull(campaignMediaBuys.sellerMediaBuyId),
        isNull(campaignMediaBuys.pendingWrite),
        isNotNull(campaigns.performanceConfig),
        gt(campaignMediaBuys.id, afterId),
      ),
    )
    .orderBy(asc(campaignMediaBuys.id))
    .limit(limit);
}

/**
 * Buys booked at a seller (never DRAFT, FAILED or REJECTED) whose campaign has goals and whose
 * flight overlaps [start, end), in id order after `afterId`, with the campaign's goals.
 */
export async function placedGoalBuys(
  db: Db,
  during: { start: Date; end: Date },
  afterId: string,
  limit: number,
) {
  return db
    .select({ buy: campaignMediaBuys, goals: campaigns.performanceConfig })
    .from(campaignMediaBuys)
    .innerJoin(campaigns, eq(campaigns.id, campaignMediaBuys.campaignId))
    .where(
      and(
        isNotNull(campaignMediaBuys.sellerMediaBuyId),
        notInArray(campaignMediaBuys.status, ['DRAFT', 'FAILED', 'REJECTED']),
        isNotNull(campaigns.performanceConfig),
        lt(campaignMediaBuys.startTime, during.end),
        gt(campaignMediaBuys.endTime, during.start),
        gt(campaignMediaBuys.id, afterId),
      ),
    )
    .orderBy(asc(campaignMediaBuys.id))
    .limit(limit);
}

/** The customer's buy with its campaign; undefined when not theirs or gone. */
export async function goalBuyOf(db: Db, customerId: number, mediaBuyId: string) {
  const [row] = await db
    .select({ buy: campaignMediaBuys, campaign: campaigns })
    .from(campaignMediaBuys)
    .innerJoin(campaigns, eq(campaigns.id, campaignMediaBuys.campaignId))
    .where(columnsEqual(campaignMediaBuys, { id: mediaBuyId, customerId }));
  return row;
}
