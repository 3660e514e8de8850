import { findAdcpCall } from '../../../adcp31/index.js';
import { agentRequest, assertCallerMayTransact } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import type { TaskPush } from '../../../../modules/task-pushes/index.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import type { SalesContext, SalesRequest, SalesResult } from '../../adcp.js';
import type { LibrarySync } from '../inline-creatives.js';
import { check, runSteps, type Step } from '../workflow/runner.js';
import {
  askGovernance,
  type CreateBuy,
  describeAndQuote,
  forcedTask,
  handOffOrForward,
  keepInline,
  proposalPackages,
  recordBuy,
  refuseBadFlight,
  refuseCaps,
  refuseOutsidePropertyLists,
  refusePastStartOf,
  refuseUnfitInlineCreatives,
  refuseUnfitTerms,
  refuseWithdrawnCreatives,
  resumeEarlier,
  routePackages,
} from '../workflow/create-steps.js';
import type { BuyTasks } from './answer.js';

export type { BuyTasks } from './answer.js';

/**
 * create_media_buy, step by step (workflow/create-steps.ts; docs/buying.md "The buy as steps").
 * Everything before `record the buy` only reads and refuses (but `keep inline creatives`, kept
 * as sync_creatives keeps them): a refusal there leaves no buy recorded, sent or booked. From
 * `record the buy` on the buy is recorded, and what it sends to sources are recorded writes (the
 * steps declaring `records`: workflow/recorded.ts): a crash leaves them to recovery and a retry
 * under the same key resumes them (`idempotent resume`); nothing is undone.
 */
export const createSteps: readonly Step<CreateBuy, SalesResult<'createMediaBuy'>>[] = [
  check('validate flight', refuseBadFlight),
  { name: 'sandbox forced task', run: forcedTask },
  { name: 'proposal', run: proposalPackages },
  { name: 'route packages', run: routePackages },
  check('refuse withdrawn creatives', refuseWithdrawnCreatives),
  resumeEarlier,
  check('3.1 flight not past', refusePastStartOf),
  { name: 'describe and quote packages', run: describeAndQuote },
  check('frequency caps', refuseCaps),
  { name: '3.1 package terms', run: refuseUnfitTerms },
  check('3.1 property lists', refuseOutsidePropertyLists),
  check('inline creatives fit', refuseUnfitInlineCreatives),
  { name: 'governance', run: askGovernance },
  { name: 'keep inline creatives', run: keepInline },
  { name: 'record the buy', run: recordBuy },
  handOffOrForward,
];

/**
 * A request's push-notification config, as its task's notification is sent to it (create_media_buy,
 * and a forced submitted get_products: sandbox/forced-tasks.ts).
 */
export function pushOf(request: {
  push_notification_config?: { url?: unknown; token?: unknown } | undefined;
}): TaskPush | undefined {
  const config = request.push_notification_config;
  if (typeof config?.url !== 'string') return undefined;
  const operationId = findAdcpCall()?.pushOperationId;
  return {
    url: config.url,
    ...(typeof config.token === 'string' && { token: config.token }),
    ...(operationId !== undefined && { operationId }),
  };
}

/**
 * create_media_buy through a storefront: every package must name a product an active source
 * offers; the buy is recorded, then either queued for the operator (mediaBuyApproval manual:
 * the buyer gets a task, completed on decision) or forwarded to its sources at once. A source
 * that takes its part as a task of its own makes the buyer's answer a task too (the submitted
 * arm), completed once the source settles it.
 */
export async function createMediaBuy(
  deps: MerchandisingDeps,
  buyTasks: BuyTasks,
  request: SalesRequest<'createMediaBuy'>,
  ctx: SalesContext,
  // The storefront's sync_creatives, which keeps inline creatives (buys/inline-creatives.ts).
  library: LibrarySync,
): Promise<SalesResult<'createMediaBuy'>> {
  const { storefront } = agentRequest();
  const push = pushOf(request);
  const principal = assertCallerMayTransact(storefront.id);
  const { push_notification_config: _push, ...payload } = request;
  const buy: CreateBuy = {
    deps,
    tasks: { ...buyTasks, remember: (id) => buyTasks.remember(id, push) },
    request,
    ctx,
    library,
    storefront,
    principal,
    owner: { storefrontId: storefront.id, buyerCustomerId: principal.customerId },
    gate: {
      sandbox: ctx.account.sandbox === true,
      scope: sandboxScope(storefront.id, principal.customerId),
    },
    payload,
    requested: [],
  };
  return runSteps('create_media_buy', createSteps, buy, deps.onError);
}
