import { randomBytes } from 'node:crypto';
import {
  AdcpError,
  hashPayload,
  InvalidRequestError,
  ProductNotFoundError,
  ProductUnavailableError,
} from '@adcp/sdk/server';
import type { CreateMediaBuySuccess } from '@adcp/sdk/types';
import {
  expandPackaged,
  flightProblem,
  type MediaBuyRow,
} from '../../../../modules/orders/index.js';
import { buyActionTemplate, productIdsOf } from '../reads/buy-template.js';
import { archivedIds, assignedCreatives, refuseArchived } from '../../creatives/assigned.js';
import { refuseUnfitCreated } from '../../creatives/package-provenance.js';
import { agentRequest, assertCallerMayTransact } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import {
  forwardMediaBuy,
  groupPackages,
  hasSubmittedLegs,
  hasUnknownLegs,
  summaryOf,
} from './forward.js';
import { createdResponse } from './created-response.js';
import { proposalBuyOf } from './proposal-buy.js';
import { packagesAt } from '../describe/packages.js';
import { boundPackages, withPrices } from '../describe/quote.js';
import { refuseOutsideLists } from '../../property-lists/packages.js';
import { refuseUnenforcedCaps } from '../frequency-caps.js';
import { refusePastStart, refuseUnservablePackages } from './package-terms.js';
import { findAdcpCall, speaks31 } from '../../../adcp31/index.js';
import { settleForward, subjectOf } from '../source-writes.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import type { SellingReason } from '../../../../modules/inventory-sources/index.js';
import { parseProductId } from '../../products/product-ids.js';
import type { DecisionWaiters } from '../settle/waiters.js';
import type { TaskPush } from '../../../../modules/task-pushes/index.js';
import { withGovernance } from '../../../adcp31/governance/index.js';
import {
  keepInlineCreatives,
  type LibrarySync,
  refuseUnfitInline,
  sendsInlineCreatives,
} from '../inline-creatives.js';

import type { SalesContext, SalesRequest, SalesResult } from '../../adcp.js';

/** Where a buy that is not settled at once waits: an operator's decision, or a source's task. */
export interface BuyTasks {
  waiters: DecisionWaiters;
  /** Follows up the tasks sources answered with (source-tasks.ts). */
  follow(row: MediaBuyRow): Promise<void>;
  /** Records where the buyer asked to be told when the task settles (task-notifications.ts). */
  remember(taskId: string, push: TaskPush | undefined): Promise<void>;
}

