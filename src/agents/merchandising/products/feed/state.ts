import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FeedState, FeedStateOf } from '../../../adcp31/index.js';
import type { BuyerIdentity } from '../../../../modules/buyer-instructions/index.js';
import type { InventorySource } from '../../../../sources/port.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { followedSources, remoteKinds } from './source-versions.js';

const domain = z.object({ domain: z.string() });
/** The request's buyer, read as buyerIdentityOf (composition.ts) reads it. */
const buyerFields = z.object({
  account: z.object({ operator: z.string(), brand: domain }).optional().catch(undefined),
  brand: domain.optional().catch(undefined),
  filters: z
    .object({ countries: z.array(z.string()).optional() })
    .optional()
    .catch(undefined),
});

/**
 * What a storefront's get_products answer to this caller is composed from, as cheap signals
 * (adcp31/feeds/wholesale.ts turns it into `wholesale_feed_version`), without building it:
 *
 * - the database's feed revision, moved by every write to what shapes answers (sources and their
 *   inventory, the storefront, buyer terms, rate cards, product rules, operating instructions,
 *   accepted postures);
 * - the caller (its customer: sources answer with its credentials) and its link chain;
 * - the buyer terms that apply to the request (buyer instructions: discount, posture), which make
 *   the scope `account` when the request names its account;
 * - the caller's sandbox inventory (held in memory, seeded by the test controller);
 * - for sources at another agent, on a wholesale read, their own feed versions as the storefront
 *   mirrors them for this buyer (products/feed/source-versions.ts): the version follows theirs, so a
 *   chain of storefronts answers `unchanged` end to end while nothing moved, and a new version
 *   as soon as a source's moved; account-scoped where a source answers this account alone.
 *   Where a source is not mirrored, the window of the source answer cache: the storefront serves
 *   their answers up to that old, so the version moves at least that often. With the cache off
 *   their answers are live and no version can be promised before asking: the answer is `live`,
 *   and its version includes its own rows (adcp31/feeds/wholesale.ts).
 */
export function storefrontFeedState(
  deps: Pick<MerchandisingDeps, 'buyerInstructions' | 'sandbox' | 'sources' | 'sourceBudgetMs'>,
  options: {
    readRevision: () => Promise<string>;
    sellable: readonly InventorySource[];
    sourceAnswerTtlMs: number;
    now?: () => number;
  },
): FeedStateOf {
  const remote = options.sellable.some((s) => remoteKinds.has(s.source.executionType));
  const now = options.now ?? Date.now;
  return async (args): Promise<FeedState> => {
    const { storefront, principal, linkChain } = agentRequest();
    const follow = remote && args['buying_mode'] === 'wholesale';
    const [revision, terms, followed] = await Promise.all([
      options.readRevision(),
      deps.buyerInstructions.resolve(storefront.id, buyerOf(args)),
      follow ? followedSources(deps, storefront.id, principal.customerId, args) : undefined,
    ]);
    const applies = terms.discountPercent !== null || terms.posture !== null;
    const windowed = remote && !followed;
    const live = windowed && options.sourceAnswerTtlMs <= 0;
    const remoteWindow = windowed && !live ? Math.floor(now() / options.sourceAnswerTtlMs) : null;
    const state = JSON.stringify({
      revision,
      storefront: storefront.id,
      customer: principal.customerId,
      chain: linkChain ?? [],
      terms: applies ? { discount: terms.discountPercent, posture: terms.posture } : null,
      // The scope the test controller seeds under (sandbox/controller.ts), not callerScope().
      sandbox: digest(
        JSON.stringify(deps.sandbox.products(sandboxScope(storefront.id, principal.customerId))),
      ),
      remoteWindow,
      sources: followed?.versions ?? null,
    });
    // 3.1: without `account` the scope is public, whoever the caller is.
    const shaped = applies || followed?.scope === 'account';
    const scope = shaped && args['account'] !== undefined ? 'account' : 'public';
    return { state, scope, ...(live && { live }) };
  };
}

function buyerOf(args: Record<string, unknown>): BuyerIdentity {
  const parsed = buyerFields.safeParse(args);
  const fields = parsed.success ? parsed.data : {};
  const countries = fields.filters?.countries ?? [];
  return {
    operatorDomain: fields.account?.operator ?? null,
    brandDomain: fields.brand?.domain ?? fields.account?.brand.domain ?? null,
    country: countries.length === 1 ? (countries[0] ?? null) : null,
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
