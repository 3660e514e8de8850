import { AdcpError } from '@adcp/sdk/server';
import type {
  InventorySource,
  SocialTools,
  SourceAnswer,
  SourceCall,
} from '../../../modules/inventory-sources/index.js';
import type { AccountMeta } from '../adcp.js';
import { agentRequest, assertCallerMayTransact } from '../caller.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../deps.js';
import { upstreamIdempotencyKey } from '../buys/create/forward.js';
import { askEach, type SourceOutcome } from '../../../sources/fan-out.js';
import { scrubAddresses } from '../../../sources/errors.js';
import { isRecord } from '../../../platform/is-record.js';

/** A sales-social tool forwarded as asked (list_accounts is answered apart: tools.ts). */
export type SocialTool = Exclude<keyof SocialTools, 'listAccounts'>;

/** The AdCP tool name of each sales-social port method. */
export const socialToolNames: Readonly<Record<SocialTool, string>> = {
  syncAudiences: 'sync_audiences',
  syncCatalogs: 'sync_catalogs',
  syncEventSources: 'sync_event_sources',
  logEvent: 'log_event',
  getAccountFinancials: 'get_account_financials',
};

// What sales-social tools sources offer is the sources' own (src/sources/offer.ts).
export { offeredSocialTools } from '../../../sources/offer.js';

type Request<K extends SocialTool> = Parameters<NonNullable<SocialTools[K]>>[0];
type Answer<K extends SocialTool> = Awaited<ReturnType<NonNullable<SocialTools[K]>>>;
type Data<K extends SocialTool> = Answer<K> extends SourceAnswer<infer T> ? T : never;

/**
 * A sales-social tool through the storefront: asked of every source of this storefront that
 * offers it, under the buyer's own account at each (the kind decides which: AGENT sources,
 * adcp-agent/accounts.ts, bind a `{brand, operator}` pair to the first buyer using it, so
 * another buyer naming it is answered ACCOUNT_NOT_FOUND and never reaches its audiences or
 * catalogs). Writes carry an idempotency key derived from the buyer's, the storefront, the
 * buyer and the source, so a retry is one write at the source and two buyers' keys never
 * meet there. Answers the sources that answered; none: the first source's error, thrown.
 */
export async function forwardSocial<K extends SocialTool>(
  deps: MerchandisingDeps,
  tool: K,
  request: Request<K> & { idempotency_key?: string; context?: unknown; ext?: unknown },
  account: AccountMeta | undefined,
  options: { write: boolean },
): Promise<Array<{ source: InventorySource; data: Data<K> }>> {
  const { storefront, principal, idempotencyKey } = agentRequest();
  if (options.write) assertCallerMayTransact(storefront.id);
  const { sellable } = await deps.sources.of(storefront.id, principal.customerId);
  const offering = sellable.filter((source) => typeof source.social?.[tool] === 'function');
  if (offering.length === 0) {
    throw new AdcpError('UNSUPPORTED_FEATURE', {
      message: `No inventory source of this storefront offers ${socialToolNames[tool]}`,
    });
  }
  const { context: _context, ext: _ext, ...rest } = request as Record<string, unknown>;
  const call: SourceCall = {
    customerId: principal.customerId,
    account: { account: account?.reference },
    budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
  };
  // The buyer's key, from the request or, where the SDK passes only part of it, as it was checked.
  const key =
    typeof rest['idempotency_key'] === 'string'
      ? rest['idempotency_key']
      : options.write
        ? idempotencyKey
        : undefined;
  const outcomes = (await askEach(offering, (source) => {
    const asked = key
      ? {
          ...rest,
          idempotency_key: upstreamIdempotencyKey(
            storefront.id,
            principal.customerId,
            key,
            source.source.sourceId,
          ),
        }
      : rest;
    const method = source.social![tool] as (
      request: unknown,
      call: SourceCall,
    ) => Promise<SourceAnswer<unknown>>;
    return method(asked, call);
  })) as Array<SourceOutcome<Data<K>>>;
  const answered = outcomes.flatMap((outcome) => {
    if (!outcome.ok) return [];
    // An AdCP error answer (errors[] and nothing else) is the source refusing the request.
    if (refusal(outcome.data)) return [];
    const source = offering.find((s) => s.source.id === outcome.source.id)!;
    return [{ source, data: outcome.data }];
  });
  if (answered.length > 0) return answered;
  const first = outcomes[0]!;
  const error = first.ok ? refusal(first.data)! : first.error;
  throw new AdcpError(error.code as ConstructorParameters<typeof AdcpError>[0], {
    message: error.message,
    ...(error.field !== undefined && { field: error.field }),
    // How long the source asked to wait (a provider's throttle): the buyer waits as long.
    ...(error.retry_after !== undefined && { retry_after: error.retry_after }),
    ...(error.details !== undefined && { details: error.details }),
  });
}

/** The first error of an AdCP error answer (`errors[]` without a success payload). */
function refusal(data: unknown):
  | {
      code: string;
      message: string;
      field?: string;
      retry_after?: number;
      details?: Record<string, unknown>;
    }
  | undefined {
  if (!isRecord(data) || !Array.isArray(data['errors']) || data['errors'].length === 0) {
    return undefined;
  }
  const successKeys = ['audiences', 'catalogs', 'event_sources', 'events_received', 'currency'];
  if (successKeys.some((k) => k in data)) return undefined;
  const [first] = data['errors'] as unknown[];
  if (!isRecord(first)) return { code: 'SERVICE_UNAVAILABLE', message: 'The source refused' };
  return {
    code: typeof first['code'] === 'string' ? first['code'] : 'SERVICE_UNAVAILABLE',
    // The seller's words for the buyer, without any address they name.
    message:
      typeof first['message'] === 'string'
        ? scrubAddresses(first['message'])
        : 'The source refused',
    ...(typeof first['field'] === 'string' && { field: first['field'] }),
    ...(typeof first['retry_after'] === 'number' && { retry_after: first['retry_after'] }),
    ...(isRecord(first['details']) && { details: first['details'] }),
  };
}
