import { answerOutOfSchema, type ToolCallFailure } from '../upstream/index.js';
import type { SourceError, SourceIdentity } from './port.js';
import { sourceRefused } from './refused.js';

/**
 * What a buyer is told when one of a storefront's sources is left out of an answer, and what
 * its operator is told. Buyers get the source's id and name, a code and a reason: never the
 * source's host, port, path or an exception's text, which belong to the publisher (issue 11).
 * The detail goes to the operator as `operatorDetail` (readiness sourceDiagnostics).
 */
export interface SourceFailure {
  error: SourceError;
  /** The unsanitized detail, for the operator's diagnostics only; null when there is none. */
  operatorDetail: string | null;
}

/** The reason of a source that ran a tool and answered out of its own schema (its answer lost). */
export const answeredOutOfSchema = 'answer_out_of_schema';

const label = (source: SourceIdentity) => `"${source.name}" (${source.sourceId})`;

/** A source left out of an answer by the storefront: the one refusal shape (refused.ts), with why. */
export function sourceError(
  source: SourceIdentity,
  code: string,
  recovery: SourceError['recovery'],
  reason: string,
  extra: { message: string; upstream?: unknown },
): SourceError {
  return sourceRefused(source, {
    code,
    message: extra.message,
    recovery,
    reason,
    ...(extra.upstream !== undefined && { details: { upstream_error: extra.upstream } }),
  });
}

export function notConnected(source: SourceIdentity): SourceError {
  return {
    ...sourceError(source, 'AUTH_REQUIRED', 'correctable', 'not_connected', {
      message: `Inventory source ${label(source)} needs your own credentials; its products are left out until you connect it`,
    }),
    suggestion: `Register a credential: POST /api/v2/buyer/storefronts/${source.storefrontId}/sources/${source.sourceId}/credentials`,
  };
}

export function authFailed(source: SourceIdentity, error: unknown): SourceFailure {
  return {
    error: sourceError(source, 'AUTH_REQUIRED', 'correctable', 'credential_unavailable', {
      message: `Could not obtain a credential for inventory source ${label(source)}`,
    }),
    operatorDetail: error instanceof Error ? error.message : String(error),
  };
}

/** The account a source is asked with could not be settled (its binding not read or written). */
export function accountUnsettled(source: SourceIdentity, error: unknown): SourceFailure {
  return {
    error: sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', 'account_unsettled', {
      message: `Could not settle the account inventory source ${label(source)} is asked with; it is left out`,
    }),
    operatorDetail: error instanceof Error ? error.message : String(error),
  };
}

export function asyncTask(source: SourceIdentity, tool: string, status: string): SourceError {
  return sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', 'async_task', {
    message: `Inventory source ${label(source)} answered ${tool} with an async task (${status}); its results are left out`,
  });
}

export function callFailed(
  source: SourceIdentity,
  tool: string,
  budgetMs: number,
  failure: ToolCallFailure,
): SourceFailure {
  const { code, message, details } = failure.error;
  switch (code) {
    case 'timeout':
      return {
        error: sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', code, {
          message: `Inventory source ${label(source)} did not answer ${tool} within ${Math.round(budgetMs)} ms; its results are left out`,
        }),
        operatorDetail: null,
      };
    case 'unauthorized':
      return {
        error: sourceError(source, 'AUTH_REQUIRED', 'correctable', code, {
          message: `Inventory source ${label(source)} refused the credential`,
        }),
        operatorDetail: message,
      };
    case 'tool_error': {
      const pointer = answerOutOfSchema(details);
      if (pointer !== undefined) {
        // The source ran the tool and could not answer in its own schema: not the buyer's
        // request at fault, and for a write, not a refusal (a buy may exist: source-writes).
        return {
          error: sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', answeredOutOfSchema, {
            message: `Inventory source ${label(source)} acted on ${tool} but answered out of its own schema${pointer ? ` (at ${scrubAddresses(pointer)})` : ''}; the fault is the source's, not the request's`,
          }),
          operatorDetail: message,
        };
      }
      // The source's own AdCP verdict is addressed to buyers (a budget below its minimum, terms
      // it refuses): its code, field and words pass, scrubbed of any address. Whether retrying
      // helps is the source's to say, not ours.
      const upstream = upstreamErrorOf(details);
      return {
        error: sourceError(source, upstream?.code ?? 'SERVICE_UNAVAILABLE', undefined, code, {
          message: `Inventory source ${label(source)} refused ${tool}${upstream?.message ? `: ${upstream.message}` : ''}`,
          ...(upstream && { upstream }),
        }),
        operatorDetail: message,
      };
    }
    default:
      return {
        error: sourceError(
          source,
          'SERVICE_UNAVAILABLE',
          code === 'blocked' ? 'terminal' : 'transient',
          code,
          { message: `Inventory source ${label(source)} is unavailable (${code})` },
        ),
        operatorDetail: message,
      };
  }
}

