import type { Account, AccountStore, SyncAccountsResultRow } from '@adcp/sdk/server';
import type { AccountReference } from '@adcp/sdk/types';
import type { AccountNotifications } from '../../../modules/account-notifications/index.js';
import type { AccountMeta as Meta } from '../adcp.js';
import { agentRequest, callerScope } from '../caller.js';
import { accountlessTaskLookup } from '../hosting/task-registry.js';
import type { AccountStatus, Sandbox } from '../sandbox/sandbox.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { billingRefusal } from '../../adcp31/accounts/index.js';
import { storefrontBilling } from './billing.js';
import { derivedAccountId, sandboxAccountPrefix } from './ids.js';

/** Where a storefront records the accounts its buyers sync (modules/account-notifications). */
export type AccountBook = Pick<AccountNotifications, 'saveAccount'>;

/**
 * The status of one of the caller's accounts on this storefront: a sandbox account's is what the
 * test controller forced (force_account_status), every other one is active.
 */
export function callerAccountStatus(
  sandboxes: Pick<Sandbox, 'accountStatus'>,
  accountId: string,
  sandbox: boolean,
): AccountStatus {
  if (!sandbox) return 'active';
  const { storefront, principal } = agentRequest();
  return (
    sandboxes.accountStatus(sandboxScope(storefront.id, principal.customerId), accountId) ??
    'active'
  );
}

/**
 * Whether the caller's sandbox on this storefront holds `accountId` (seed_account records its
 * status there; force_account_status only ever sets one on a sandbox account).
 */
export function seededSandboxAccount(
  sandboxes: Pick<Sandbox, 'accountStatus'>,
  accountId: string,
): boolean {
  const { storefront, principal } = agentRequest();
  return (
    sandboxes.accountStatus(sandboxScope(storefront.id, principal.customerId), accountId) !==
    undefined
  );
}

/**
 * Accounts on a storefront agent belong to the calling buyer: a reference by id names one of
 * its accounts, a {brand, operator} reference derives one. The buyer's API key, not the
 * reference, decides whose data a call sees (records are filtered by customer). The SDK keys
 * its tasks by account id, so the id it sees is scoped to this buyer on this storefront: two
 * buyers both naming `acme_media` (or one buyer on two storefronts) hold two accounts, and
 * tasks_get finds none of the other's tasks. sync_accounts records each account in `book`
 * (list_accounts reads them back: list-accounts.ts).
 */
export function accountStore(
  sandboxes: Pick<Sandbox, 'accountStatus'>,
  book: AccountBook | undefined,
): Pick<AccountStore<Meta>, 'resolve' | 'upsert'> {
  return {
    resolve: async (ref, ctx) => {
      const { principal } = agentRequest();
      // tasks_get names only the task (AdCP 3.0): it is looked up among all the caller's tasks.
      if (!ref && ctx?.toolName === 'tasks_get') {
        return {
          id: accountlessTaskLookup(),
          name: 'Tasks of this buyer',
          status: 'active',
          ctx_metadata: { accountId: `buyer_${principal.customerId}` },
        };
      }
      const accountId =
        ref && 'account_id' in ref
          ? ref.account_id
          : ref && 'brand' in ref
            ? derivedAccountId(ref)
            : `buyer_${principal.customerId}`;
      // Sandbox is the buyer's to declare: a sandbox account's seeded inventory is its own and
      // sold by the storefront itself (sandbox.ts), never by a real source. An id the test
      // controller seeded (seed_account) is one of the caller's sandbox accounts too.
      const sandbox =
        ref && 'brand' in ref
          ? ref.sandbox === true
          : accountId.startsWith(sandboxAccountPrefix) ||
            seededSandboxAccount(sandboxes, accountId);
      const account: Account<Meta> = {
        id: `${callerScope()}/${accountId}`,
        name: ref && 'brand' in ref ? `${ref.brand.domain} via storefront` : `Account ${accountId}`,
        status: callerAccountStatus(sandboxes, accountId, sandbox),
        ...(ref &&
          'brand' in ref && { brand: ref.brand, ...(ref.operator && { operator: ref.operator }) }),
        ctx_metadata: { accountId, ...(ref && { reference: ref }) },
        ...(sandbox && { sandbox: true }),
      };
      return account;
    },
    // sync_accounts: a buyer's accounts on a storefront need no onboarding; each reference is
    // recorded as an account of the caller on this storefront (its id derived as in resolve).
    upsert: async (refs) => {
      const rows: SyncAccountsResultRow[] = [];
      for (const ref of refs) {
        if ('brand' in ref) rows.push(await upsertOne(sandboxes, book, ref));
      }
      return rows;
    },
  };
}

async function upsertOne(
  sandboxes: Pick<Sandbox, 'accountStatus'>,
  book: AccountBook | undefined,
  ref: Extract<AccountReference, { brand: unknown }> & {
    payment_terms?: unknown;
    billing?: unknown;
  },
): Promise<SyncAccountsResultRow> {
  const accountId = derivedAccountId(ref);
  const operator = ref.operator ?? ref.brand.domain;
  const billing = billingRefusal(
    typeof ref.billing === 'string' ? ref.billing : undefined,
    storefrontBilling,
  );
  if (billing) {
    return { brand: ref.brand, operator, action: 'failed', status: 'rejected', errors: [billing] };
  }
  const sandbox = ref.sandbox === true;
  const terms = typeof ref.payment_terms === 'string' ? ref.payment_terms : undefined;
  const { storefront, principal } = agentRequest();
  const action = book
    ? await book.saveAccount(
        { storefrontId: storefront.id, buyerCustomerId: principal.customerId, accountId },
        {
          accountId,
          brand: { ...ref.brand },
          operator,
          sandbox,
          ...(terms !== undefined && { paymentTerms: terms }),
        },
      )
    : 'created';
  return {
    account_id: accountId,
    brand: ref.brand,
    operator,
    name: `${ref.brand.domain} via storefront`,
    action,
    status: callerAccountStatus(sandboxes, accountId, sandbox),
    ...(ref.sandbox !== undefined && { sandbox: ref.sandbox }),
  };
}
