import {
  credentialOwner,
  type JwtGrant,
  type OwnedAuth,
  type UpstreamAuth,
} from '../../upstream/index.js';
import type { BuyerAccessContext } from './deps.js';
import { grantContext } from './oauth/service.js';
import type { BuyerAuthInput } from './schemas.js';
import type { CredentialRow } from './store.js';

/**
 * A buyer's auth as presented upstream. `owner` is the credential's credentialOwner: JWT access
 * tokens are cached for it alone.
 */
export async function upstreamAuth(
  { deps }: BuyerAccessContext,
  auth: BuyerAuthInput,
  owner: string,
): Promise<UpstreamAuth> {
  if (auth.type === 'jwt') {
    const grant: JwtGrant = auth;
    return {
      type: 'JWT',
      token: await deps.upstream.accessTokenFor(grant, {
        owner,
        timeoutMs: deps.probeTimeoutMs,
      }),
    };
  }
  if (auth.type === 'basic') {
    return { type: 'BASIC', username: auth.username, password: auth.password };
  }
  return { type: 'API_KEY', token: auth.token };
}

/** A credential row as presented upstream, with its credentialOwner. */
export async function ownedAuthOf(ctx: BuyerAccessContext, row: CredentialRow): Promise<OwnedAuth> {
  const owner = credentialOwner.buyerCredential(row.customerId, row.agentId, row.accountIdentifier);
  if (row.authType === 'oauth') {
    const accessToken = await ctx.oauth.accessToken(row.customerId, row.id);
    return { auth: { type: 'OAUTH', accessToken }, owner };
  }
  if (row.authType === 'none' || !row.authSealed) return { auth: { type: 'NO_AUTH' }, owner };
  const sealed = ctx.deps.secrets.open(
    row.authSealed,
    grantContext(row.customerId, row.agentId, row.accountIdentifier),
  );
  return { auth: await upstreamAuth(ctx, JSON.parse(sealed) as BuyerAuthInput, owner), owner };
}
