import type { AccountReference } from '@adcp/sdk/types';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { OwnedAuth } from '../../upstream/index.js';
import type { MerchandisingDeps } from './deps.js';
import { sandboxScope, sandboxSourceId } from './sandbox.js';
import {
  asyncTask,
  accountUnsettled,
  authFailed,
  callFailed,
  notConnected,
  type SourceFailure,
} from './source-errors.js';
import type { AdcpErrorObject } from './types.js';
import { type BuyerAccount, upstreamAccounts } from './upstream-account.js';

/** A source's answer that is an async task under way (`acceptTasks`): what to follow up. */
export interface UpstreamTask {
  status: string;
  taskId: string;
}

/** One source's part of a fan-out: its answer, or why it is left out. */
export type SourceOutcome<T> =
  | {
      source: SourceRow;
      ok: true;
      data: T;
      latencyMs: number;
      task?: UpstreamTask;
      /** The account the source was asked with (`accountFor`), none when it was asked without. */
      account?: AccountReference;
    }
  | { source: SourceRow; ok: false; error: AdcpErrorObject; latencyMs: number };

/**
 * What a buyer's buys on a storefront can route to: its sellable sources, plus the buyer's
 * sandbox inventory when it seeded any.
 */
export function routableSources(
  deps: MerchandisingDeps,
  rows: SourceRow[],
  storefrontId: number,
  customerId: number,
): SourceRow[] {
  const sandbox = deps.sandbox.sourceFor(sandboxScope(storefrontId, customerId), storefrontId);
  return [...sellableSources(rows), ...(sandbox ? [sandbox] : [])];
}

/** ACTIVE SALES sources, in registration order: what a storefront composes from. */
export function sellableSources(rows: SourceRow[]): SourceRow[] {
  return rows.filter((row) => row.status === 'ACTIVE' && row.type === 'SALES');
}

/**
 * Calls `tool` on every source in parallel, each within `budgetMs` (credential exchange
 * included), and never fails: a source that is slow, down, refuses or is not connected by the
 * buyer comes back as an AdCP error object instead. Sources that requiresCredentials are called
 * with the buyer's own credential (skipped when the buyer has none); others with the
 * operator's. `argsFor` returning undefined skips a source silently. With `accountFor` (the
 * buyer's account words for a source), every source is asked with its own account for them
 * (upstream-account.ts), whatever account `argsFor` carries.
 */
