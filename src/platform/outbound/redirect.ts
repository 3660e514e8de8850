import { assertAllowedUrl, hostKey } from './guard.js';
import { OutboundBlockedError } from './errors.js';

/** The parts of a request that change from one redirect hop to the next. */
export interface RedirectableRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: NonNullable<RequestInit['body']> | null;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
// Credentials meant for one origin must not be replayed to another (fetch spec strips
// Authorization; cookies and proxy credentials are just as sensitive).
// x-adcp-auth is how AdCP clients send the same credential as Authorization.
const credentialHeaders = ['authorization', 'proxy-authorization', 'cookie', 'x-adcp-auth'];
const bodyHeaders = ['content-type', 'content-length', 'content-encoding', 'content-language'];

export function isRedirectStatus(status: number): boolean {
  return redirectStatuses.has(status);
}

/**
 * The request to send for a redirect response, following the fetch spec's method and body
 * rules, or null when the response is not a followable redirect. Throws OutboundBlockedError
 * when the target is not allowed, so nothing is sent to it.
 */
export function nextRedirect(
  request: RedirectableRequest,
  status: number,
  location: string | null,
  allowPrivateNetwork: boolean,
  trustedHosts: ReadonlySet<string> = new Set(),
): RedirectableRequest | null {
  if (!isRedirectStatus(status) || location === null) return null;
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch {
    throw new OutboundBlockedError(
      'redirect_refused',
      `Refused redirect from ${request.url.host}: invalid Location`,
    );
  }
  assertAllowedUrl(url, allowPrivateNetwork || trustedHosts.has(hostKey(url)));

  const headers = new Headers(request.headers);
  if (url.origin !== request.url.origin) {
    for (const name of credentialHeaders) headers.delete(name);
  }

  const becomesGet =
    (status === 303 && request.method !== 'GET' && request.method !== 'HEAD') ||
    ((status === 301 || status === 302) && request.method === 'POST');
  if (becomesGet) {
    for (const name of bodyHeaders) headers.delete(name);
    return { url, method: 'GET', headers, body: null };
  }
  if (request.body instanceof ReadableStream) {
    // A streamed body was consumed by the first hop and cannot be sent again.
    throw new OutboundBlockedError(
      'redirect_refused',
      `Refused redirect from ${request.url.host}: request body cannot be replayed`,
    );
  }
  return { url, method: request.method, headers, body: request.body };
}
