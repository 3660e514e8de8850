import type { AdcpMediaBuyStatus } from '@adcp/sdk/server';
import {
  TestControllerError,
  type ForceAdapter,
  type ComplyControllerConfig,
  type ForceAccountStatusParams,
  type ForceMediaBuyStatusParams,
  type SimulateBudgetSpendParams,
} from '@adcp/sdk/testing';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { type AccountBook, sandboxOfRecord } from '../accounts/store.js';
import type { AccountStatus } from './sandbox.js';
import { sandboxAccount, sandboxSourceId } from './source.js';

/** What a force scenario answers (comply-test-controller-response.json's transition arm). */
type StateTransitionSuccess = Awaited<ReturnType<ForceAdapter<ForceMediaBuyStatusParams>>>;

/**
 * comply_test_controller's state scenarios on the caller's own sandbox (deterministic_testing):
 * a media buy's status and a simulated spend on the sandbox book that sold it, a sandbox
 * account's status (a creative's status in the caller's library is answered ahead of the SDK:
 * creative-states.ts). Another
 * buyer's object is NOT_FOUND; one of the caller's that is live (a buy some real source holds,
 * an account not declared sandbox) is FORBIDDEN: the controller never touches live state.
 */
export function stateAdapters(
  deps: MerchandisingDeps,
  book: Pick<AccountBook, 'findAccount'> | undefined,
): Pick<ComplyControllerConfig, 'force' | 'simulate'> & {
  force: NonNullable<ComplyControllerConfig['force']>;
  simulate: NonNullable<ComplyControllerConfig['simulate']>;
} {
  return {
    force: {
      media_buy_status: (params) => forceMediaBuyStatus(deps, params),
      account_status: (params) => forceAccountStatus(deps, book, params),
    },
    simulate: {
      budget_spend: (params) => simulateBudgetSpend(deps, params),
    },
  };
}

/** A buy's part on the caller's sandbox book: the book's scope and its id of the buy there. */
export interface BookPart {
  scope: string;
  upstreamMediaBuyId: string;
  row: MediaBuyRow;
}

/**
 * The caller's buy `mediaBuyId` as the sandbox book holds it: NOT_FOUND when the caller has no
 * such buy on this storefront, FORBIDDEN when a real source holds any part of it (a sandbox
 * account's buy held at several places is split among them first: fixtures/buy-route.ts).
 */
export async function sandboxBuyOf(deps: MerchandisingDeps, mediaBuyId: string): Promise<BookPart> {
  const { storefront, principal } = agentRequest();
  const row = await deps.mediaBuys.findRecord(storefront.id, mediaBuyId);
  if (!row || row.buyerCustomerId !== principal.customerId) {
    throw new TestControllerError('NOT_FOUND', `No media buy ${mediaBuyId} of yours here`);
  }
  const part = bookPartOf(row);
  if (!part || (row.forwardResult ?? []).some((l) => l.sourceId !== sandboxSourceId)) {
    throw new TestControllerError(
      'FORBIDDEN',
      `Media buy ${mediaBuyId} is not a sandbox buy: the test controller changes sandbox buys only`,
    );
  }
  return part;
}

/** The part of the caller's buy `row` the sandbox book holds, if it holds one. */
export function bookPartOf(row: MediaBuyRow): BookPart | undefined {
  const { storefront, principal } = agentRequest();
  const leg = (row.forwardResult ?? []).find((l) => l.sourceId === sandboxSourceId);
  if (!leg?.upstreamMediaBuyId) return undefined;
  return {
    scope: sandboxScope(storefront.id, principal.customerId),
    upstreamMediaBuyId: leg.upstreamMediaBuyId,
    row,
  };
}

async function forceMediaBuyStatus(
  deps: MerchandisingDeps,
  params: ForceMediaBuyStatusParams,
): Promise<StateTransitionSuccess> {
  return forceBookPart(deps, await sandboxBuyOf(deps, params.media_buy_id), params);
}

/** force_media_buy_status on the book's part of a buy. */
export async function forceBookPart(
  deps: Pick<MerchandisingDeps, 'sandbox'>,
  { scope, upstreamMediaBuyId }: BookPart,
  params: ForceMediaBuyStatusParams,
): Promise<StateTransitionSuccess> {
  const book = deps.sandbox.bookOf(scope);
  if (!book) throw new TestControllerError('NOT_FOUND', `No sandbox buy ${params.media_buy_id}`);
  const status = params.status as AdcpMediaBuyStatus;
  const { previous, moved } = await book.force(sandboxAccount, upstreamMediaBuyId, status);
  if (!moved) {
    throw new TestControllerError(
      'INVALID_TRANSITION',
      `Media buy ${params.media_buy_id} is ${previous}, a final status`,
      previous,
    );
  }
  return { success: true, previous_state: previous, current_state: status };
}

async function forceAccountStatus(
  deps: MerchandisingDeps,
  book: Pick<AccountBook, 'findAccount'> | undefined,
  params: ForceAccountStatusParams,
): Promise<StateTransitionSuccess> {
  const { storefront, principal } = agentRequest();
  // Accounts on a storefront are the caller's by construction (platform.ts): the id is scoped
  // to this buyer, so no other buyer's account can be named; one that is not a sandbox account
  // by its stored record (sync_accounts, seed_account) is refused.
  if (!(await sandboxOfRecord(book, params.account_id))) {
    throw new TestControllerError(
      'FORBIDDEN',
      `Account ${params.account_id.slice(0, 120)} is not a sandbox account`,
    );
  }
  const scope = sandboxScope(storefront.id, principal.customerId);
  const status = params.status as AccountStatus;
  const previous = deps.sandbox.forceAccountStatus(scope, params.account_id, status);
  return { success: true, previous_state: previous, current_state: status };
}

/**
 * simulate_budget_spend: the buy's delivery reports `spend_percentage` of its budget spent (the
 * sandbox source's delivery answers it, as simulate_delivery's figures). An account-wide spend
 * is not modelled: the storefront keeps no account budget.
 */
async function simulateBudgetSpend(deps: MerchandisingDeps, params: SimulateBudgetSpendParams) {
  if (!params.media_buy_id) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'simulate_budget_spend needs params.media_buy_id (no account budget is kept here)',
    );
  }
  return spendOnBookPart(deps, await sandboxBuyOf(deps, params.media_buy_id), params);
}

/** simulate_budget_spend on the book's part of a buy: that part's budget is what is spent. */
export async function spendOnBookPart(
  deps: Pick<MerchandisingDeps, 'sandbox'>,
  { scope, upstreamMediaBuyId }: BookPart,
  params: SimulateBudgetSpendParams,
) {
  const percentage = params.spend_percentage;
  if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
    throw new TestControllerError('INVALID_PARAMS', 'spend_percentage must be within 0..100');
  }
  const [buy] =
    (await deps.sandbox.bookOf(scope)?.list(sandboxAccount, [upstreamMediaBuyId])) ?? [];
  if (!buy) throw new TestControllerError('NOT_FOUND', `No sandbox buy ${params.media_buy_id}`);
  const spend = { amount: (buy.total_budget * percentage) / 100, currency: 'USD' };
  deps.sandbox.simulateDelivery(scope, upstreamMediaBuyId, { reported_spend: spend });
  return {
    success: true as const,
    simulated: {
      media_buy_id: params.media_buy_id,
      spend_percentage: percentage,
      reported_spend: spend,
    },
  };
}
