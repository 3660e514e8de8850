import { createHash } from 'node:crypto';
import type { UpstreamClient, UpstreamTarget } from '../../upstream/index.js';
import type { PropertyListRef, ResolvedPropertyList } from './filter.js';

/*
 * A buyer's property list fetched from the agent that keeps it (AdCP 3.1 get_property_list, MCP),
 * through the upstream client (the SSRF-guarded outbound client: 5 MB per answer), bounded in
 * pages, identifiers and time, and cached per owner until the list's `cache_valid_until`.
 */

/** Why a list could not be resolved: the buyer's error, with the field that named it. */
export interface ListFailure {
  code: 'SERVICE_UNAVAILABLE' | 'REFERENCE_NOT_FOUND' | 'INVALID_REQUEST';
  message: string;
  field: string;
  recovery: 'transient' | 'correctable';
}

export type ListResolution =
  { ok: true; list: ResolvedPropertyList } | { ok: false; error: ListFailure };

export interface PropertyListResolver {
  /** The list `ref` (named at `field`) as `owner` (the buyer) may see it. Never throws. */
  resolve(owner: string, ref: PropertyListRef, field: string): Promise<ListResolution>;
}

export interface ResolverOptions {
  /** Upper bound on resolving one list, every page included; default 5000 ms. */
  budgetMs?: number;
  /** Most identifiers kept of one list; default 100 000 (the spec's lists run to 50 000+). */
  maxIdentifiers?: number;
  now?: () => number;
}

const pageSize = 10_000; // the spec's maximum max_results
const defaultTtlMs = 5 * 60_000; // when the agent gives no cache_valid_until
const maxTtlMs = 24 * 3_600_000;
const maxEntries = 1_000;

interface Answer {
  identifiers?: Array<{ type?: unknown; value?: unknown }>;
  pagination?: { has_more?: unknown; cursor?: unknown };
  cache_valid_until?: unknown;
}

export function createPropertyListResolver(
  upstream: Pick<UpstreamClient, 'callTool'>,
  options: ResolverOptions = {},
): PropertyListResolver {
  const budgetMs = options.budgetMs ?? 5_000;
  const maxIdentifiers = options.maxIdentifiers ?? 100_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { list: ResolvedPropertyList; until: number }>();

  async function fetchList(owner: string, ref: PropertyListRef, field: string) {
    const deadline = now() + budgetMs;
    const target: UpstreamTarget = {
      endpointUrl: ref.agent_url,
      protocol: 'MCP',
      auth: ref.auth_token ? { type: 'JWT', token: ref.auth_token } : { type: 'NO_AUTH' },
      owner: `property-list:${owner}`,
    };
    const domains = new Set<string>();
    let cursor: string | undefined;
    let validUntil: number | undefined;
    for (;;) {
      const timeoutMs = deadline - now();
      if (timeoutMs <= 0) return failure(field, 'SERVICE_UNAVAILABLE', 'did not answer in time');
      const answer = await upstream.callTool<Answer>(
        target,
        'get_property_list',
        {
          list_id: ref.list_id,
          resolve: true,
          pagination: { max_results: pageSize, ...(cursor && { cursor }) },
        },
        { timeoutMs },
      );
      if (!answer.ok) {
        return answer.error.code === 'tool_error' || answer.error.code === 'unauthorized'
          ? failure(field, 'REFERENCE_NOT_FOUND', `refused it (${answer.error.message})`)
          : failure(field, 'SERVICE_UNAVAILABLE', `could not be reached (${answer.error.code})`);
      }
      const data = answer.data;
      if (!data || !Array.isArray(data.identifiers)) {
        return failure(field, 'SERVICE_UNAVAILABLE', 'answered without resolved identifiers');
      }
      for (const identifier of data.identifiers) {
        if (identifier.type === 'domain' && typeof identifier.value === 'string') {
          domains.add(identifier.value.toLowerCase());
        }
      }
      if (domains.size > maxIdentifiers) {
        return failure(field, 'INVALID_REQUEST', `holds more than ${maxIdentifiers} identifiers`);
      }
      const until = Date.parse(String(data.cache_valid_until));
      if (Number.isFinite(until)) validUntil = Math.min(validUntil ?? until, until);
      const next = data.pagination?.cursor;
      if (data.pagination?.has_more !== true || typeof next !== 'string' || next === cursor) break;
      cursor = next;
    }
    const list: ResolvedPropertyList = { ref, field, domains };
    return { ok: true as const, list, until: validUntil ?? now() + defaultTtlMs };
  }

  function failure(field: string, code: ListFailure['code'], what: string) {
    const recovery = code === 'SERVICE_UNAVAILABLE' ? 'transient' : 'correctable';
    return {
      ok: false as const,
      error: { code, field, recovery, message: `The property list at ${field} ${what}` },
    } satisfies ListResolution;
  }

  return {
    async resolve(owner, ref, field) {
      const key = cacheKey(owner, ref);
      const cached = cache.get(key);
      if (cached && cached.until > now()) return { ok: true, list: { ...cached.list, field } };
      cache.delete(key);
      const fetched = await fetchList(owner, ref, field);
      if (!fetched.ok) return fetched;
      const until = Math.min(fetched.until, now() + maxTtlMs);
      if (until > now()) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
        cache.set(key, { list: fetched.list, until });
      }
      return { ok: true, list: fetched.list };
    },
  };
}

/** One owner's view of one list: a token is part of the key (hashed: the key is no secret). */
function cacheKey(owner: string, ref: PropertyListRef): string {
  const token = ref.auth_token ? createHash('sha256').update(ref.auth_token).digest('hex') : '';
  return JSON.stringify([owner, ref.agent_url, ref.list_id, token]);
}
