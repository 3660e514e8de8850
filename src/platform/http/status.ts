import type { ErrorKind } from '../errors.js';

/** The one place an error kind becomes an HTTP status. */
export const httpStatusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  role_denied: 403,
  tos_required: 403,
  not_found: 404,
  conflict: 409,
  timeout: 408,
  too_large: 413,
  moderation_blocked: 422,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};
