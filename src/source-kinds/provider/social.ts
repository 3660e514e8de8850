import type { GetAccountFinancialsRequest, GetAccountFinancialsResponse } from '@adcp/sdk/types';
import type {
  SocialTools,
  SourceAnswer,
  SourceCall,
  SourceSocialRequest,
} from '../../modules/inventory-sources/index.js';
import {
  buyerOf,
  buysOfBuyer,
  type BuyScope,
  logEvent,
  ProviderError,
  type ProviderSocial,
  syncAudiences,
  syncEventSources,
} from '../../modules/provider-adapters/index.js';
import { cents } from '../../sources/money.js';

/*
 * The sales-social tools of an adapter source (InventorySource.social), for providers whose
 * adapter has a social side: audiences and conversion events in the connected account, each
 * the calling buyer's own, and the buyer's account financials at this source.
 */

/** Runs a tool's work in the connection's scope, with its provider's social side. */
type InScope = <T>(
  work: (scope: BuyScope, social: ProviderSocial) => Promise<T>,
) => Promise<SourceAnswer<T>>;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * get_account_financials: what the buyer spent through this source over the period, read from
 * the provider's reporting for the buyer's own buys. The connected ad account's balance and
 * credit are the operator's, not the buyer's, so they are never told.
 */
async function accountFinancials(
  scope: BuyScope,
  request: SourceSocialRequest<GetAccountFinancialsRequest>,
  call: SourceCall,
): Promise<GetAccountFinancialsResponse> {
  const buyer = buyerOf(call);
  const today = dayOf(scope.now());
  const start = request.period?.start ?? `${today.slice(0, 8)}01`;
  const end = request.period?.end ?? today;
  if (!dayPattern.test(start) || !dayPattern.test(end) || start > end) {
    throw new ProviderError('INVALID_REQUEST', 'period takes start ≤ end as YYYY-MM-DD dates');
  }
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T23:59:59.999Z`);
  const buys = (await buysOfBuyer(scope.db, scope.row.id, buyer)).filter(
    (b) => b.status !== 'pending' && b.startTime <= to && b.endTime >= from,
  );
  let total = 0;
  for (const buy of buys) {
    const period = {
      start: buy.startTime > from ? buy.startTime : from,
      end: buy.endTime < to ? buy.endTime : to,
    };
    const rows = await scope.adapter.delivery(scope.ctx, buy.refs, period);
    total += rows.reduce((sum, r) => sum + r.spend, 0);
  }
  return {
    currency: scope.ctx.account.currency ?? buys[0]?.currency ?? 'USD',
    period: { start, end },
    timezone: 'UTC',
    spend: { total_spend: cents(total), media_buy_count: buys.length },
  } as GetAccountFinancialsResponse;
}

export function adapterSocialTools(inScope: InScope): SocialTools {
  return {
    syncAudiences: (request, call) =>
      inScope((scope, social) => syncAudiences(social, scope, request, call)),
    syncEventSources: (request, call) =>
      inScope((scope, social) => syncEventSources(social, scope, request, call)),
    logEvent: (request, call) => inScope((scope, social) => logEvent(social, scope, request, call)),
    getAccountFinancials: (request, call) =>
      inScope((scope) => accountFinancials(scope, request, call)),
  };
}
