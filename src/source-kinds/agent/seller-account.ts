import { createHash } from 'node:crypto';
import type { AccountBindingsService } from '../../modules/account-bindings/index.js';
import { accountDomain } from '../../modules/account-bindings/index.js';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { ToolCallResult } from '../../upstream/index.js';
import { accountRefused, accountUnsettled, type SourceFailure } from '../../sources/errors.js';

/** The tools only a sales-social seller offers (what makes a storefront sell sales-social too). */
const socialTools = new Set(['sync_audiences', 'sync_catalogs', 'sync_event_sources', 'log_event']);

/**
 * Whether a seller finds its advertisers by brand: a sales-social seller (AdCP's walled
 * gardens, whose accounts are advertisers), by the specialism it declares or the social tools
 * it offers (@adcp/sdk 6.11's servers leave specialisms out of get_adcp_capabilities).
 */
export const findsAdvertisersByBrand = (source: SourceRow) =>
  source.capabilities?.specialisms.includes('sales-social') === true ||
  source.capabilities?.tools.some((tool) => socialTools.has(tool)) === true;

/** Asks the source one tool with the credential and budget of the call being checked. */
export type AskSeller = (
  tool: string,
  args: Record<string, unknown>,
) => Promise<ToolCallResult<unknown>>;

/**
 * Keeps two agencies naming one brand out of one advertiser at a seller that finds advertisers
 * by brand, behind the storefront operator's shared credential (the caller checks both): the
 * `{brand, operator}` pair is already the buyer's (accounts.ts), and here the account the
 * seller itself answers for that pair is bound to the buyer too (first use wins).
 *
 * The seller is asked with sync_accounts (AdCP: its `account_id` is the seller's own handle for
 * the pair; billed to the storefront, the agent). A seller keying by operator and brand answers
 * each agency an account of its own, and both go on; one keying by brand alone answers both
 * with one, and the agency that did not have it first is refused (`brand_not_separable`) and
 * told to bring its own credentials, since only then can the seller see it as itself. A seller
 * without sync_accounts, or answering no account_id, says nothing that separates agencies: its
 * brand is taken as its advertiser. A seller that could not be asked (unreachable, timed out)
 * leaves the call unsettled (the source is left out this time; nothing is bound).
 * Answers null when the call may go on.
 */
export async function sellerAccountRefusal(
  bindings: Pick<AccountBindingsService, 'claimSellerAccount' | 'sellerAccountOf'>,
  source: SourceRow,
  account: { brand: { domain: string }; operator: string; sandbox?: boolean },
  customerId: number,
  ask: AskSeller,
): Promise<SourceFailure | null> {
  const sandbox = account.sandbox === true;
  const brand = accountDomain(account.brand.domain);
  const operator = accountDomain(account.operator);
  let sellerAccount: string;
  try {
    sellerAccount = await bindings.sellerAccountOf(
      `${source.agentId}\n${brand}\n${operator}\n${sandbox}`,
      () => askSellerAccount(source, { brand, operator, sandbox }, ask),
    );
  } catch (error) {
    return accountUnsettled(source, error);
  }
  const ours = await bindings.claimSellerAccount(
    { agentId: source.agentId, sellerAccount, sandbox },
    customerId,
  );
  return ours
    ? null
    : { error: accountRefused(source, 'brand_not_separable', operator), operatorDetail: null };
}

/**
 * Who the registration is billed to: the storefront (the agent), as AdCP's default, unless the
 * seller's `account.supported_billing` leaves the agent out (a storefront source bills the
 * operator only, and refuses `agent` with BILLING_NOT_SUPPORTED).
 */
function billingAt(source: SourceRow): string {
  const supported = source.capabilities?.billing ?? [];
  if (supported.length === 0 || supported.includes('agent')) return 'agent';
  return supported.includes('operator') ? 'operator' : supported[0]!;
}

/** `account <id>` the seller answered for the pair, else `brand <domain>`; throws when unsure. */
async function askSellerAccount(
  source: SourceRow,
  pair: { brand: string; operator: string; sandbox: boolean },
  ask: AskSeller,
): Promise<string> {
  const byBrand = `brand ${pair.brand}`;
  if (!source.capabilities?.tools.includes('sync_accounts')) return byBrand;
  const result = await ask('sync_accounts', {
    // The same pair is one registration: a retry is the seller's replay, not a second one.
    idempotency_key: `acct-${createHash('sha256')
      .update(`${source.agentId}\n${pair.brand}\n${pair.operator}\n${pair.sandbox}`)
      .digest('hex')
      .slice(0, 40)}`,
    accounts: [
      {
        brand: { domain: pair.brand },
        operator: pair.operator,
        billing: billingAt(source),
        ...(pair.sandbox && { sandbox: true }),
      },
    ],
  });
  if (!result.ok) {
    // The seller refused the registration: it says nothing that separates agencies.
    if (result.error.code === 'tool_error') return byBrand;
    throw new Error(`sync_accounts at the source failed: ${result.error.message}`);
  }
  const rows = (result.data as { accounts?: unknown } | null)?.accounts;
  const row = Array.isArray(rows) ? (rows[0] as { account_id?: unknown } | undefined) : undefined;
  const id = row?.account_id;
  return typeof id === 'string' && id !== '' ? `account ${id}` : byBrand;
}
