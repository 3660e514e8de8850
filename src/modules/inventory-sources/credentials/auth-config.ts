import type { SecretBox } from '../../../platform/crypto/secrets.js';
import type { UpstreamAuth, UpstreamClient } from '../../../upstream/index.js';
import { authNotAllowed, authRequired, authTypeMismatch } from '../errors.js';
import type { AuthenticationType, SourceAuthInput } from '../schemas.js';

/** Stored (sealed) form of an operator credential: api_key aliases collapse to one shape. */
export type OAuthClientConfig = Omit<Extract<SourceAuthInput, { type: 'oauth' }>, 'type'> & {
  type: 'oauth';
};
export type StoredAuth =
  | { type: 'api_key'; token: string }
  | (Omit<Extract<SourceAuthInput, { type: 'jwt' }>, 'type'> & { type: 'jwt' })
  | { type: 'basic'; username: string; password: string }
  | OAuthClientConfig;

/** Checks that auth fits the authentication type; returns the shape to seal, or null. */
export function normalizeAuth(
  authenticationType: AuthenticationType,
  auth: SourceAuthInput | undefined,
  requiresCredentials: boolean,
): StoredAuth | null {
  if (authenticationType === 'NO_AUTH') {
    if (auth) throw authNotAllowed(authenticationType);
    return null;
  }
  if (authenticationType === 'OAUTH') {
    if (!auth) return null;
    if (auth.type !== 'oauth') throw authTypeMismatch(authenticationType, auth.type);
    return auth;
  }
  if (auth?.type === 'oauth') throw authTypeMismatch(authenticationType, auth.type);
  if (!auth) {
    if (requiresCredentials) return null;
    throw authRequired(authenticationType);
  }
  if (authenticationType === 'BASIC_AUTH') {
    if (auth.type !== 'basic') throw authTypeMismatch(authenticationType, auth.type);
    return { type: 'basic', username: auth.username, password: auth.password };
  }
  if (auth.type === 'basic') throw authTypeMismatch(authenticationType, auth.type);
  if (authenticationType === 'API_KEY') {
    if (auth.type === 'jwt') throw authTypeMismatch(authenticationType, auth.type);
    return { type: 'api_key', token: auth.token };
  }
  if (auth.type !== 'jwt') throw authTypeMismatch(authenticationType, auth.type);
  return auth;
}

/** Associated data binding a sealed credential to its source, so it cannot be moved. */
export const authContext = (storefrontId: number, sourceId: string) =>
  `inventory_source_auth:${storefrontId}:${sourceId}`;

export function sealAuth(secrets: SecretBox, auth: StoredAuth, context: string): string {
  return secrets.seal(JSON.stringify(auth), context);
}

/**
 * The credential sealed in `sealed`. Opened once per box, sealed text and context while among the
 * last `keptOpened` opened: a source's credential is opened on every call to it, and a feed
 * mirror's brief answers without calling anyone yet names the credential's owner (about 1.5 % of
 * a mirrored brief's CPU when opened each time). Kept in this process's memory only, as the
 * opened credential is while a call uses it; never written, logged or returned. A credential
 * saved again is sealed anew (a fresh nonce), so it is opened anew.
 */
export function openAuth(secrets: SecretBox, sealed: string, context: string): StoredAuth {
  let byText = opened.get(secrets);
  if (!byText) opened.set(secrets, (byText = new Map()));
  const key = `${context}\n${sealed}`;
  let auth = byText.get(key);
  if (!auth) {
    auth = Object.freeze(JSON.parse(secrets.open(sealed, context)) as StoredAuth);
    byText.set(key, auth);
    if (byText.size > keptOpened) byText.delete(byText.keys().next().value!);
  }
  return auth;
}

const keptOpened = 256;
const opened = new WeakMap<SecretBox, Map<string, StoredAuth>>();

/**
 * The credential to present upstream. JWT credentials are exchanged for an access token at their
 * token endpoint (cached by the upstream client for `owner`, the source row holding the
 * credential, until shortly before it expires).
 */
export async function upstreamAuthOf(
  auth: StoredAuth | null,
  upstream: UpstreamClient,
  options: { owner: string; timeoutMs: number },
): Promise<UpstreamAuth> {
  // An OAuth client configuration is for buyers' consent flows; the operator holds no token.
  if (!auth || auth.type === 'oauth') return { type: 'NO_AUTH' };
  if (auth.type === 'api_key') return { type: 'API_KEY', token: auth.token };
  if (auth.type === 'basic') {
    return { type: 'BASIC', username: auth.username, password: auth.password };
  }
  return { type: 'JWT', token: await upstream.accessTokenFor(auth, options) };
}