/** A buy's tasks in one request: a task it hands off goes to the request's push config. */
type RequestTasks = Omit<BuyTasks, 'remember'> & { remember(taskId: string): Promise<void> };

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
  const tasks: RequestTasks = { ...buyTasks, remember: (id) => buyTasks.remember(id, push) };
  const principal = assertCallerMayTransact(storefront.id);
  const flight = flightProblem(request.start_time, request.end_time);
  if (flight) throw new InvalidRequestError('end_time', flight);
  // A sandbox controller directive: this buy stays a submitted task under the forced id.
  const forced = deps.sandbox.takeForcedSubmitted(
    sandboxScope(storefront.id, principal.customerId),
  );
  if (forced) {
    return ctx.handoffToTask(() => new Promise<never>(() => undefined), {
      ...(forced.taskId && { task_id: forced.taskId }),
    });
  }
  // A proposal_id books the proposal's allocations as the buy's packages (proposal-buy.ts).
  const proposal = await proposalBuyOf(
    deps.proposals,
    storefront.id,
    principal.customerId,
    request,
  );
  const sources = await deps.sources.of(storefront.id, principal.customerId);
  const requested = proposal?.packages ?? request.packages ?? [];
  // Only ids no source claims can be packaged products; the common buy needs no lookup.
  const unrouted = groupPackages(requested, sources.sellable).missing;
  const shownPackages =
    unrouted.length === 0
      ? undefined
      : await deps.discoveryRuns.packagesShown(storefront.id, principal.customerId, unrouted);
  const routed = shownPackages && expandPackaged(requested, shownPackages);
  const { missing, bySource } = groupPackages(routed ?? requested, sources.routable);

  if (missing.length > 0) throw productRefusal(missing[0]!, sources.withheld);
  // An archived creative is withdrawn: refused here, before the buy is recorded or queued.
  const owner = { storefrontId: storefront.id, buyerCustomerId: principal.customerId };
  const stored = await assignedCreatives(deps, owner, requested);
  refuseArchived(requested, archivedIds(stored));
  // So is a creative its package's product policy refuses (package-provenance.ts): the whole buy.
  const gate = {
    sandbox: ctx.account.sandbox === true,
    scope: sandboxScope(storefront.id, principal.customerId),
  };
  await refuseUnfitCreated(deps, requested, stored, gate);
  const { push_notification_config: _push, ...payload } = request;
  // A retry whose first attempt died (or lost its sources' answers) resumes the buy it recorded.
  const earlier = await deps.mediaBuys.findByKey(
    storefront.id,
    principal.customerId,
    request.idempotency_key,
  );
  if (earlier && !refusedEverywhere(earlier)) {
    if (hashPayload(earlier.submittedPayload) !== hashPayload(payload)) {
      throw new AdcpError('IDEMPOTENCY_CONFLICT', {
        message:
          'idempotency_key was used earlier with a different canonical payload. Use a fresh UUID v4, or resend the exact original payload.',
        recovery: 'correctable',
      });
    }
    return resumeBuy(deps, tasks, earlier, ctx);
  }
  // AdCP 3.1 (3.1 callers only): no flight starting in the past; each package's goals, terms and
  // bindings, and its property lists, checked against its product.
  if (speaks31()) refusePastStart(request.start_time);
  // Each package at the price its buyer was shown, or refused before anything is booked; the
  // sources describe the packages' products once where the quote needs it (describe/).
  const bound = await boundPackages(deps, storefront, principal.customerId, request, {
    packages: packagesAt(requested, shownPackages),
    sources: sources.routable,
  });
  // A frequency cap is enforced by its product's source or refused, never dropped.
  refuseUnenforcedCaps(routed ?? requested, sources.routable, 'create');
  // A package's chosen format options narrow what its source is asked for (format-selector.ts).
  let narrowed: typeof requested | undefined;
  if (speaks31()) {
    narrowed = (await refuseUnservablePackages(
      deps,
      requested,
      sources.routable,
      owner,
      request.account,
    )) as typeof requested | undefined;
    await refuseOutsideLists(deps, requested, sources.routable, principal);
  }
  // Creatives sent inline meet the checks sync_creatives applies (buys/inline-creatives.ts).
  const inline = sendsInlineCreatives(requested);
  if (inline) await refuseUnfitInline(deps, requested, (pkg) => pkg.product_id, gate);
  // The buyer's governance agent decides before anything is recorded or sent (adcp31/governance).
  const governed = await deps.governance?.check(
    { ...owner, accountId: ctx.account.ctx_metadata.accountId },
    { tool: 'create_media_buy', phase: 'purchase', payload },
  );
  // Kept in the buyer's library (and sent on to library sources) before the buy names them.
  if (inline) {
    const { accountId, reference } = ctx.account.ctx_metadata;
    await keepInlineCreatives(
      deps,
      library,
      requested,
      { accountId, ...(reference && { reference }), sandbox: gate.sandbox },
      `inline-${request.idempotency_key}`,
    );
  }
  const productIds = requested.map((pkg) => pkg.product_id);
  // A buy reaching a source that holds for approval waits for the operator even on `auto`.
  const held = sources.routable.some((s) => s.holdsForApproval && bySource.has(s.source.sourceId));
  const row = await deps.mediaBuys.place(held ? { mediaBuyApproval: 'manual' } : storefront, {
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
    mediaBuyId: `mb_${randomBytes(12).toString('base64url')}`,
    accountId: ctx.account.ctx_metadata.accountId,
    idempotencyKey: request.idempotency_key,
    submittedPayload: payload,
    // The buy as submitted keeps its proposal_id; what is forwarded are the allocations.
    routedPackages: routed ? bound : narrowed ? withPrices(narrowed, bound) : bound,
    discoveryRunId: await deps.discoveryRuns.latestShowing(
      storefront.id,
      principal.customerId,
      productIds,
    ),
  });
  if (proposal) await deps.proposals?.redeemed(proposal.codeIds, row.mediaBuyId);
  await deps.governance?.bind(
    { ...owner, accountId: row.accountId, mediaBuyId: row.mediaBuyId },
    governed,
  );
  if (row.approvalStatus === 'pending') {
    return ctx.handoffToTask(async (task) => {
      await tasks.remember(task.id);
      await deps.mediaBuys.setTaskId(row, task.id);
      return tasks.waiters.wait<CreateMediaBuySuccess>(row.mediaBuyId);
    });
  }
  return withGovernance(await answerForward(deps, tasks, row, ctx), governed);
}

