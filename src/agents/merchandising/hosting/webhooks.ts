import { InvalidRequestError } from '@adcp/sdk/server';
import {
  assertEndpointAllowed,
  OutboundBlockedError,
  type OutboundFetch,
  urlCredentialRefusal,
} from '../../../platform/outbound/index.js';

/** One delivery attempt's budget; the SDK's emitter retries 5xx and network failures. */
const deliveryTimeoutMs = 10_000;

/**
 * The fetch @adcp/sdk's webhook emitter delivers buyers' push notifications with: the guarded
 * outbound client, so every destination is judged after DNS resolution (no loopback, private,
 * link-local/metadata or NAT64-embedded private address unless private networks are allowed).
 * Redirects are refused outright: a notification belongs at the URL the buyer registered, and a
 * redirect is how a public receiver would bounce a signed POST onward.
 */
export function webhookFetch(outbound: OutboundFetch): typeof fetch {
  const deliver = async (input: string | URL | Request, init: RequestInit = {}) => {
    try {
      const response = await outbound(input, {
        ...init,
        redirect: 'error',
        timeoutMs: deliveryTimeoutMs,
      });
      // The emitter reads the status and headers only; free the connection now.
      await response.body?.cancel().catch(() => undefined);
      return response;
    } catch (error) {
      // The emitter retries transport errors with backoff unless they carry its SSRF code; a
      // refused destination stays refused.
      if (error instanceof OutboundBlockedError) {
        throw Object.assign(error, { code: 'EADCP_SSRF_BLOCKED' });
      }
      throw error;
    }
  };
  return deliver as typeof fetch;
}

/**
 * A push URL judged when its notification is due (task-notifications.ts): 'unresolved' holds it,
 * a refusal forgets it. Delivery re-checks on every connection regardless.
 */
export const pushUrlCheck = (allowPrivateNetwork: boolean) => (url: string) =>
  assertEndpointAllowed(url, { allowPrivateNetwork });

/**
 * Refuses, as INVALID_REQUEST on push_notification_config.url, a webhook URL that delivery would
 * refuse now (forbidden scheme, name or address, or a name resolving to one), so the buyer learns
 * at once rather than never hearing back. Delivery re-checks on every connection regardless.
 */
export async function assertPushUrlAllowed(
  request: unknown,
  allowPrivateNetwork: boolean,
): Promise<void> {
  const url = (request as { push_notification_config?: { url?: unknown } } | undefined)
    ?.push_notification_config?.url;
  if (typeof url !== 'string') return;
  const credentials = urlCredentialRefusal(url);
  if (credentials) {
    throw new InvalidRequestError(
      'push_notification_config.url',
      `push_notification_config.url rejected: ${credentials}`,
    );
  }
  try {
    await assertEndpointAllowed(url, { allowPrivateNetwork });
  } catch (error) {
    if (!(error instanceof OutboundBlockedError) && !(error instanceof TypeError)) throw error;
    throw new InvalidRequestError(
      'push_notification_config.url',
      `push_notification_config.url rejected: ${error instanceof OutboundBlockedError ? error.message : 'malformed URL'}`,
    );
  }
}
