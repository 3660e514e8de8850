import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';
import { errorAnswer } from '../errors.js';
import type { AdcpError } from '../schemas/envelope.js';

/** media-buy/get-products-response.json cache_scope. */
export type CacheScope = 'public' | 'account';

/** What a storefront's get_products answer is composed from now, as cheap signals. */
export interface FeedState {
  /**
   * Everything that shapes the answer for this caller, as an opaque string (the database's feed
   * revision, the caller, the buyer terms that apply, the sources' own signals): equal strings
   * mean an equal answer.
   */
  state: string;
  /** `account` when terms of the request's account shape the answer (never without `account`). */
  scope: CacheScope;
  /**
   * The answer also holds what sources at other agents answer live (no cached window to promise a
   * version by): the version is then the state plus a digest of the answer's rows, so it is only
   * known once the answer is built. `unchanged` still spares the buyer the rows it already holds.
   */
  live?: boolean;
}

/** The storefront side: the feed state of the calling buyer's get_products request. */
export type FeedStateOf = (args: Record<string, unknown>) => Promise<FeedState>;

/** The request fields this layer answers for; the 3.0 handler never sees them. */
const conditionalFields = ['if_wholesale_feed_version', 'if_pricing_version'] as const;

/**
 * AdCP 3.1 wholesale feed versioning on a 3.1 caller's get_products
 * (specs/wholesale-feed-webhooks.md): every answer declares its `cache_scope`; a wholesale one
 * carries `wholesale_feed_version`, and `if_wholesale_feed_version` equal to the current version
 * answers `unchanged: true` without building the answer or asking any source.
 *
 * The version is read BEFORE the answer is built and stamped on it: a change committed during
 * the build moves the version past the stamp, so the buyer's next probe fetches again. Where
 * sources at other agents are asked live (FeedState.live), the answer is built first and its
 * rows are part of the version: `unchanged` then means the same rows, checked, not promised.
 */
export async function serveGetProducts31(
  args: Record<string, unknown>,
  run: (args: Record<string, unknown>) => CallToolResult | Promise<CallToolResult>,
  stateOf: FeedStateOf,
): Promise<CallToolResult> {
  const wholesale = args['buying_mode'] === 'wholesale';
  const refusal = conditionalRefusal(args, wholesale);
  if (refusal) return errorAnswer(refusal, args['context']);
  const feed = await stateOf(args);
  const { scope } = feed;
  const token = args['if_wholesale_feed_version'];
  const version = feedVersionOf(feed.state, scope, args);
  if (wholesale && !feed.live && token === version) return unchangedAnswer(version, scope, args);
  const forwarded = { ...args };
  for (const field of conditionalFields) delete forwarded[field];
  const result = await run(forwarded);
  const content = result.structuredContent;
  if (result.isError === true || !isRecord(content)) return result;
  const stamped = feed.live
    ? feedVersionOf(`${feed.state}\n${rowsDigest(content)}`, scope, args)
    : version;
  if (wholesale && feed.live && token === stamped) return unchangedAnswer(stamped, scope, args);
  return {
    ...result,
    structuredContent: {
      ...content,
      ...(wholesale && { wholesale_feed_version: stamped }),
      cache_scope: scope,
    },
  };
}

/** `unchanged: true`: the version, the scope and the caller's context, no rows. */
function unchangedAnswer(
  version: string,
  scope: CacheScope,
  args: Record<string, unknown>,
): CallToolResult {
  const content = {
    unchanged: true,
    wholesale_feed_version: version,
    cache_scope: scope,
    ...(isRecord(args['context']) && { context: args['context'] }),
  };
  return { content: [{ type: 'text', text: JSON.stringify(content) }], structuredContent: content };
}

/**
 * What a buyer's mirror holds of an answer: its rows and where the page ends. Not the context
 * (the buyer's own), nor advisories (errors[]: a stale part is still the same rows).
 */
function rowsDigest(content: Record<string, unknown>): string {
  const rows = JSON.stringify([
    content['products'] ?? null,
    content['proposals'] ?? null,
    content['pagination'] ?? null,
  ]);
  return createHash('sha256').update(rows).digest('base64url');
}

/**
 * get_adcp_capabilities for a 3.1 caller of a storefront that offers get_products:
 * `wholesale_feed_versioning`, prices inside the feed version (no separate pricing_version).
 */
export function advertiseFeedVersions(
  result: CallToolResult,
  webhookEvents?: readonly string[],
): CallToolResult {
  const content = result.structuredContent;
  if (result.isError === true || !isRecord(content)) return result;
  return {
    ...result,
    structuredContent: {
      ...content,
      wholesale_feed_versioning: { supported: true, pricing_version_separate: false },
      // Feed webhooks through sync_accounts notification_configs (adcp31/accounts).
      ...(webhookEvents && {
        wholesale_feed_webhooks: { supported: true, event_types: [...webhookEvents] },
      }),
    },
  };
}

/**
 * The opaque token: the feed state, the scope and the request's scoping tuple (buying mode,
 * filters, property list, catalog; not the cursor), so a token presented with other filters
 * never matches.
 */
export function feedVersionOf(
  state: string,
  scope: CacheScope,
  args: Record<string, unknown>,
): string {
  const tuple = JSON.stringify([
    args['buying_mode'] ?? null,
    args['filters'] ?? null,
    args['property_list'] ?? null,
    args['catalog'] ?? null,
  ]);
  const digest = createHash('sha256').update(`${scope}\n${state}\n${tuple}`).digest('base64url');
  return `wfv_${digest.slice(0, 32)}`;
}

/** The spec's rules on the conditional fields (get-products-request.json). */
function conditionalRefusal(
  args: Record<string, unknown>,
  wholesale: boolean,
): AdcpError | undefined {
  const token = args['if_wholesale_feed_version'];
  if (args['if_pricing_version'] !== undefined && token === undefined) {
    return invalid('if_pricing_version', 'if_pricing_version requires if_wholesale_feed_version');
  }
  if (token === undefined) return undefined;
  if (typeof token !== 'string') {
    return invalid('if_wholesale_feed_version', 'if_wholesale_feed_version must be a string');
  }
  if (!wholesale) {
    return invalid(
      'if_wholesale_feed_version',
      'if_wholesale_feed_version is only valid with buying_mode "wholesale"',
    );
  }
  return undefined;
}

function invalid(field: string, message: string): AdcpError {
  return { code: 'INVALID_REQUEST', message, field, recovery: 'correctable' };
}
