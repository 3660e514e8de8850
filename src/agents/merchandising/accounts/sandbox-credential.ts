import type { AdcpServer } from '@adcp/sdk/server';
import { isRecord } from '../../../platform/is-record.js';
import { wrapEveryTool } from '../../hosting/sdk-mcp-server.js';
import { findAgentRequest } from '../caller.js';

/**
 * A sandbox key (identity's api_keys.sandbox): AdCP's sandbox principal. The spec ties an
 * account's mode to the credential that calls, not only to the reference it sends: the
 * storyboards run as a sandbox principal (test-kits/acme-outdoor.yaml: `sandbox: true`) and name
 * their accounts by natural key without `sandbox` (e.g. reach_buy_flow.yaml's sync_accounts,
 * get_products and create_media_buy send `{brand, operator}`), while "a live-mode principal
 * (test-kit: acme-outdoor-live, sandbox: false)" is refused by the controller because "the
 * seller resolv[es] the auth principal to a live-mode account in its persisted records"
 * (comply-controller-mode-gate.yaml). So on a storefront every account a sandbox key syncs or
 * names by natural key is that pair's sandbox account (account-ref.json: `sandbox: true`
 * "references the sandbox account for this brand/operator pair"), recorded as such
 * (sync_accounts, list_accounts `sandbox: true`); its calls never reach a live account.
 */
export function callsWithSandboxKey(): boolean {
  return findAgentRequest()?.principal.sandbox === true;
}

/**
 * Every tool of `server`, for a sandbox key's calls, takes each natural-key account the request
 * names (`account`, and sync_accounts' `accounts[]` entries and their `account`) as the pair's
 * sandbox account: `sandbox: true` set, whatever the caller sent (AdCP's default, unset, is the
 * production account, which a sandbox key never reaches). Applied outermost, so the 3.1 layer,
 * the SDK, the records and the sources all see the same account. Live keys' calls pass as sent.
 */
export function withSandboxKeyAccounts<S extends AdcpServer>(server: S): S {
  wrapEveryTool(server, (_tool, handler) => (args, extra) => {
    if (!callsWithSandboxKey() || !isRecord(args)) return handler(args, extra);
    return handler(sandboxAccountsOf(args), extra);
  });
  return server;
}

/** `args` with each natural-key account it names marked `sandbox: true` (a copy). */
export function sandboxAccountsOf(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  if ('account' in args) out['account'] = sandboxPair(args['account']);
  if (Array.isArray(args['accounts'])) {
    out['accounts'] = args['accounts'].map((entry: unknown) => {
      if (!isRecord(entry)) return entry;
      // Provisioning mode names the pair at the entry's root; settings-update mode in `account`.
      const marked = sandboxPair(entry);
      return isRecord(marked) && 'account' in marked
        ? { ...marked, account: sandboxPair(marked['account']) }
        : marked;
    });
  }
  return out;
}

/** A natural-key reference (or provisioning entry) as its sandbox account; anything else as is. */
function sandboxPair(ref: unknown): unknown {
  if (!isRecord(ref) || !('brand' in ref)) return ref;
  return { ...ref, sandbox: true };
}
