import type { AccountReference } from '@adcp/sdk/types';
import {
  healthOf,
  isConnected,
  type InventorySource,
  type InventorySourcesService,
  type SourceAnswer,
  type SourceCall,
  type SourceCreateRequest,
  type SourceKind,
  type SourceRow,
  speaksAdcp31,
} from '../../modules/inventory-sources/index.js';
import type { AccountBindingsService } from '../../modules/account-bindings/index.js';
import type { BuyerAccessService } from '../../modules/buyer-access/index.js';
import type {
  OwnedAuth,
  ToolCallResult,
  UpstreamClient,
  UpstreamTarget,
} from '../../upstream/index.js';
import {
  accountUnsettled,
  asyncTask,
  authFailed,
  callFailed,
  notConnected,
  type SourceFailure,
} from '../../sources/errors.js';
import { type AgentAccountsDeps, upstreamAccounts } from './accounts.js';
import type { SourceAnswerCache } from './answer-cache.js';
import type { FeedMirror } from './feed-mirror/mirror.js';
import { allPages } from './all-pages.js';
import { requestFor30 } from './release.js';
import { creativeTransportOf } from './transport.js';
import { declaredCapSupport } from '../../sources/frequency-caps.js';
import { socialOf } from './social.js';
import { type AskSeller, findsAdvertisersByBrand, sellerAccountRefusal } from './seller-account.js';

/** What the AdCP agent kind needs: the upstream client, credentials, accounts, diagnostics. */
export interface AdcpAgentDeps extends AgentAccountsDeps {
  /** Also which buyer an advertiser on a seller's own side is (seller-account.ts). */
  accountBindings: AgentAccountsDeps['accountBindings'] &
    Pick<AccountBindingsService, 'claimSellerAccount' | 'sellerAccountOf'>;
  upstream: Pick<UpstreamClient, 'callTool'>;
  inventorySources: Pick<InventorySourcesService, 'operatorAuthOf' | 'noteCallError'>;
  buyerAccess: AgentAccountsDeps['buyerAccess'] & Pick<BuyerAccessService, 'upstreamAuthFor'>;
  /** Buyers' recent discovery answers per source (calls with `reuse`); none: never reused. */
  sourceAnswers?: SourceAnswerCache;
  /** Feed-publishing sources' wholesale sets, briefs answered from them; none: asked live. */
  feedMirror?: FeedMirror;
  /** Work done beside a buyer's call (diagnostics) that failed; logged, never the buyer's. */
  onError?: (error: unknown, context: string) => void;
}

/**
 * `AGENT` sources: AdCP sales agents over MCP or A2A, called through the upstream client (the one
 * place that calls AdCP agents). A source that requiresCredentials is called with the buyer's
 * own credential (not connected without one), others with the operator's; the account it is
 * asked under is the buyer's at that seller (accounts.ts). Failures reach the buyer sanitized
 * (errors.ts) and the operator's diagnostics in full. The sources of one request share the
 * buyer's account lookups (the customer read once, a pair claimed once per agent).
 */
export function adcpAgentSources(deps: AdcpAgentDeps): SourceKind {
  return {
    open(rows, customerId) {
      const live = upstreamAccounts(deps, customerId);
      const placed = upstreamAccounts(deps, customerId, { placed: true });
      // Only a connected row is an agent to call (an ACTIVE AGENT row always is).
      return rows
        .filter(isConnected)
        .map((row) =>
          adcpAgentSource(deps, row, (buyer, asPlaced) => (asPlaced ? placed : live)(row, buyer)),
        );
    },
  };
}

export type AccountOf = (
  buyer: NonNullable<SourceCall['account']>,
  placed: boolean,
) => ReturnType<ReturnType<typeof upstreamAccounts>>;

