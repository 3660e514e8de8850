import { credentialOwner, type UpstreamAuth } from '../../upstream/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { SourceRow } from '../inventory-sources/index.js';
import { credentialViews } from './credential-views.js';
import type { BuyerAccessContext } from './deps.js';
import { grantContext } from './oauth/service.js';
import type { BuyerAuthInput, CredentialInput, CredentialView } from './schemas.js';
import { visibleStorefront } from './storefront-browsing.js';
import { upstreamAuth } from './upstream-auth.js';

const authTypesOf: Record<SourceRow['authenticationType'], string[]> = {
  NO_AUTH: [],
  API_KEY: ['api_key'],
  JWT: ['jwt'],
  OAUTH: ['oauth'],
  BASIC_AUTH: ['basic'],
};

/** Checks a buyer's credential live against the source: ACTIVE, INVALID (refused) or PENDING. */
async function verify(
  ctx: BuyerAccessContext,
  source: SourceRow,
  auth: BuyerAuthInput,
  owner: string,
) {
  let upstream: UpstreamAuth;
  try {
    upstream = await upstreamAuth(ctx, auth, owner);
  } catch (error) {
    return {
      status: 'INVALID' as const,
      reason: `Token request failed: ${(error as Error).message}`,
    };
  }
  const result = await ctx.deps.inventorySources.probeWith(source, upstream);
  if (result.ok) return { status: 'ACTIVE' as const, reason: null };
  if (result.error.code === 'unauthorized') {
    return {
      status: 'INVALID' as const,
      reason: `The source refused the credential: ${result.error.message}`,
    };
  }
  return {
    status: 'PENDING' as const,
    reason: `Could not verify yet (${result.error.code}): ${result.error.message}`,
  };
}

/**
 * Registers a buyer's credential (or account) at a source of a storefront it may see: verified
 * live and sealed, or, for an OAuth source, a PENDING credential and where to consent.
 */
export async function registerCredential(
  ctx: BuyerAccessContext,
  principal: CustomerPrincipal,
  storefrontId: number,
  sourceId: string,
  body: (CredentialInput & { advertiserId?: string }) | undefined,
): Promise<CredentialView> {
  const { deps, store, oauth } = ctx;
  await visibleStorefront(ctx, principal, storefrontId);
  const source = await deps.inventorySources.findRow(storefrontId, sourceId);
  if (!source || source.status !== 'ACTIVE') throw notFound('Inventory source');
  const accepted = authTypesOf[source.authenticationType];
  // Seed 002: a body-less POST is how a buyer asks which auth types a source accepts.
  if (!body) {
    throw invalid(
      `Send accountIdentifier and auth; this source accepts: ${accepted.join(', ') || 'no credentials'}`,
      'auth',
      { supportedAuthTypes: accepted, agentId: source.agentId },
    );
  }
  const input = body;
  if (input.marketplaceAccount && principal.membershipRole !== 'SUPER_ADMIN') {
    throw new AppError(
      'forbidden',
      'Only a platform super admin can register marketplace accounts',
      {
        field: 'marketplaceAccount',
      },
    );
  }
  if (source.authenticationType === 'OAUTH') {
    // Seed 002: an OAuth source answers with a PENDING credential and where to consent.
    const started = await oauth.authorize(principal, source.agentId, input.accountIdentifier);
    const [view] = await credentialViews(ctx, principal, [started.credential]);
    return {
      ...(view as CredentialView),
      oauth: {
        authorizationUrl: started.authorizationUrl,
        storefrontId,
        sourceId,
        sourceName: source.name,
        agentId: source.agentId,
        agentName: started.agentName,
      },
    };
  }
  if (!input.auth && accepted.length > 0) {
    throw invalid(`auth is required; this source accepts ${accepted.join(', ')}`, 'auth', {
      supportedAuthTypes: accepted,
    });
  }
  const auth = input.auth;
  const normalizedType = auth
    ? auth.type === 'jwt' || auth.type === 'basic'
      ? auth.type
      : 'api_key'
    : 'none';
  if (auth && !accepted.includes(normalizedType)) {
    throw invalid(`This source accepts ${accepted.join(', ') || 'no credentials'}`, 'auth.type', {
      supportedAuthTypes: accepted,
    });
  }
  const owner = credentialOwner.buyerCredential(
    principal.customerId,
    source.agentId,
    input.accountIdentifier,
  );
  const check = auth
    ? await verify(ctx, source, auth, owner)
    : { status: 'ACTIVE' as const, reason: null };
  const row = await store.upsertCredential(deps.db, {
    customerId: principal.customerId,
    agentId: source.agentId,
    accountIdentifier: input.accountIdentifier,
    accountType: input.marketplaceAccount ? 'MARKETPLACE' : 'CLIENT',
    authType: normalizedType,
    authSealed: auth
      ? deps.secrets.seal(
          JSON.stringify(
            auth.type === 'jwt' || auth.type === 'basic'
              ? auth
              : { type: 'api_key', token: auth.token },
          ),
          grantContext(principal.customerId, source.agentId, input.accountIdentifier),
        )
      : null,
    status: check.status,
    statusReason: check.reason,
    ...(input.advertiserId !== undefined && { advertiserId: input.advertiserId }),
    registeredBy: await deps.identity.userEmail(principal.userId),
    checkedAt: ctx.now(),
  });
  return (await credentialViews(ctx, principal, [row]))[0] as CredentialView;
}
