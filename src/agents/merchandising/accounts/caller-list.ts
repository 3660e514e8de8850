import type { CallerAccountList, ListedAccount } from '../../adcp31/accounts/index.js';
import type { AccountNotifications } from '../../../modules/account-notifications/index.js';
import { wireConfigOf } from '../feed-webhooks/caller-accounts.js';
import { agentRequest } from '../caller.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { StorefrontSocial } from '../social/tools.js';
import { derivedAccountId } from './ids.js';
import { callerAccountStatus } from './store.js';

/**
 * The calling buyer's accounts on the storefront it calls, for list_accounts: those it
 * registered here with sync_accounts (3.0 or 3.1), keyed by storefront and buyer from the
 * request (caller.ts), never by what the arguments say; over sales-social sources, also those
 * the sources list for this buyer, where the storefront has no record of that id.
 */
export function callerAccountList(options: {
  book: Pick<AccountNotifications, 'accountsOf' | 'configsOfAccounts'>;
  sandboxes: Pick<Sandbox, 'accountStatus'>;
  social: Pick<StorefrontSocial, 'listAccounts'>;
}): CallerAccountList {
  const { book, sandboxes, social } = options;
  const owner = () => {
    const { storefront, principal } = agentRequest();
    return { storefrontId: storefront.id, buyerCustomerId: principal.customerId };
  };
  return {
    async all() {
      const own = (await book.accountsOf(owner())).map((account): ListedAccount => ({
        account_id: account.accountId,
        name: `${String(account.brand['domain'])} via storefront`,
        status: callerAccountStatus(sandboxes, account.accountId, account.sandbox),
        brand: account.brand,
        operator: account.operator,
        sandbox: account.sandbox,
        ...(account.paymentTerms !== undefined && { payment_terms: account.paymentTerms }),
        first_synced_ms: account.firstSyncedAt.getTime(),
      }));
      if (!social.listAccounts) return own;
      const known = new Set(own.map((account) => account.account_id));
      const listed = await social.listAccounts({});
      const theirs = listed.items
        .filter((account) => !known.has(account.id))
        .map((account): ListedAccount => ({
          account_id: account.id,
          name: account.name,
          status: account.status,
          brand: { ...account.brand },
          ...(account.operator !== undefined && { operator: account.operator }),
          sandbox: account.sandbox === true,
        }));
      return [...own, ...theirs];
    },
    idOf: (ref) => derivedAccountId(ref),
    async configsOf(accountIds) {
      const stored = await book.configsOfAccounts(owner(), accountIds);
      return new Map([...stored].map(([id, configs]) => [id, configs.map(wireConfigOf)]));
    },
  };
}
