/**
 * The one application error. Services throw it with a kind; each transport (HTTP, MCP, AdCP)
 * maps kinds to its own status vocabulary in one place.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'role_denied'
  | 'tos_required'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  /** The client took too long to send its request (an upload stalled or trickled). */
  | 'timeout'
  | 'moderation_blocked'
  /** Well-formed but refused for the state it meets (e.g. a stale preview baseline). */
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

const defaultCodes: Record<ErrorKind, string> = {
  invalid: 'VALIDATION_ERROR',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'ACCESS_DENIED',
  role_denied: 'CUSTOMER_ROLE_DENIED',
  tos_required: 'TOS_ACCEPTANCE_REQUIRED',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  too_large: 'PAYLOAD_TOO_LARGE',
  timeout: 'REQUEST_TIMEOUT',
  moderation_blocked: 'CONTENT_MODERATION_BLOCKED',
  unprocessable: 'UNPROCESSABLE',
  rate_limited: 'RATE_LIMITED',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export interface AppErrorOptions {
  field?: string;
  details?: Record<string, unknown>;
  /** Overrides the kind's default envelope code (e.g. FORBIDDEN instead of ACCESS_DENIED). */
  code?: string;
  /** Seconds a client should wait, for rate_limited and unavailable. */
  retryAfter?: number;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;

  constructor(kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = options.code ?? defaultCodes[kind];
    this.field = options.field;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const invalid = (message: string, field?: string, details?: Record<string, unknown>) =>
  new AppError('invalid', message, { field, details });

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export const conflict = (message: string, field?: string) =>
  new AppError('conflict', message, { field });

export const forbidden = (message: string, code?: string) =>
  new AppError('forbidden', message, { code });

export const unauthenticated = (message = 'A valid API key is required') =>
  new AppError('unauthenticated', message);
