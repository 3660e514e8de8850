import type { GetProductsRequest } from '@adcp/sdk/types';
import { publishesFeeds } from '../../../../source-kinds/agent/feed-mirror/mirror.js';
import type { InventorySource } from '../../../../sources/port.js';
import type { MerchandisingDeps } from '../../deps.js';
import { budgetOf, forwardedRequest } from '../composition.js';
import {
  agentDescriptor,
  linkedStorefrontDescriptor,
} from '../../../../source-kinds/descriptors.js';

/** What a storefront's wholesale answer is of at its sources at other agents, per source. */
export interface FollowedSources {
  /** Each such source's `wholesale_feed_version` for this buyer, by source id. */
  versions: Array<[string, string]>;
  /** `account` when any of them answers this buyer's account alone. */
  scope: 'public' | 'account';
}

/** Kinds whose products live at another agent: the database sees none of their changes. */
export const remoteKinds: ReadonlySet<string> = new Set([
  agentDescriptor.executionType,
  linkedStorefrontDescriptor.executionType,
]);

/**
 * The wholesale feed versions of the storefront's sources at other agents, as their mirrors
 * hold them for this buyer (source-kinds/agent/feed-mirror): each source is asked only
 * `if_wholesale_feed_version` (or not at all while its feed webhooks are quiet), with the very
 * request, account and credential the answer would ask it with, so the version followed is the
 * one of the set the answer is built from. Undefined when any of them is not mirrored (it does
 * not publish versions, refused, could not be reached): nothing can then be promised before the
 * answer is built (products/feed/state.ts falls back).
 */
export async function followedSources(
  deps: Pick<MerchandisingDeps, 'sources' | 'sourceBudgetMs'>,
  storefrontId: number,
  customerId: number,
  args: Record<string, unknown>,
): Promise<FollowedSources | undefined> {
  const { sellable } = await deps.sources.of(storefrontId, customerId);
  const remote = sellable.filter((port) => remoteKinds.has(port.source.executionType));
  if (remote.length === 0) return { versions: [], scope: 'public' };
  // One that cannot be mirrored: nothing to follow, and nothing asked of any of them for it.
  const mirrorable = (port: InventorySource) =>
    publishesFeeds({ executionType: port.source.executionType, capabilities: port.capabilities });
  if (!remote.every(mirrorable)) return undefined;
  const request = wholesaleRequest(args);
  const ids = sellable.map((port) => port.source.sourceId);
  const budgetMs = budgetOf(deps, request);
  const call = { customerId, account: request, budgetMs, reuse: true, feedVersionOnly: true };
  const versions = await Promise.all(
    remote.map(async (port: InventorySource) => {
      const asked = forwardedRequest(request, port.source, ids);
      const answer = asked && (await port.getProducts(asked, call));
      return answer?.ok && !answer.stale && answer.feed
        ? { id: port.source.sourceId, ...answer.feed }
        : undefined;
    }),
  );
  if (versions.some((v) => v === undefined)) return undefined;
  const known = versions.filter((v) => v !== undefined);
  return {
    versions: known.map((v): [string, string] => [v.id, v.version]),
    scope: known.some((v) => v.scope === 'account') ? 'account' : 'public',
  };
}

/** The buyer's wholesale request as the answer's composition receives it (no 3.1 extras). */
function wholesaleRequest(args: Record<string, unknown>): GetProductsRequest {
  const {
    if_wholesale_feed_version: _token,
    if_pricing_version: _pricing,
    adcp_version: _version,
    idempotency_key: _key,
    ...rest
  } = args;
  // cast: the buyer's own request, already checked by the SDK against get_products's schema
  return rest as unknown as GetProductsRequest;
}
