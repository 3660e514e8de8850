import { isRecord } from '../../platform/is-record.js';
import { fetchJsonObject, type OutboundFetch } from '../../platform/outbound/index.js';

/**
 * Where an AdCP agent publishes the keys it signs push notifications with, found the way AdCP's
 * key discovery describes: the agent's capabilities name its operator's brand.json
 * (`identity.brand_json_url`), whose `agents[]` entry with exactly the agent's URL gives
 * `jwks_uri` (else the agent origin's `/.well-known/jwks.json`).
 *
 * Unlike @adcp/sdk's resolver, every fetch goes through our guarded client. The site binding is
 * stricter than AdCP's registrable-domain rule, since no public-suffix list is at hand: the
 * brand.json must be on the agent's own host or a parent domain of it (two labels at least), so
 * `sales.example.com` may name `example.com/.well-known/brand.json`, never `other.example` or a
 * sibling subdomain; the JWKS must be on the host of the brand.json or the agent, or under it
 * (`keys.example.com` for a brand.json at `example.com`).
 */
export async function agentJwksUrl(
  fetch: OutboundFetch,
  agent: { url: string; brandJsonUrl: string },
  timeoutMs = 5000,
): Promise<string> {
  const agentUrl = new URL(agent.url);
  const brandUrl = new URL(agent.brandJsonUrl);
  if (!sameSite(agentUrl, brandUrl)) {
    throw new Error('identity.brand_json_url is not on the agent’s own site');
  }
  const brandJson = await fetchJsonObject(fetch, brandUrl.href, { timeoutMs });
  const entries = agentEntries(brandJson).filter((entry) => entry.url === agent.url);
  if (entries.length !== 1) {
    throw new Error(
      entries.length === 0
        ? 'brand.json lists no agent at this URL'
        : 'brand.json lists this agent more than once',
    );
  }
  const declared = entries[0]!.jwks_uri;
  const jwksUrl = new URL(
    typeof declared === 'string' ? declared : '/.well-known/jwks.json',
    agentUrl.origin,
  );
  // Keys live under the domain that vouches for them (the brand.json's) or the agent's own.
  if (!sameSite(jwksUrl, brandUrl) && !sameSite(jwksUrl, agentUrl)) {
    throw new Error('jwks_uri is not on the agent’s own site');
  }
  return jwksUrl.href;
}

type Entry = { url: string; jwks_uri?: unknown };

/** Every `agents[]` entry with a URL: flat, under `house`, or under each of `brands[]`. */
function agentEntries(brandJson: Record<string, unknown>): Entry[] {
  const listsOf = (holder: unknown): unknown[] =>
    isRecord(holder) && Array.isArray(holder['agents']) ? holder['agents'] : [];
  const brands = Array.isArray(brandJson['brands']) ? brandJson['brands'] : [];
  return [brandJson, brandJson['house'], ...brands]
    .flatMap(listsOf)
    .filter((entry): entry is Entry => isRecord(entry) && typeof entry['url'] === 'string');
}

/** Same scheme, and `b`'s host is `a`'s or a parent domain of it (two labels at least). */
function sameSite(a: URL, b: URL): boolean {
  if (a.protocol !== b.protocol) return false;
  const host = a.hostname.toLowerCase();
  const other = b.hostname.toLowerCase();
  if (host === other) return true;
  return other.split('.').length >= 2 && !/^[\d.]+$/.test(other) && host.endsWith(`.${other}`);
}
