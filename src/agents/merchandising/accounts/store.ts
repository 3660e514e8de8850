import {
  type Account,
  type AccountStore,
  AdcpError,
  type SyncAccountsResultRow,
} from '@adcp/sdk/server';
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
import { callsWithSandboxKey } from './sandbox-credential.js';

/**
 * Where a storefront records the accounts its buyers sync (modules/account-notifications): the
 * record says which of them are sandbox accounts.
 */
export type AccountBook = Pick<AccountNotifications, 'saveAccount' | 'findAccount'>;

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
 * Whether the caller's account `accountId` on this storefront is a sandbox account by its stored
 * record (sync_accounts with `sandbox: true`, or the test controller's seed_account): never by
 * the id's shape or a caller's say-so (comply-test-controller-request.json: the seller verifies
 * the persisted account record). An id with no record is a live account.
 */
export async function sandboxOfRecord(
  book: Pick<AccountBook, 'findAccount'> | undefined,
  accountId: string,
): Promise<boolean> {
  return (await modeOfRecord(book, accountId)) === 'sandbox';
}

/**
 * Whether a buy's account is one of the caller's sandbox accounts: by its record, or by an id
 * only the storefront mints for sandbox accounts (a sandbox pair's, a sandbox key's own, a
 * seeded buy's: ids.ts `sandboxAccountPrefix`, seed-buy.ts).
 */
export function sandboxAccountOf(book: Pick<AccountBook, 'findAccount'> | undefined) {
  return async (accountId: string): Promise<boolean> =>
    accountId.startsWith(sandboxAccountPrefix) || (await sandboxOfRecord(book, accountId));
}

/** What the caller's record of `accountId` on this storefront says: sandbox, live, or none. */
async function modeOfRecord(
  book: Pick<AccountBook, 'findAccount'> | undefined,
  accountId: string,
): Promise<'sandbox' | 'live' | undefined> {
  if (!book) return undefined;
  const { storefront, principal } = agentRequest();
  const held = await book.findAccount({
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
    accountId,
  });
  return held ? (held.sandbox ? 'sandbox' : 'live') : undefined;
}

/**
 * An account named by id: a sandbox account when its record says so; for a sandbox key
 * (sandbox-credential.ts) any account but a live one of record, which it never reaches.
 */
async function sandboxById(
  book: Pick<AccountBook, 'findAccount'> | undefined,
  accountId: string,
): Promise<boolean> {
  const mode = await modeOfRecord(book, accountId);
  if (!callsWithSandboxKey()) return mode === 'sandbox';
  if (mode === 'live') {
    throw new AdcpError('ACCOUNT_NOT_FOUND', {
      message: `Account ${accountId.slice(0, 128)} is a live account; a sandbox key acts only on sandbox accounts`,
      field: 'account.account_id',
      recovery: 'correctable',
    });
  }
  return true;
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
      // A sandbox key's accounts are all sandbox accounts (sandbox-credential.ts).
      const credential = callsWithSandboxKey();
      const accountId =
        ref && 'account_id' in ref
          ? ref.account_id
          : ref && 'brand' in ref
            ? derivedAccountId(credential ? { ...ref, sandbox: true } : ref)
            : `${credential ? sandboxAccountPrefix : ''}buyer_${principal.customerId}`;
      // A buyer-declared account's natural key carries `sandbox` (core/account.json: the same
      // brand and operator hold a production and a sandbox account); an account named by id is
      // a sandbox account when its stored record says so (sync_accounts, seed_account). Only a
      // sandbox account sees and buys the buyer's seeded fixtures (products/composition.ts).
      const sandbox =
        ref && 'brand' in ref
          ? ref.sandbox === true || credential
          : ref && 'account_id' in ref
            ? await sandboxById(book, accountId)
            : credential;
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
  // A sandbox key provisions the pair's sandbox account (sandbox-credential.ts).
  const sandbox = ref.sandbox === true || callsWithSandboxKey();
  const accountId = derivedAccountId({ ...ref, sandbox });
  const operator = ref.operator ?? ref.brand.domain;
  const billing = billingRefusal(
    typeof ref.billing === 'string' ? ref.billing : undefined,
    storefrontBilling,
  );
  if (billing) {
    return { brand: ref.brand, operator, action: 'failed', status: 'rejected', errors: [billing] };
  }
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
    ...((ref.sandbox !== undefined || sandbox) && { sandbox }),
  };
}
