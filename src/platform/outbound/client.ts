import {
  Agent,
  fetch as undiciFetch,
  request as undiciRequest,
  type RequestInit as UndiciRequestInit,
} from 'undici';
import { plainBodyOf, readJsonAnswer, type LeanAnswer } from './lean-exchange.js';
import { limitBody } from './body-limit.js';
import { observeOutbound } from '../observability/index.js';
import { type Deadline, startDeadline } from './deadline.js';
import {
  OutboundBlockedError,
  OutboundError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
} from './errors.js';
import {
  assertAllowedUrl,
  createGuardedConnector,
  hostKey,
  systemLookup,
  type OutboundLookup,
} from './guard.js';
import { isRedirectStatus, nextRedirect, type RedirectableRequest } from './redirect.js';

export interface OutboundClientOptions {
  /** Allow loopback/private/link-local destinations. Local development and tests only. */
  allowPrivateNetwork: boolean;
  /** DNS + TCP + TLS handshake budget per connection. Default 5 s. */
  connectTimeoutMs?: number;
  /** Budget for the whole exchange: every redirect hop, headers and the full body. Default 15 s. */
  responseTimeoutMs?: number;
  /** Largest accepted response body, after content decoding. Default 5 MiB. */
  maxResponseBytes?: number;
  /** Replaces system DNS; tests use it to map names to chosen addresses. */
  lookup?: OutboundLookup;
  /**
   * `host:port` pairs exempt from the address policy: this deployment's own origin, which
   * serves the built-in demo agent. Read on every request, so it may grow after listening.
   */
  trustedHosts?: ReadonlySet<string>;
  /**
   * The metrics' names for hosts the operator configured (`host:port` → `meta`); every other
   * host is counted as `other` (platform/observability/outbound.ts says why).
   */
  hostLabels?: ReadonlyMap<string, string>;
}

/** The metrics' label of every host the operator did not name. */
const otherHostLabel = 'other';

export type OutboundRequestInit = RequestInit & {
  /** Overrides responseTimeoutMs for this call (e.g. for long-lived streams). */
  timeoutMs?: number;
};

/** Drop-in for the WHATWG fetch, so it can be handed to SDKs that accept a custom fetch. */
export type OutboundFetch = (
  input: string | URL | Request,
  init?: OutboundRequestInit,
) => Promise<Response>;

export interface OutboundClient {
  fetch: OutboundFetch;
  /**
   * For libraries that take an undici dispatcher. It enforces the address policy and connect
   * timeout on every connection, but not the response deadline, size cap or redirect handling.
   */
  dispatcher: Agent;
  close(): Promise<void>;
}

export const maxRedirects = 5;
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * Creates the one HTTP client for calling user-configured remote agents. Every connection is
 * checked after DNS resolution, so a public name pointing at a private address is refused.
 * An uncompressed JSON answer is read whole before `fetch` resolves (its deadline and size cap
 * failing `fetch` itself); any other body streams, failing its reads.
 */
