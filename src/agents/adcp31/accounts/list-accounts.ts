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
 * this storefront, filtered by `status`, `sandbox` and (3.1's) `account`, ordered by account_id
 * and paged by an opaque cursor naming the last id given, so a page never repeats nor skips an
 * account that existed when the walk began. A 3.1 caller also reads each account's
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
  const after = cursor === undefined ? '' : afterOf(cursor);
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
    .sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
  const rest = matching.filter((account) => account.account_id > after);
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
        ...(hasMore && { cursor: cursorOf(page.at(-1)!.account_id) }),
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

const cursorPrefix = 'acct:';

const cursorOf = (lastId: string) =>
  Buffer.from(`${cursorPrefix}${lastId}`, 'utf8').toString('base64url');

/** The last account id a cursor names, or undefined when this agent did not give it. */
function afterOf(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (
    !decoded.startsWith(cursorPrefix) ||
    cursorOf(decoded.slice(cursorPrefix.length)) !== cursor
  ) {
    return undefined;
  }
  return decoded.slice(cursorPrefix.length);
}
