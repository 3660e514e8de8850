import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { speaks31 } from '../call.js';
import { errorAnswer, validationError } from '../errors.js';
import { answer, readRequest } from '../tasks/request.js';
import { echoOf } from './configs.js';
import type { CallerAccountList, ListedAccount } from './port.js';
import { type ListAccountsRequest, listAccountsRequest } from './schemas.js';

/** core/pagination-request.json's default page. */
const defaultPageSize = 50;

/**
 * list_accounts (account/list-accounts-request.json, 3.0.6 and 3.1.19): the caller's accounts on
 * this storefront, filtered by `status`, `sandbox` and (3.1's) `account`, newest first (when the
 * buyer first registered each here, then account_id; the accounts only its sources list last)
 * and paged by an opaque cursor naming the last account given by that key, which never moves:
 * a page never repeats nor skips an account that existed when the walk began, and one added
 * mid-walk sorts before the cursor. A 3.1 caller also reads each account's
 * `notification_configs` back, without credentials.
 */
export async function listAccounts(
  accounts: CallerAccountList,
  args: unknown,
): Promise<CallToolResult> {
  const read = readRequest(listAccountsRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const cursor = request.pagination?.cursor;
  const after = cursor === undefined ? null : afterOf(cursor);
  if (after === undefined) {
    const refused = validationError(
      'pagination.cursor',
      'pagination.cursor is not one this agent gave',
    );
    return errorAnswer(refused, request.context);
  }
  const wanted = idOfFilter(accounts, request);
  const matching = (await accounts.all())
    .filter((account) => wanted === undefined || account.account_id === wanted)
    .filter((account) => request.status === undefined || account.status === request.status)
    .filter((account) => request.sandbox === undefined || account.sandbox === request.sandbox)
    .map((account) => ({ ...account, key: keyOf(account) }))
    .sort((a, b) => compareKeys(a.key, b.key));
  const rest = after ? matching.filter((account) => compareKeys(account.key, after) > 0) : matching;
  const page = rest.slice(0, request.pagination?.max_results ?? defaultPageSize);
  const hasMore = rest.length > page.length;
  const configs = speaks31()
    ? await accounts.configsOf(page.map((account) => account.account_id))
    : undefined;
  const listed = page.map((account) => ({
    ...wireOf(account),
    ...(configs && {
      notification_configs: (configs.get(account.account_id) ?? []).map(echoOf),
    }),
  }));
  return answer(
    {
      accounts: listed,
      pagination: {
        has_more: hasMore,
        ...(hasMore && { cursor: cursorOf(page.at(-1)!.key) }),
        total_count: matching.length,
      },
    },
    request.context,
  );
}

/** The one account id `account` names, or undefined when the request names none. */
function idOfFilter(accounts: CallerAccountList, request: ListAccountsRequest) {
  const ref = request.account;
  if (ref === undefined) return undefined;
  return 'account_id' in ref ? ref.account_id : accounts.idOf(ref);
}

function wireOf(account: ListedAccount): Record<string, unknown> {
  return {
    account_id: account.account_id,
    name: account.name,
    status: account.status,
    brand: account.brand,
    ...(account.operator !== undefined && { operator: account.operator }),
    sandbox: account.sandbox,
    ...(account.payment_terms !== undefined && { payment_terms: account.payment_terms }),
  };
}

/** Where an account sorts: newest first by when it was first synced (ms), then by id. */
interface SortKey {
  ms: number;
  id: string;
}

const keyOf = (account: ListedAccount): SortKey => ({
  ms: account.first_synced_ms ?? 0,
  id: account.account_id,
});

const compareKeys = (a: SortKey, b: SortKey) =>
  a.ms !== b.ms ? b.ms - a.ms : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const cursorPrefix = 'acct2:';

const cursorOf = (last: SortKey) =>
  Buffer.from(`${cursorPrefix}${last.ms}:${last.id}`, 'utf8').toString('base64url');

/** The last account's sort key a cursor names, or undefined when this agent did not give it. */
function afterOf(cursor: string): SortKey | undefined {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^acct2:(\d{1,15}):(.+)$/s.exec(decoded);
  if (!match) return undefined;
  const key = { ms: Number(match[1]), id: match[2]! };
  return cursorOf(key) === cursor ? key : undefined;
}