/**
 * Why a package's product cannot be bought: its source cannot sell now (readiness says so to the
 * seller; the buyer gets the source's id and the reason's code, never the seller's detail), or
 * no source of the storefront offers it.
 */
function productRefusal(
  productId: string,
  withheld: ReadonlyMap<string, SellingReason>,
): AdcpError {
  const owner = parseProductId(productId, [...withheld.keys()]);
  const reason = owner && withheld.get(owner.sourceId);
  if (owner && reason) {
    return new ProductUnavailableError(productId, {
      message: `Product ${productId} is not on sale now: its source ${owner.sourceId} cannot take buys (${reason.code}); ask get_products for what is offered`,
      details: { source_id: owner.sourceId, reason: reason.code },
    });
  }
  return new ProductNotFoundError(productId, {
    message: `Product ${productId} is not offered by this storefront (ask get_products for current ids)`,
  });
}

/** A buy recorded under the key refused by every source (or the operator): a retry is new. */
const refusedEverywhere = (row: MediaBuyRow) =>
  row.approvalStatus === 'rejected' ||
  row.forwardOutcome === 'all_failed' ||
  row.forwardOutcome === 'precondition_failed';

/**
 * create_media_buy again under a key whose buy is recorded: still awaiting the operator, a
 * task again; legs whose answer was lost are established first (unless a request or recovery
 * holds them: the buyer is asked to retry); never forwarded (its request died first), forwarded
 * now under the same keys; otherwise answered from what the sources said.
 */
async function resumeBuy(
  deps: MerchandisingDeps,
  tasks: RequestTasks,
  row: MediaBuyRow,
  ctx: SalesContext,
): Promise<SalesResult<'createMediaBuy'>> {
  if (row.approvalStatus === 'pending') {
    return ctx.handoffToTask(async (task) => {
      await tasks.remember(task.id);
      await deps.mediaBuys.setTaskId(row, task.id);
      return tasks.waiters.wait<CreateMediaBuySuccess>(row.mediaBuyId);
    });
  }
  const subject = subjectOf(row);
  for (const intent of await deps.writes.openOf([subject])) await deps.writes.resume(intent);
  const current = (await deps.mediaBuys.findRecord(row.storefrontId, row.mediaBuyId)) ?? row;
  const open = await deps.writes.openOf([subject]);
  if (open.length > 0 || hasUnknownLegs({ legs: current.forwardResult ?? [] })) {
    throw stillEstablishing();
  }
  if (!current.forwardResult?.length) return answerForward(deps, tasks, current, ctx);
  const summary = summaryOf(current.forwardResult);
  if (hasSubmittedLegs(summary)) {
    return ctx.handoffToTask(async (task) => {
      const settled = tasks.waiters.wait<CreateMediaBuySuccess>(current.mediaBuyId);
      await tasks.remember(task.id);
      await deps.mediaBuys.setTaskId(current, task.id);
      await tasks.follow(current);
      return settled;
    });
  }
  return createdResponse(current, summary, buyActionTemplate(deps, current, productIdsOf(current)));
}

const stillEstablishing = () =>
  new AdcpError('SERVICE_UNAVAILABLE', {
    message:
      'A source’s answer to this media buy was lost; the storefront is establishing whether it was booked. Retry with the same idempotency_key.',
    recovery: 'transient',
    retry_after: 5,
  });

/** Forwards a recorded buy to its sources and answers what they said (a task, if one took it as one). */
async function answerForward(
  deps: MerchandisingDeps,
  { waiters, follow, remember }: RequestTasks,
  row: MediaBuyRow,
  ctx: SalesContext,
): Promise<SalesResult<'createMediaBuy'>> {
  const summary = await forwardMediaBuy(deps, row);
  const saved = await deps.mediaBuys.saveForward(row, summary);
  await settleForward(deps, summary);
  // A source's answer lost: the buyer retries under its key once recovery established it.
  if (hasUnknownLegs(summary)) throw stillEstablishing();
  if (hasSubmittedLegs(summary)) {
    return ctx.handoffToTask(async (task) => {
      // Waiting before the follow-up is queued: its first look may settle the buy at once.
      const settled = waiters.wait<CreateMediaBuySuccess>(row.mediaBuyId);
      await remember(task.id);
      await deps.mediaBuys.setTaskId(saved, task.id);
      await follow(saved);
      return settled;
    });
  }
  return createdResponse(saved, summary, buyActionTemplate(deps, saved, productIdsOf(saved)));
}
