import { AdServerError } from '../port.js';

/*
 * HTTP failures of an ad server's API as our error codes, the same for every adapter: 401 is a
 * refused credential, 403 a missing grant, 404 on the account probe a wrong account, 429 the
 * provider's rate limit and 5xx its own trouble (both retried), anything else a refusal whose
 * message names the provider's reason. Messages never carry a credential or a token.
 */

export function httpFailure(provider: string, status: number, reason?: string): AdServerError {
  const detail = reason ? `: ${reason.slice(0, 300)}` : '';
  if (status === 401) {
    return new AdServerError(
      'ADAPTER_INVALID_CREDENTIALS',
      `${provider} refused the credentials${detail}`,
      reason,
    );
  }
  if (status === 403) {
    return new AdServerError(
      'ADAPTER_PERMISSION_DENIED',
      `${provider} denied the API user permission${detail}`,
      reason,
    );
  }
  if (status === 429) {
    return new AdServerError(
      'ADAPTER_RATE_LIMITED',
      `${provider} is limiting requests (HTTP 429)`,
      reason,
      true,
    );
  }
  if (status >= 500) {
    return new AdServerError(
      'ADAPTER_CONNECTION_FAILED',
      `${provider} answered HTTP ${status}`,
      reason,
      true,
    );
  }
  return new AdServerError(
    'ADAPTER_REFUSED',
    `${provider} refused the call (HTTP ${status})${detail}`,
    reason,
  );
}

/** A transport failure (refused connection, timeout, reset): retried. */
export function unreachable(provider: string): AdServerError {
  return new AdServerError(
    'ADAPTER_CONNECTION_FAILED',
    `${provider} could not be reached`,
    undefined,
    true,
  );
}
