import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { inProcessRequests } from '../platform/http/in-process.js';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type QueryValue = string | number | boolean | Array<string | number | boolean>;

/** What the MCP caller presented, passed on unchanged to the REST route. */
export interface Caller {
  authorization: string;
  /** The MCP request's client address, so per-IP limits see the real caller. */
  ip: string;
}

export interface Dispatch {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Passed on as the Idempotency-Key header. */
  idempotencyKey?: string | undefined;
}

/**
 * Why `path` is not a plain REST path under one of `prefixes`, or undefined when it is.
 * Strict on purpose: the proxy accepts only what a router would read the same way we do, so
 * "/api/v2/buyer/../admin", "%2e%2e", "%2f", backslashes, absolute URLs, a query or fragment in
 * the path, and control characters are all refused before anything is dispatched.
 */
export function pathRefusal(path: string, prefixes: readonly string[]): string | undefined {
  if (!path.startsWith('/') || path.startsWith('//')) {
    return 'path must be an absolute path such as /api/v2/buyer/…, not a URL';
  }
  // Printable ASCII only: no whitespace, CR/LF (header or request-line injection) or NUL.
  if (!/^[\x21-\x7e]+$/.test(path)) return 'path must not contain spaces or control characters';
  if (/[\\?#]/.test(path)) return 'path must not contain "\\", "?" or "#"; pass query separately';
  // Encoded "/", "\", "." or "%" could be decoded into a different route by some layer.
  if (/%(2f|5c|2e|25|00)/i.test(path)) return 'path must not contain encoded "/", "\\", "." or "%"';
  if (/\/\//.test(path)) return 'path must not contain empty segments';
  try {
    decodeURIComponent(path);
  } catch {
    return 'path is not valid percent-encoding';
  }
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'path must not contain "." or ".." segments';
  }
  if (new URL(path, 'http://interchange.invalid').pathname !== path) {
    return 'path is not in canonical form';
  }
  const allowed = prefixes.some((prefix) => {
    const root = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    return path === root || path.startsWith(`${root}/`);
  });
  return allowed ? undefined : `path must be under ${prefixes.join(' or ')}`;
}

/**
 * Runs one REST call in process through the app's own routes (app.inject) with the caller's
 * Authorization, so authentication, rate limits, the terms gate, validation, scoping and the
 * envelope are the REST ones. Answers the envelope as MCP content; an error envelope is a tool error.
 */
export async function dispatch(
  app: FastifyInstance,
  caller: Caller,
  call: Dispatch,
): Promise<CallToolResult> {
  const hasBody = call.body !== undefined && call.method !== 'GET';
  const response = await inProcessRequests(app)({
    method: call.method,
    url: call.path,
    query: queryOf(call.query),
    remoteAddress: caller.ip,
    headers: {
      authorization: caller.authorization,
      ...(hasBody && { 'content-type': 'application/json' }),
      ...(call.idempotencyKey !== undefined && { 'idempotency-key': call.idempotencyKey }),
    },
    ...(hasBody && { payload: JSON.stringify(call.body) }),
  });
  // A success answer is already the envelope's JSON (the routes serialize data first): passed
  // on as it is, not parsed and written again.
  if (response.statusCode < 400 && response.body.startsWith('{"data":')) {
    return {
      content: [{ type: 'text', text: response.body }],
      _meta: { status: response.statusCode },
    };
  }
  let envelope: Record<string, unknown>;
  try {
    envelope = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  } catch {
    envelope = {};
  }
  if (!('data' in envelope) || !('error' in envelope)) {
    // Every /api/v2 answer is an envelope; anything else (an empty 204) is wrapped as one.
    envelope = { data: null, error: null, meta: { status: response.statusCode } };
  }
  return envelopeResult(envelope, response.statusCode);
}

/**
 * The envelope as MCP text content (once: a page of results is not sent twice), the HTTP status
 * in `_meta`, and an error envelope or an error status as a tool error.
 */
export function envelopeResult(envelope: Record<string, unknown>, status = 200): CallToolResult {
  const failed = Boolean(envelope.error) || status >= 400;
  return {
    ...(failed && { isError: true }),
    content: [{ type: 'text', text: JSON.stringify(envelope) }],
    _meta: { status },
  };
}

/** A refusal before dispatch, in the REST envelope's shape. */
export function refusal(
  code: string,
  message: string,
  options: { field?: string; status?: number } = {},
): CallToolResult {
  const { field, status = 400 } = options;
  return envelopeResult(
    {
      data: null,
      error: { code, message, ...(field && { field }) },
      meta: { timestamp: new Date().toISOString() },
    },
    status,
  );
}

function queryOf(query: Dispatch['query']): Record<string, string | string[]> | undefined {
  if (!query) return undefined;
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(String) : String(value),
    ]),
  );
}
