import type { OutboundFetch } from '../../../platform/outbound/index.js';

/** What an OAuth 2.0 authorization server publishes (RFC 8414 / OpenID discovery). */
export interface AuthorizationServer {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
}

export class OAuthDiscoveryError extends Error {
  override name = 'OAuthDiscoveryError';
}

/**
 * Finds the source's authorization server: the configured issuer, or the first one named by the
 * agent's protected-resource metadata (RFC 9728, as MCP's auth spec uses); then its metadata.
 */
export async function discoverAuthorizationServer(
  fetch: OutboundFetch,
  source: { endpointUrl: string; authorizationServerUrl?: string | undefined },
): Promise<AuthorizationServer> {
  const issuer =
    source.authorizationServerUrl ?? (await fromProtectedResource(fetch, source.endpointUrl));
  const base = issuer.replace(/\/+$/, '');
  for (const path of [
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
  ]) {
    const doc = await getJson(fetch, `${base}${path}`);
    if (
      doc &&
      typeof doc.authorization_endpoint === 'string' &&
      typeof doc.token_endpoint === 'string'
    ) {
      return {
        issuer: typeof doc.issuer === 'string' ? doc.issuer : base,
        authorizationEndpoint: doc.authorization_endpoint,
        tokenEndpoint: doc.token_endpoint,
        revocationEndpoint:
          typeof doc.revocation_endpoint === 'string' ? doc.revocation_endpoint : null,
      };
    }
  }
  throw new OAuthDiscoveryError(`No OAuth authorization server metadata at ${base}`);
}

async function fromProtectedResource(fetch: OutboundFetch, endpointUrl: string): Promise<string> {
  const url = new URL(endpointUrl);
  const candidates = [
    `${url.origin}/.well-known/oauth-protected-resource${url.pathname.replace(/\/+$/, '')}`,
    `${url.origin}/.well-known/oauth-protected-resource`,
  ];
  for (const candidate of candidates) {
    const doc = await getJson(fetch, candidate);
    const servers = doc?.authorization_servers;
    if (Array.isArray(servers) && typeof servers[0] === 'string') return servers[0];
  }
  throw new OAuthDiscoveryError(
    'The source names no authorization server: configure auth.authorizationServerUrl on the source',
  );
}

async function getJson(fetch: OutboundFetch, url: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, timeoutMs: 5000 });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}
