import { createHmac } from 'node:crypto';
import { createWebhookEmitter } from '@adcp/sdk/server';
import { stableWebhookKeys } from '../../agents/merchandising/buys/settle/task-notifications.js';
import { webhookFetch } from '../../agents/merchandising/hosting/webhooks.js';
import type { WebhookSender } from '../../modules/notifications/index.js';
import type { Ed25519SigningKey } from '../../platform/crypto/signing-key.js';
import { createOutboundClient } from '../../platform/outbound/index.js';

/** The HMAC header a subscriber checks with its own secret (docs/notifications.md). */
export function hmacHeaderOf(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Posts buyers' notifications as our task pushes are posted: @adcp/sdk's webhook emitter signs
 * each with RFC 9421 under the storefront agents' key (its JWKS is published), one idempotency
 * key per delivery on every attempt, through the guarded outbound client (no private addresses
 * unless allowed, no redirects). Beside that, X-Interchange-Signature carries an HMAC under the
 * subscriber's own secret. One attempt per call: the delivery job retries, durably.
 */
export function createNotificationWebhooks(options: {
  signer: Ed25519SigningKey;
  allowPrivateNetwork: boolean;
}): WebhookSender {
  const client = createOutboundClient({
    allowPrivateNetwork: options.allowPrivateNetwork,
    maxResponseBytes: 64 * 1024,
  });
  const guarded = webhookFetch(client.fetch);
  const { signer } = options;
  return async ({ url, payload, operationId, secret }) => {
    const withHmac = (async (input: string | URL | Request, init: RequestInit = {}) => {
      const body = typeof init.body === 'string' ? init.body : '';
      const headers = new Headers(init.headers);
      headers.set(
        'x-interchange-signature',
        hmacHeaderOf(secret, body, Math.floor(Date.now() / 1000)),
      );
      return guarded(input, { ...init, headers });
    }) as typeof fetch;
    const emitter = createWebhookEmitter({
      signerKey: { keyid: signer.keyid, alg: signer.alg, privateKey: signer.privateKey },
      fetch: withHmac,
      idempotencyKeyStore: stableWebhookKeys,
      retries: { maxAttempts: 1 },
    });
    const result = await emitter.emit({ url, payload, operation_id: operationId });
    const status = result.final_status ?? null;
    return {
      delivered: result.delivered,
      statusCode: status,
      error: result.delivered
        ? null
        : (result.errors.join('; ') || `receiver answered ${status ?? 'nothing'}`).slice(0, 500),
      // No answer, a 5xx or a 429 may pass; a 4xx or a refused destination will not.
      retryable:
        status === null
          ? !result.errors.some((e) => /ssrf|blocked|not allowed/i.test(e))
          : status >= 500 || status === 429,
    };
  };
}
