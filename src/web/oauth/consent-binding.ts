import { createHash, timingSafeEqual } from 'node:crypto';
import { adapterCallbackPath } from '../../modules/provider-adapters/index.js';

/*
 * Which browser may finish an adapter consent without being asked. A consent URL carries its
 * state in the clear, so anyone holding one could send it to someone else: whoever then
 * approves at the provider would connect *their* ad account to the sender's source. The console
 * page that sends its operator to the provider sets a cookie naming that state (a digest of it,
 * scoped to the callback path, HttpOnly); a callback arriving in that browser finishes at once.
 * Any other browser (a consent started through the API, or a link from someone else) is shown
 * which source would receive the account and finishes only on a click.
 */

const cookieName = 'interchange-adapter-consent';
const lifetimeSeconds = 600;

const digestOf = (state: string) => createHash('sha256').update(state).digest('hex');

const attributes = (secure: boolean) =>
  `Path=${adapterCallbackPath}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

/** The Set-Cookie that binds this browser to the consent of `authorizationUrl`, if it has a state. */
export function bindingCookie(authorizationUrl: string, secure: boolean): string | undefined {
  let state: string | null;
  try {
    state = new URL(authorizationUrl).searchParams.get('state');
  } catch {
    return undefined;
  }
  if (!state) return undefined;
  return `${cookieName}=${digestOf(state)}; Max-Age=${lifetimeSeconds}; ${attributes(secure)}`;
}

/** The Set-Cookie that forgets the binding once the consent is finished. */
export const clearedBinding = (secure: boolean) =>
  `${cookieName}=; Max-Age=0; ${attributes(secure)}`;

/** Whether the request's cookies bind it to the consent of `state`. */
export function isBound(cookieHeader: string | undefined, state: string): boolean {
  const value = (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${cookieName}=`))
    ?.slice(cookieName.length + 1);
  if (!value) return false;
  const expected = Buffer.from(digestOf(state));
  const given = Buffer.from(value);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
