import type { SalesPlatform } from '@adcp/sdk/server';
import type { AccountReference } from '@adcp/sdk/types';

/*
 * The AdCP boundary, typed once: the requests, contexts and results of the storefront agent's
 * sales tools as @adcp/sdk's decisioning platform declares them (SalesPlatform), so every
 * handler is checked against the protocol by tsc. Derived from the platform's own signatures
 * rather than named from '@adcp/sdk/types', which still exports a few legacy v2 shapes under
 * the same names (ListCreativesRequest, SyncCreativesRequest).
 */

/**
 * What an account resolved on a storefront agent carries (platform.ts): the account id as the
 * buyer names it (our records keep it), and the buyer's reference itself, from which sources are
 * told their own account.
 */
export type AccountMeta = { accountId: string; reference?: AccountReference };

type Sales = Required<SalesPlatform<AccountMeta>>;
type Tool = keyof Sales;

/** A sales tool's request, as the SDK validated and hands it over. */
export type SalesRequest<K extends Tool> = Parameters<Sales[K]>[0];
/** What a sales tool answers (for createMediaBuy and syncCreatives, possibly a task handoff). */
export type SalesResult<K extends Tool> = Awaited<ReturnType<Sales[K]>>;
/** The request context the SDK passes a tool that names an account. */
export type SalesContext = Parameters<Sales['createMediaBuy']>[1];