export async function callSources<T>(
  deps: MerchandisingDeps,
  options: {
    sources: SourceRow[];
    customerId: number | null;
    tool: string;
    budgetMs: number;
    argsFor: (source: SourceRow) => Record<string, unknown> | undefined;
    accountFor?: (source: SourceRow) => BuyerAccount;
    /** `accountFor` names buys this buyer already placed there: asked as placed, unchecked. */
    accountPlaced?: boolean;
    /**
     * An answer that is an async task (submitted, working) comes back as data with its `task`,
     * for a caller that follows it up; without this it is an async_task error.
     */
    acceptTasks?: boolean;
    /** Reuse a buyer's recent identical answer (deps.sourceAnswers, when configured). */
    reuseAnswers?: boolean;
    /**
     * A write: told each source's request exactly as it is about to be sent (its account
     * settled), to record it first (source-writes.ts). Answering false skips the source, whose
     * outcome is then `skipped`'s error.
     */
    beforeCall?: (source: SourceRow, asked: Record<string, unknown>) => Promise<boolean>;
    /** A write: told once a source answered, before anything is recorded of the answer. */
    afterCall?: (source: SourceRow) => void;
    skipped?: (source: SourceRow) => AdcpErrorObject;
  },
): Promise<SourceOutcome<T>[]> {
  const { tool, budgetMs } = options;
  const accountAt = upstreamAccounts(deps, options.customerId, {
    placed: options.accountPlaced === true,
  });
  const calls = options.sources.map(async (source) => {
    const args = options.argsFor(source);
    if (!args) return undefined;
    const started = performance.now();
    const outcome = await callOne(source, args, started);
    return { ...outcome, latencyMs: performance.now() - started } as SourceOutcome<T>;
  });
  type Partial =
    | { source: SourceRow; ok: true; data: T; task?: UpstreamTask; account?: AccountReference }
    | { source: SourceRow; ok: false; error: AdcpErrorObject };
  async function callOne(
    source: SourceRow,
    args: Record<string, unknown>,
    started: number,
  ): Promise<Partial> {
    if (source.sourceId === sandboxSourceId && options.customerId !== null) {
      const answer = await deps.sandbox.call<T>(
        sandboxScope(source.storefrontId, options.customerId),
        tool,
        args,
      );
      return answer.ok
        ? { source, ok: true, data: answer.data }
        : failed(source, callFailed(source, tool, budgetMs, answer));
    }
    let credential: OwnedAuth | null;
    try {
      credential = await credentialFor(deps, source, options.customerId, budgetMs);
    } catch (error) {
      return failed(source, authFailed(source, error));
    }
    if (!credential) return { source, ok: false, error: notConnected(source) };
    let asked = args;
    let sentAccount: AccountReference | undefined;
    if (options.accountFor) {
      let account: Awaited<ReturnType<typeof accountAt>>;
      try {
        account = await accountAt(source, options.accountFor(source));
      } catch (error) {
        // One source's account that could not be settled fails that source, not the fan-out.
        return failed(source, accountUnsettled(source, error));
      }
      // Refused, the source is never asked: the buyer's error is its answer.
      if (!account.ok) return { source, ok: false, error: account.error };
      asked = withAccount(args, account.account);
      sentAccount = account.account;
    }
    if (options.beforeCall && !(await options.beforeCall(source, asked))) {
      return { source, ok: false, error: options.skipped!(source) };
    }
    const remaining = Math.max(1, budgetMs - (performance.now() - started));
    const ask = (timeoutMs = remaining) =>
      deps.upstream.callTool<T>(
        {
          endpointUrl: source.endpointUrl,
          protocol: source.protocol,
          auth: credential.auth,
          owner: credential.owner,
        },
        tool,
        asked,
        { timeoutMs },
      );
    const customerId = options.customerId;
    const result =
      options.reuseAnswers && deps.sourceAnswers && customerId !== null
        ? await deps.sourceAnswers.answer(
            { customerId, source, credential, tool, args: asked },
            ask,
            remaining,
          )
        : await ask();
    options.afterCall?.(source);
    if (!result.ok) return failed(source, callFailed(source, tool, budgetMs, result));
    if (result.status !== 'completed') {
      if (options.acceptTasks && result.taskId) {
        return {
          source,
          ok: true,
          data: result.data,
          task: { status: result.status, taskId: result.taskId },
          ...(sentAccount && { account: sentAccount }),
        };
      }
      return { source, ok: false, error: asyncTask(source, tool, result.status) };
    }
    return { source, ok: true, data: result.data, ...(sentAccount && { account: sentAccount }) };
  }
  /** The buyer's sanitized error; the detail to the operator's diagnostics, off the answer's path. */
  function failed(source: SourceRow, failure: SourceFailure): Partial {
    if (failure.operatorDetail !== null && source.sourceId !== sandboxSourceId) {
      deps.inventorySources
        .noteCallError(source, {
          tool,
          code: String(
            (failure.error.details as Record<string, unknown> | undefined)?.['reason'] ??
              failure.error.code,
          ),
          message: failure.operatorDetail,
        })
        .catch((error: unknown) => deps.onError?.(error, 'source call diagnostics'));
    }
    return { source, ok: false, error: failure.error };
  }
  return (await Promise.all(calls)).filter((outcome) => outcome !== undefined);
}

/** `args` asking with `account` (or with none): never the storefront's own account words. */
function withAccount(
  args: Record<string, unknown>,
  account: AccountReference | undefined,
): Record<string, unknown> {
  const { account: _buyers, ...rest } = args;
  return account ? { ...rest, account } : rest;
}

async function credentialFor(
  deps: MerchandisingDeps,
  source: SourceRow,
  customerId: number | null,
  budgetMs: number,
): Promise<OwnedAuth | null> {
  if (source.requiresCredentials) {
    return customerId === null
      ? null
      : deps.buyerAccess.upstreamAuthFor(customerId, source.agentId);
  }
  return deps.inventorySources.operatorAuthOf(source, budgetMs);
}