export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const trusted = options.trustedHosts ?? new Set<string>();
  const allowPrivateFor = (url: URL) => options.allowPrivateNetwork || trusted.has(hostKey(url));
  const responseTimeoutMs = options.responseTimeoutMs ?? 15_000;
  const maxResponseBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  const dispatcher = new Agent({
    connect: createGuardedConnector({
      allowPrivateNetwork: options.allowPrivateNetwork,
      trustedHosts: trusted,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      lookup: options.lookup ?? systemLookup,
    }),
  });

  const outboundFetch: OutboundFetch = async (input, init = {}) => {
    const { timeoutMs = responseTimeoutMs, ...rest } = init;
    const { request, redirectMode, passthrough } = await normalizeRequest(input, rest);
    // Counted, traced, and carrying the request's id and trace (platform/observability).
    const label = options.hostLabels?.get(request.url.host) ?? otherHostLabel;
    return observeOutbound(request.url, request.method, request.headers, label, () => {
      assertAllowedUrl(request.url, allowPrivateFor(request.url));
      return exchange(request, redirectMode, passthrough, timeoutMs);
    });
  };

  async function exchange(
    request: RedirectableRequest,
    redirectMode: NormalizedRequest['redirectMode'],
    passthrough: RequestInit,
    timeoutMs: number,
  ): Promise<Response> {
    const deadline = startDeadline(timeoutMs, request.url.host, passthrough.signal);

    try {
      let current = request;
      for (let hops = 0; ; hops++) {
        const lean = await leanExchange(current, deadline, maxResponseBytes, hops > 0);
        if (lean?.kind === 'answer') return lean.response;
        const response =
          lean?.response ??
          (await undiciFetch(current.url, {
            ...passthrough,
            method: current.method,
            headers: current.headers,
            body: current.body,
            redirect: 'manual',
            signal: deadline.signal,
            dispatcher,
          } as UndiciRequestInit));

        if (redirectMode === 'error' && isRedirectStatus(response.status)) {
          throw new OutboundBlockedError(
            'redirect_refused',
            `Refused redirect from ${current.url.host}: redirect mode is "error"`,
          );
        }
        const next =
          redirectMode === 'follow'
            ? nextRedirect(
                current,
                response.status,
                response.headers.get('location'),
                options.allowPrivateNetwork,
                trusted,
              )
            : null;
        if (next === null) {
          return limitResponse(response, {
            maxBytes: maxResponseBytes,
            deadline,
            url: current.url,
            redirected: hops > 0,
          });
        }
        await response.body?.cancel().catch(() => {});
        if (hops + 1 > maxRedirects) {
          throw new OutboundBlockedError(
            'too_many_redirects',
            `Refused to follow more than ${maxRedirects} redirects from ${request.url.host}`,
          );
        }
        current = next;
      }
    } catch (error) {
      deadline.clear();
      throw translateError(error, deadline.signal, request.url.host);
    }
  }

  /**
   * The exchange without WHATWG fetch and web streams, for a request whose body is already in
   * memory (what protocol clients send): one write per request, and a JSON answer read whole
   * (deadline and size cap applying) into a Response. Any other answer (an event stream, a
   * redirect, a compressed body...) comes back as `response` for the usual handling; undefined
   * when the body is of a kind only fetch sends.
   */
  async function leanExchange(
    current: RedirectableRequest,
    deadline: Deadline,
    maxBytes: number,
    redirected: boolean,
  ): Promise<LeanAnswer | undefined> {
    const body = plainBodyOf(current.body, current.headers);
    if (body === undefined) return undefined;
    const answer = await undiciRequest(current.url, {
      method: current.method as 'GET',
      headers: body.headers,
      body: body.payload,
      signal: deadline.signal,
      dispatcher,
    });
    return readJsonAnswer(answer, current.url, maxBytes, deadline, redirected);
  }

  return {
    fetch: outboundFetch,
    dispatcher,
    close: () => dispatcher.close(),
  };
}

interface NormalizedRequest {
  request: RedirectableRequest;
  redirectMode: NonNullable<RequestInit['redirect']>;
  passthrough: RequestInit;
}

// A Request input is flattened into url + init; its body is buffered so redirects can replay it.
async function normalizeRequest(
  input: string | URL | Request,
  init: RequestInit,
): Promise<NormalizedRequest> {
  const { method, headers, body, redirect, ...passthrough } = init;
  if (typeof input === 'string' || input instanceof URL) {
    return {
      request: {
        url: new URL(input),
        method: (method ?? 'GET').toUpperCase(),
        headers: new Headers(headers),
        body: body ?? null,
      },
      redirectMode: redirect ?? 'follow',
      passthrough,
    };
  }
  const requestBody =
    body !== undefined ? body : input.body === null ? null : await input.arrayBuffer();
  return {
    request: {
      url: new URL(input.url),
      method: (method ?? input.method).toUpperCase(),
      headers: new Headers(headers ?? input.headers),
      body: requestBody,
    },
    redirectMode: redirect ?? input.redirect,
    passthrough: { ...passthrough, signal: passthrough.signal ?? input.signal },
  };
}

interface LimitContext {
  maxBytes: number;
  deadline: Deadline;
  url: URL;
  redirected: boolean;
}

// Re-wraps undici's response as a global Response whose body enforces the cap and deadline.
export async function limitResponse(
  response: Awaited<ReturnType<typeof undiciFetch>> | Response,
  context: LimitContext,
): Promise<Response> {
  const { maxBytes, deadline } = context;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    deadline.clear();
    throw new OutboundResponseTooLargeError(
      'content_length',
      `Response from ${context.url.host} declares ${declared} bytes, over the ${maxBytes}-byte limit`,
    );
  }

  let body: ReadableStream<Uint8Array> | null = null;
  if (response.body === null || nullBodyStatuses.has(response.status)) {
    await response.body?.cancel().catch(() => {});
    deadline.clear();
  } else {
    body = limitBody(response.body, maxBytes, deadline.signal, deadline.clear);
  }

  const headers = new Headers();
  for (const [name, value] of response.headers) headers.append(name, value);
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  // The constructor cannot set these; callers resolving relative links rely on them.
  Object.defineProperties(wrapped, {
    url: { value: context.url.href },
    redirected: { value: context.redirected },
  });
  return wrapped;
}

function translateError(error: unknown, signal: AbortSignal, host: string): unknown {
  if (signal.aborted && signal.reason instanceof OutboundTimeoutError) return signal.reason;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof OutboundError) return cause;
    if ((cause as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new OutboundTimeoutError('connect', `Could not connect to ${host} in time`, {
        cause,
      });
    }
    cause = cause.cause;
  }
  return error;
}
