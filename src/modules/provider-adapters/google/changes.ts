import type { AdapterContext, BuyChange, ProviderRefs } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { GoogleAdsApi } from './api.js';
import { callerOf, campaignName } from './buy.js';
import { accountTime, budgetMicros } from './placements.js';

/*
 * A booked buy's budget and flight change at Google Ads. Ad groups have no budget of their own
 * there: the campaign's daily budget is the packages' total spread over the flight, as at
 * booking, so it is recomputed from the buy as changed and the campaign's budget updated
 * (campaignBudgetOperation, updateMask amountMicros); a new flight moves the campaign's
 * start and end in the account's time zone (campaignOperation, updateMask startDateTime /
 * endDateTime). Both go in one atomic mutate.
 */
export async function changeGoogleBuy(
  api: GoogleAdsApi,
  ctx: AdapterContext,
  refs: ProviderRefs,
  change: BuyChange,
): Promise<void> {
  if (!refs.campaignId) return;
  const caller = callerOf(ctx);
  const [row] = await api.search(
    caller,
    `SELECT campaign.campaign_budget FROM campaign WHERE campaign.id = ${Number(refs.campaignId)}`,
    1,
  );
  const budget = row?.campaign?.campaignBudget;
  if (typeof budget !== 'string' || !budget) {
    throw new ProviderError('INVALID_REQUEST', 'Google Ads has no budget for this campaign');
  }
  const { after } = change;
  const total = after.packages.reduce((sum, p) => sum + p.budget, 0);
  const days = Math.max(
    1,
    Math.ceil((after.endTime.getTime() - after.startTime.getTime()) / 86_400_000),
  );
  const operations: Array<Record<string, unknown>> = [
    {
      campaignBudgetOperation: {
        update: { resourceName: budget, amountMicros: budgetMicros(total / days) },
        updateMask: 'amountMicros',
      },
    },
  ];
  if (change.startTime || change.endTime) {
    const [customer] = await api.search(caller, 'SELECT customer.time_zone FROM customer', 1);
    const timeZone = String(customer?.customer?.timeZone ?? 'UTC');
    const flight = {
      ...(change.startTime && { startDateTime: accountTime(change.startTime, timeZone, false) }),
      ...(change.endTime && { endDateTime: accountTime(change.endTime, timeZone, true) }),
    };
    operations.push({
      campaignOperation: {
        update: { resourceName: campaignName(caller, refs.campaignId), ...flight },
        updateMask: Object.keys(flight).join(','),
      },
    });
  }
  await api.mutate(caller, operations);
}
