import type { OutboundFetch } from '../platform/outbound/index.js';
import { credentialHeaders } from './credentials/auth.js';
import type { UpstreamTarget } from './types.js';

/** One probe's view of the network: a fetch bound to its deadline and credentials. */
export interface ProbeSession {
  /** WHATWG fetch for the protocol clients; every call goes through the outbound client. */
  fetch: typeof fetch;
  /** Aborted when the probe's deadline passes. */
  signal: AbortSignal;
  remainingMs(): number;
  /** The last HTTP error status the agent answered (401, 404, 500, ...), if any. */
  lastErrorStatus(): number | undefined;
  /** 401 or 403 when the agent refused the credentials (or their absence). */
  authRefusal(): number | undefined;
}

/**
 * Credentials go only to the registered endpoint's origin, and the outbound client is not
 * asked to follow redirects of those requests: it strips `Authorization` on cross-origin
 * redirects but not AdCP's `x-adcp-auth`.
 */
export function createProbeSession(
  outboundFetch: OutboundFetch,
  target: UpstreamTarget,
  deadline: { at: number; signal: AbortSignal },
): ProbeSession {
  const origin = new URL(target.endpointUrl).origin;
  const credentials = credentialHeaders(target.auth);
  const hasCredentials = Object.keys(credentials).length > 0;
  let lastErrorStatus: number | undefined;
  let authRefusal: number | undefined;
  const remainingMs = () => Math.max(1, deadline.at - Date.now());

  const sessionFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}));
    const credentialed = hasCredentials && url.origin === origin;
    if (credentialed) {
      for (const [name, value] of Object.entries(credentials)) headers.set(name, value);
    }
    const signals = [deadline.signal, init.signal].filter((s): s is AbortSignal => !!s);
    const response = await outboundFetch(input, {
      ...init,
      headers,
      signal: AbortSignal.any(signals),
      timeoutMs: remainingMs(),
      // A caller asking for 'manual' follows redirects itself (the MCP SDK does, same-origin).
      redirect: credentialed && init.redirect !== 'manual' ? 'error' : init.redirect,
    });
    // A GET answered 405 is how a stateless MCP server declines the optional event stream.
    const declinedStream = response.status === 405 && (init.method ?? 'GET') === 'GET';
    if (response.status >= 400 && !declinedStream) lastErrorStatus = response.status;
    if (response.status === 401 || response.status === 403) authRefusal = response.status;
    return response;
  };

  return {
    fetch: sessionFetch as typeof fetch,
    signal: deadline.signal,
    remainingMs,
    lastErrorStatus: () => lastErrorStatus,
    authRefusal: () => authRefusal,
  };
}
