import type { AccountReference } from '@adcp/sdk/types';
import type { AccountKey } from '../../modules/account-bindings/index.js';
import type {
  SocialTools,
  SourceAnswer,
  SourceCall,
  SourceRow,
} from '../../modules/inventory-sources/index.js';

/** How an AGENT source asks its agent one tool (source.ts `ask`). */
type Ask = <T>(
  tool: string,
  args: Record<string, unknown>,
  call: SourceCall,
) => Promise<SourceAnswer<T>>;

/**
 * The sales-social tools of an AdCP agent source (`{ social }` to spread on the source, or
 * nothing): each tool its agent lists (the probe's cached tools), asked under the buyer's
 * account there (source.ts). list_accounts answers the accounts bound to the buyer at that
 * agent (accounts.ts binds a pair to the first buyer using it), never the agent's own list:
 * behind the operator's shared credential that list is every buyer's.
 */
export function socialOf(
  row: SourceRow,
  ask: Ask,
  ownedAt: ((agentId: string, customerId: number) => Promise<AccountKey[]>) | undefined,
): { social?: SocialTools } {
  const tools = row.capabilities?.tools ?? [];
  const offers = (tool: string) => tools.includes(tool);
  const social: SocialTools = {
    ...(offers('sync_audiences') && {
      syncAudiences: (request, call) => ask('sync_audiences', request, call),
    }),
    ...(offers('sync_catalogs') && {
      syncCatalogs: (request, call) => ask('sync_catalogs', request, call),
    }),
    ...(offers('sync_event_sources') && {
      syncEventSources: (request, call) => ask('sync_event_sources', request, call),
    }),
    ...(offers('log_event') && { logEvent: (request, call) => ask('log_event', request, call) }),
    ...(offers('get_account_financials') && {
      getAccountFinancials: (request, call) => ask('get_account_financials', request, call),
    }),
  };
  if (Object.keys(social).length === 0) return {};
  if (offers('list_accounts') && ownedAt) {
    social.listAccounts = async (call) => {
      if (call.customerId === null) return { ok: true, data: [] };
      const owned = await ownedAt(row.agentId, call.customerId);
      const accounts: AccountReference[] = owned.map((key) => ({
        brand: { domain: key.brandDomain },
        operator: key.operatorDomain,
        ...(key.sandbox && { sandbox: true }),
      }));
      return { ok: true, data: accounts };
    };
  }
  return { social };
}