/** How a kind built on AdCP agents (a linked storefront) differs from a plain AGENT source. */
export interface AgentSourceOptions {
  /** Whether buyers' recent get_products answers may be reused (default true). */
  reuse?: boolean;
  /** What every request must also carry (a linked storefront's link chain). */
  extend?: (args: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Reaches the agent some other way than over the network (a storefront of this instance). */
  callTool?: <T>(
    target: UpstreamTarget,
    tool: string,
    args: Record<string, unknown>,
    timeoutMs: number,
  ) => Promise<ToolCallResult<T>>;
}

export function adcpAgentSource(
  deps: AdcpAgentDeps,
  row: SourceRow,
  accountOf: AccountOf,
  options: AgentSourceOptions = {},
): InventorySource {
  /**
   * Calls `tool` within the call's budget (credential exchange included). An answer that is an
   * async task (submitted, working) is taken as one only where `acceptTasks` says the operation
   * may be (create_media_buy, tasks_get); elsewhere it is an async_task error.
   */
  async function ask<T>(
    tool: string,
    args: Record<string, unknown>,
    call: SourceCall,
    acceptTasks = false,
  ): Promise<SourceAnswer<T>> {
    const started = performance.now();
    let credential: OwnedAuth | null;
    try {
      credential = await credentialFor(row, call);
    } catch (error) {
      return failed(tool, authFailed(row, error));
    }
    if (!credential) return { ok: false, error: notConnected(row) };
    const target: UpstreamTarget = {
      endpointUrl: row.endpointUrl,
      protocol: row.protocol,
      auth: credential.auth,
      owner: credential.owner,
    };
    const remaining = () => Math.max(1, call.budgetMs - (performance.now() - started));
    const send = async <R>(name: string, request: Record<string, unknown>, timeoutMs: number) => {
      const extended = options.extend ? await options.extend(request) : request;
      return options.callTool
        ? options.callTool<R>(target, name, extended, timeoutMs)
        : deps.upstream.callTool<R>(target, name, extended, { timeoutMs });
    };
    let asked = args;
    let sentAccount: AccountReference | undefined;
    if (call.account) {
      let account: Awaited<ReturnType<AccountOf>>;
      try {
        account = await accountOf(call.account, call.placed === true);
      } catch (error) {
        // One source's account that could not be settled fails that source, not the fan-out.
        return failed(tool, accountUnsettled(row, error));
      }
      // Refused, the source is never asked: the buyer's error is its answer.
      if (!account.ok) return { ok: false, error: account.error };
      sentAccount = account.account;
      const refusal = await sellerSideRefusal(sentAccount, call, tool, (name, request) =>
        send(name, request, remaining()),
      );
      if (refusal) return failed(tool, refusal);
      asked = withAccount(args, sentAccount);
    }
    if (options.extend) asked = await options.extend(asked);
    // A source that speaks only 3.0 is asked as a 3.0 caller, whoever asks (release.ts).
    if (!speaksAdcp31(row)) asked = requestFor30(tool, asked);
    const sendAs = <R>(request: Record<string, unknown>, timeoutMs: number) =>
      options.callTool
        ? options.callTool<R>(target, tool, request, timeoutMs)
        : deps.upstream.callTool<R>(target, tool, request, { timeoutMs });
    const load = (timeoutMs = remaining()) => sendAs<T>(asked, timeoutMs);
    const customerId = call.customerId;
    // A sandbox account's listing moves with its buyer's seeds (comply_test_controller routed
    // here, sandbox/fixtures/seed-route.ts), which no feed webhook or cache window follows at
    // once: it is asked afresh, never reused (a quiet mirror listed a linked storefront's
    // fixtures from before the seed, and judged the buy of one by the storefront's template).
    const reuse = call.reuse === true && call.sandbox !== true;
    // A feed-publishing source's brief is answered from its mirror (feed-mirror/mirror.ts).
    const mirrored =
      reuse && deps.feedMirror && customerId !== null && tool === 'get_products'
        ? await deps.feedMirror.answer(
            { customerId, source: row, credential },
            asked,
            sendAs,
            remaining(),
            // Only the storefront's own account at the source is subscribed to (feed webhooks):
            // a buyer's own credential's account keeps the buyer's own subscribers there.
            row.requiresCredentials
              ? undefined
              : (request, timeoutMs) => send('sync_accounts', request, timeoutMs),
          )
        : undefined;
    if (call.feedVersionOnly && !mirrored) return { ok: false, error: notMirrored(row) };
    const result = mirrored
      ? (mirrored.result as ToolCallResult<T>)
      : reuse && options.reuse !== false && deps.sourceAnswers && customerId !== null
        ? await deps.sourceAnswers.answer(
            { customerId, source: row, credential, tool, args: asked },
            load,
            remaining(),
          )
        : await load();
    if (!result.ok) return failed(tool, callFailed(row, tool, call.budgetMs, result));
    const account = sentAccount && { account: sentAccount };
    if (mirrored?.stale) {
      // The failure is the operator's diagnostic as any other; the buyer gets the mirrored set.
      const { ageSeconds, failure } = mirrored.stale;
      const probe = failed<T>(tool, callFailed(row, tool, call.budgetMs, failure));
      const error = probe.ok ? undefined : probe.error;
      return {
        ok: true,
        data: result.data,
        ...account,
        ...(error && { stale: { ageSeconds, error } }),
      };
    }
    if (result.status !== 'completed') {
      if (acceptTasks && result.taskId) {
        const task = { status: result.status, taskId: result.taskId };
        return { ok: true, data: result.data, task, ...account };
      }
      return { ok: false, error: asyncTask(row, tool, result.status) };
    }
    return {
      ok: true,
      data: result.data,
      ...account,
      ...(mirrored?.feed && { feed: mirrored.feed }),
    };
  }

  /**
   * Where the seller finds advertisers by brand and is called with the storefront's shared
   * credential, why a buyer's own pair may still not be asked with (seller-account.ts): the
   * advertiser it reaches there is another agency's. Follow-ups on the buyer's placed buys are
   * under the account recorded on them, and a seller taking buyers' own credentials sees who
   * calls: neither is checked.
   */
  async function sellerSideRefusal(
    account: AccountReference | undefined,
    call: SourceCall,
    tool: string,
    askSeller: AskSeller,
  ): Promise<SourceFailure | null> {
    if (
      !account ||
      !('brand' in account) ||
      !account.operator ||
      call.customerId === null ||
      call.placed === true ||
      row.requiresCredentials ||
      tool === 'sync_accounts' ||
      !findsAdvertisersByBrand(row)
    ) {
      return null;
    }
    return sellerAccountRefusal(
      deps.accountBindings,
      row,
      {
        brand: account.brand,
        operator: account.operator,
        ...(account.sandbox !== undefined && { sandbox: account.sandbox }),
      },
      call.customerId,
      askSeller,
    );
  }

  /** The buyer's sanitized error; the detail to the operator's diagnostics, off the answer's path. */
  function failed<T>(tool: string, failure: SourceFailure): SourceAnswer<T> {
    if (failure.operatorDetail !== null) {
      deps.inventorySources
        .noteCallError(row, {
          tool,
          code: String(
            (failure.error.details as Record<string, unknown> | undefined)?.['reason'] ??
              failure.error.code,
          ),
          message: failure.operatorDetail,
        })
        .catch((error: unknown) => deps.onError?.(error, 'source call diagnostics'));
    }
    return { ok: false, error: failure.error };
  }

  async function credentialFor(source: SourceRow, call: SourceCall): Promise<OwnedAuth | null> {
    if (source.requiresCredentials) {
      return call.customerId === null
        ? null
        : deps.buyerAccess.upstreamAuthFor(call.customerId, source.agentId);
    }
    return deps.inventorySources.operatorAuthOf(source, call.budgetMs);
  }

  return {
    source: row,
    capabilities: row.capabilities,
    creativeTransport: creativeTransportOf(row),
    // A package's creatives reach it on updates as on create (synced to its library, or the
    // manifests inline), wherever it changes buys at all.
    inlineCreatives: row.capabilities?.tools.includes('update_media_buy') ?? true,
    // The cap goes to the agent as sent; it vouches for caps when it declares frequency_capping.
    frequencyCaps: declaredCapSupport(row.capabilities?.frequencyCapping),
    health: () => healthOf(row),
    // Every page of an agent that pages its answer (all-pages.ts).
    getProducts: (request, call) =>
      allPages(row, request, call, (asked, within) => ask('get_products', asked, within)),
    listCreativeFormats: (request, call) => ask('list_creative_formats', request, call),
    // A source may take the buy as a task (IO signing, batch); it is followed up (buys/settle/source-tasks.ts).
    createMediaBuy: (request, call) => ask('create_media_buy', asAgentSees(request), call, true),
    updateMediaBuy: (request, call) => ask('update_media_buy', request, call),
    getMediaBuys: (request, call) => ask('get_media_buys', request, call),
    getMediaBuyDelivery: (request, call) => ask('get_media_buy_delivery', request, call),
    taskStatus: (taskId, call) => ask('tasks_get', { task_id: taskId }, call, true),
    syncCreatives: (request, call) => ask('sync_creatives', request, call),
    providePerformanceFeedback: (request, call) =>
      ask('provide_performance_feedback', request, call),
    // Only where the agent lists the tool (its capabilities probe); asked under the buyer's account.
    ...(row.capabilities?.tools.includes('comply_test_controller') && {
      testController: (request: Record<string, unknown>, call: SourceCall) =>
        ask<Record<string, unknown>>('comply_test_controller', request, call),
    }),
    ...socialOf(row, ask, deps.accountBindings.ownedAt),
  };
}

/**
 * A buy as an AdCP agent is sent it: the price the storefront quoted stays the storefront's (the
 * agent is told what AdCP carries of it, `bid_price` and `impressions`, set by the storefront).
 */
function asAgentSees(request: SourceCreateRequest): Record<string, unknown> {
  if (!request.packages?.some((pkg) => pkg.quoted_price !== undefined)) return request;
  return {
    ...request,
    packages: request.packages.map(({ quoted_price: _quoted, ...pkg }) => pkg),
  };
}

/** `args` asking with `account` (or with none): never the storefront's own account words. */
function withAccount(
  args: Record<string, unknown>,
  account: AccountReference | undefined,
): Record<string, unknown> {
  const { account: _buyers, ...rest } = args;
  return account ? { ...rest, account } : rest;
}

/** A source asked only for its feed version that is not mirrored: never asked live for it. */
function notMirrored(row: SourceRow): SourceFailure['error'] {
  return {
    code: 'UNSUPPORTED_FEATURE',
    message: `Inventory source "${row.name}" (${row.sourceId}) publishes no mirrored wholesale feed version`,
    details: { source_id: row.sourceId, reason: 'not_mirrored' },
  };
}
