import { credentialOwner, type OwnedAuth, type UpstreamClient } from '../../../upstream/index.js';
import type { SecretBox } from '../../../platform/crypto/secrets.js';
import {
  authContext,
  type OAuthClientConfig,
  openAuth,
  type StoredAuth,
  upstreamAuthOf,
} from './auth-config.js';
import type { SourceRow } from '../store.js';

/**
 * The operator's credential of a source, opened only where it is presented upstream. It is
 * sealed to its storefront and source (authContext), so a sealed value copied to another row
 * does not open.
 */
export function storedAuthOf(
  secrets: SecretBox,
  row: Pick<SourceRow, 'authSealed' | 'storefrontId' | 'sourceId'>,
): StoredAuth | null {
  return row.authSealed
    ? openAuth(secrets, row.authSealed, authContext(row.storefrontId, row.sourceId))
    : null;
}

/**
 * The operator's credential for a source as presented upstream (NO_AUTH when it holds none),
 * owned by the source row; a JWT grant is exchanged at its token endpoint, which throws
 * JwtGrantError when refused.
 */
export async function operatorAuthOf(
  deps: { secrets: SecretBox; upstream: UpstreamClient },
  row: SourceRow,
  timeoutMs: number,
): Promise<OwnedAuth> {
  const owner = credentialOwner.inventorySource(row.id);
  const stored = storedAuthOf(deps.secrets, row);
  return { auth: await upstreamAuthOf(stored, deps.upstream, { owner, timeoutMs }), owner };
}

/** The OAuth client an OAUTH source configured for buyers' consent flows, if any. */
export function oauthClientOf(secrets: SecretBox, row: SourceRow): OAuthClientConfig | null {
  if (row.authenticationType !== 'OAUTH' || !row.authSealed) return null;
  const stored = storedAuthOf(secrets, row)!;
  return stored.type === 'oauth' ? stored : null;
}