/** The AdCP error the source itself answered, sanitized for a buyer; undefined when none. */
function upstreamErrorOf(
  details: unknown,
): { code: string; message?: string; field?: string; recovery?: string } | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const record = details as {
    code?: unknown;
    adcp_error?: Record<string, unknown>;
    errors?: Array<Record<string, unknown>>;
  };
  // The upstream client keeps an `adcp_error` itself as details, or `{errors}`.
  const error =
    (typeof record.code === 'string' ? (record as Record<string, unknown>) : undefined) ??
    record.adcp_error ??
    record.errors?.[0];
  const code = error?.['code'];
  if (typeof code !== 'string' || !/^[A-Z][A-Z_]*$/.test(code)) return undefined;
  const text = (value: unknown) =>
    typeof value === 'string' ? scrubAddresses(value).slice(0, 500) : undefined;
  const message = text(error?.['message']);
  const field = text(error?.['field']);
  const recovery = text(error?.['recovery']);
  return {
    code,
    ...(message && { message }),
    ...(field && { field }),
    ...(recovery && { recovery }),
  };
}

/**
 * Text without network addresses: URLs, IPv4 and bracketed IPv6 addresses, and host:port
 * pairs become placeholders, so a source's own words never show a buyer where it lives.
 */
export function scrubAddresses(text: string): string {
  return (
    text
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, '[url]')
      // A bracketed IPv6 address has a colon; a field's index (`packages[0]`) does not.
      .replace(/\[[0-9a-f.]*:[0-9a-f:.]*\](:\d+)?/gi, '[address]')
      .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '[address]')
      .replace(/\b(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+):\d{1,5}\b/gi, '[address]')
  );
}

/**
 * Why a source was not asked with the account the buyer named (adcp-agent/accounts.ts). A pair
 * another buyer holds reads as one the storefront cannot find: whether it exists is not this
 * buyer's to learn. Such a source is called with the storefront's shared credential, so the
 * only way to it is an account the buyer operates, named by its own domain.
 */
export function accountRefused(
  source: SourceIdentity,
  reason: 'no_domain' | 'operator_not_yours' | 'account_not_found' | 'brand_not_separable',
  ownDomain?: string,
): SourceError {
  const why = {
    no_domain: `Your organisation has no domain, and inventory source ${label(source)} is called with the storefront's shared credential: it can be asked only under an account you operate, named by your domain`,
    operator_not_yours: `Inventory source ${label(source)} is called with the storefront's shared credential, so it is asked only with your own domain as the account's operator${ownDomain ? ` (${ownDomain})` : ''}: an account operated by another domain is not yours to use through this storefront`,
    account_not_found: `No account for this brand and operator that you can use was found at inventory source ${label(source)}`,
    brand_not_separable: `Inventory source ${label(source)} finds its advertisers by brand and is called with the storefront's shared credential: it answers your account with the same advertiser another agency buying for this brand uses there, so it cannot tell your work for the brand from theirs, and through this storefront that advertiser is theirs. To buy for this brand there, bring your own credentials: ask the storefront operator to have this source take buyers' own credentials`,
  }[reason];
  return {
    ...sourceError(source, 'ACCOUNT_NOT_FOUND', 'correctable', reason, {
      message: `${why}; it is left out`,
    }),
    suggestion:
      reason === 'no_domain'
        ? 'Ask the platform to give your organisation its domain, or buy where the storefront operator has this source take buyers’ own credentials'
        : reason === 'brand_not_separable'
          ? 'Bring your own credentials: ask the storefront operator to have this source take buyers’ own credentials, so the seller sees your agency as itself and gives you an advertiser of your own'
          : `Name an account you operate: {"brand": {"domain": "<brand>"}, "operator": "${ownDomain ?? '<your domain>'}"}. An account another buyer uses at this seller is reachable only where the source takes buyers' own credentials`,
  };
}
