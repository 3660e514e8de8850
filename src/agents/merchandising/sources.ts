import type { AccountReference } from '@adcp/sdk/types';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { OwnedAuth, ToolCallFailure } from '../../upstream/index.js';
import type { MerchandisingDeps } from './deps.js';
import { sandboxScope, sandboxSourceId } from './sandbox.js';
import type { AdcpErrorObject } from './types.js';
import { type BuyerAccount, upstreamAccounts } from './upstream-account.js';

/** One source's part of a fan-out: its answer, or why it is left out. */
export type SourceOutcome<T> =
  | { source: SourceRow; ok: true; data: T; latencyMs: number }
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
  },
): Promise<SourceOutcome<T>[]> {
  const { tool, budgetMs } = options;
  const accountAt = upstreamAccounts(deps, options.customerId);
  const calls = options.sources.map(async (source) => {
    const args = options.argsFor(source);
    if (!args) return undefined;
    const started = performance.now();
    const outcome = await callOne(source, args, started);
    return { ...outcome, latencyMs: performance.now() - started } as SourceOutcome<T>;
  });
  type Partial =
    | { source: SourceRow; ok: true; data: T }
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
        : { source, ok: false, error: callFailed(source, tool, budgetMs, answer) };
    }
    let credential: OwnedAuth | null;
    try {
      credential = await credentialFor(deps, source, options.customerId, budgetMs);
    } catch (error) {
      noteFailure(deps, source, tool, 'credential_unavailable', error);
      return { source, ok: false, error: authFailed(source) };
    }
    if (!credential) return { source, ok: false, error: notConnected(source) };
    const asked = options.accountFor
      ? withAccount(args, await accountAt(source, options.accountFor(source)))
      : args;
    const remaining = Math.max(1, budgetMs - (performance.now() - started));
    const result = await deps.upstream.callTool<T>(
      {
        endpointUrl: source.endpointUrl,
        protocol: source.protocol,
        auth: credential.auth,
        owner: credential.owner,
      },
      tool,
      asked,
      { timeoutMs: remaining },
    );
    if (!result.ok) {
      const { code, message } = result.error;
      if (code !== 'tool_error') noteFailure(deps, source, tool, code, message);
      else noteFailure(deps, source, tool, upstreamCodeOf(result.error.details) ?? code, message);
      return { source, ok: false, error: callFailed(source, tool, budgetMs, result) };
    }
    if (result.status !== 'completed') {
      return {
        source,
        ok: false,
        error: sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', 'async_task', {
          message: `Inventory source ${label(source)} answered ${tool} with an async task (${result.status}); its results are left out`,
        }),
      };
    }
    return { source, ok: true, data: result.data };
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

const label = (source: SourceRow) => `"${source.name}" (${source.sourceId})`;

function sourceError(
  source: SourceRow,
  code: string,
  recovery: AdcpErrorObject['recovery'],
  reason: string,
  extra: { message: string },
): AdcpErrorObject {
  return {
    code,
    message: extra.message,
    ...(recovery && { recovery }),
    details: {
      source_id: source.sourceId,
      source_name: source.name,
      reason,
    },
  };
}

function notConnected(source: SourceRow): AdcpErrorObject {
  return {
    ...sourceError(source, 'AUTH_REQUIRED', 'correctable', 'not_connected', {
      message: `Inventory source ${label(source)} needs your own credentials; its products are left out until you connect it`,
    }),
    suggestion: `Register a credential: POST /api/v2/buyer/storefronts/${source.storefrontId}/sources/${source.sourceId}/credentials`,
  };
}

function authFailed(source: SourceRow): AdcpErrorObject {
  return sourceError(source, 'AUTH_REQUIRED', 'correctable', 'credential_unavailable', {
    message: `Could not obtain a credential for inventory source ${label(source)}; its results are left out`,
  });
}

/**
 * What the buyer is told of a failed call: the source's id and name, an AdCP code and our
 * reason, never the source's address, exception or message text (a publisher's private
 * network, the source's internals). noteFailure gives the operator the detail.
 */
function callFailed(
  source: SourceRow,
  tool: string,
  budgetMs: number,
  failure: ToolCallFailure,
): AdcpErrorObject {
  const { code, details } = failure.error;
  switch (code) {
    case 'timeout':
      return sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', code, {
        message: `Inventory source ${label(source)} did not answer ${tool} within ${Math.round(budgetMs)} ms; its results are left out`,
      });
    case 'unauthorized':
      return sourceError(source, 'AUTH_REQUIRED', 'correctable', code, {
        message: `Inventory source ${label(source)} refused the credential for ${tool}; its results are left out`,
      });
    case 'tool_error': {
      // The source's own verdict (its AdCP code); whether retrying helps is the source's to say.
      const upstreamCode = upstreamCodeOf(details);
      return sourceError(source, upstreamCode ?? 'SERVICE_UNAVAILABLE', undefined, code, {
        message: `Inventory source ${label(source)} refused ${tool}${upstreamCode ? ` (${upstreamCode})` : ''}; its results are left out`,
      });
    }
    default:
      return sourceError(
        source,
        'SERVICE_UNAVAILABLE',
        code === 'blocked' ? 'terminal' : 'transient',
        code,
        {
          message: `Inventory source ${label(source)} is unavailable (${code}); its results are left out`,
        },
      );
  }
}

/** The detail of a failed call, for the operator's source diagnostics (never the buyer). */
function noteFailure(
  deps: MerchandisingDeps,
  source: SourceRow,
  tool: string,
  code: string,
  detail: unknown,
): void {
  const text = detail instanceof Error ? detail.message : String(detail);
  deps.inventorySources.noteCallFailure(source, { code, message: `${tool}: ${text}` });
}

/** The AdCP error code the source itself answered, when it gave one. */
function upstreamCodeOf(details: unknown): string | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const record = details as {
    code?: unknown;
    adcp_error?: { code?: unknown };
    errors?: Array<{ code?: unknown }>;
  };
  // The upstream client keeps an `adcp_error` itself as details, or `{errors}`.
  const code = record.code ?? record.adcp_error?.code ?? record.errors?.[0]?.code;
  return typeof code === 'string' && /^[A-Z][A-Z_]*$/.test(code) ? code : undefined;
}
