import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { inProcessRequests, registerInProcessRequests } from '../../platform/http/in-process.js';

/** What one API call answered: the envelope's data or error, and the HTTP status. */
export interface ApiAnswer<T = unknown> {
  status: number;
  data: T;
  error: ApiError | null;
}

export interface ApiError {
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body, or raw bytes with their content type (a file upload, possibly streamed). */
  body?: unknown;
  raw?: { bytes: Buffer | Readable; contentType: string };
  /** Sent as Idempotency-Key: a form submitted twice books once. */
  idempotencyKey?: string | undefined;
}

/** Thrown by `get` for an error answer: pages show it (404 for another customer's id). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

export interface ConsoleApi {
  call<T = unknown>(call: ApiCall): Promise<ApiAnswer<T>>;
  /** A read that must succeed: its data, or an ApiFailure. */
  get<T = unknown>(path: string, query?: ApiCall['query']): Promise<T>;
}

/**
 * The console's way to the API: every read and every action is a request to the REST route
 * itself, made in process (the app's own request helper, as MCP api_call uses), with the signed-in
 * key as its Bearer token and the browser's address as its client. So authentication, the
 * terms gate, rate limits, validation, idempotency, scoping (another customer's id is 404) and
 * the error envelope are literally the API's; the console holds no second copy of a rule.
 */
export function consoleApiFactory(app: FastifyInstance) {
  // Registered once per app (MCP registers it too); after the idempotency hook, as it requires.
  registerInProcessRequests(app);
  return (key: string, ip: string): ConsoleApi => {
    const call = async <T>(c: ApiCall): Promise<ApiAnswer<T>> => {
      const json = c.body !== undefined && c.method !== 'GET';
      const answer = await inProcessRequests(app)({
        method: c.method,
        url: c.path,
        remoteAddress: ip,
        ...(c.query && { query: queryOf(c.query) }),
        headers: {
          authorization: `Bearer ${key}`,
          ...(json && { 'content-type': 'application/json' }),
          ...(c.raw && { 'content-type': c.raw.contentType }),
          ...(c.idempotencyKey && { 'idempotency-key': c.idempotencyKey }),
        },
        ...(json && { payload: JSON.stringify(c.body) }),
        ...(c.raw && { payload: c.raw.bytes }),
      });
      let envelope: { data?: T; error?: ApiError | null } = {};
      try {
        envelope = answer.body ? JSON.parse(answer.body) : {};
      } catch {
        envelope = {};
      }
      const error =
        envelope.error ??
        (answer.statusCode >= 400
          ? { code: 'INTERNAL_ERROR', message: 'The request did not complete.' }
          : null);
      return { status: answer.statusCode, data: envelope.data as T, error };
    };
    return {
      call,
      async get<T>(path: string, query?: ApiCall['query']) {
        const answer = await call<T>({ method: 'GET', path, ...(query && { query }) });
        if (answer.error) throw new ApiFailure(answer.status, answer.error);
        return answer.data;
      },
    };
  };
}

function queryOf(query: NonNullable<ApiCall['query']>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}

/** Path segments from user input, encoded (an id can never reach another route). */
export const seg = (value: string | number) => encodeURIComponent(String(value));
