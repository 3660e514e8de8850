import type { WebhookEmitter } from '@adcp/sdk/server';

/**
 * Posts one feed webhook with the storefront agents' emitter (RFC 9421 signed with their
 * webhook key, or the config's legacy Bearer / HMAC-SHA256 credential), one idempotency key for
 * every attempt of one delivery (`operationId`). The emitter tries once here: the delivery job
 * retries with backoff (jobs/feed-webhooks).
 */
export function feedWebhookSender(emitter: WebhookEmitter) {
  return async (request: {
    url: string;
    payload: Record<string, unknown>;
    operationId: string;
    authentication?: { scheme: string; credentials: string };
  }) => {
    const auth = request.authentication;
    const result = await emitter.emit({
      url: request.url,
      payload: request.payload,
      operation_id: request.operationId,
      retries: { maxAttempts: 1 },
      ...(auth && {
        authentication:
          auth.scheme === 'Bearer'
            ? { type: 'bearer' as const, token: auth.credentials }
            : { type: 'hmac_sha256' as const, secret: auth.credentials },
      }),
    });
    const status = result.final_status ?? null;
    return {
      delivered: result.delivered,
      statusCode: status,
      error: result.delivered ? null : (result.errors.join('; ') || `HTTP ${status}`).slice(0, 500),
      retryable: status === null || status >= 500 || status === 429,
    };
  };
}
