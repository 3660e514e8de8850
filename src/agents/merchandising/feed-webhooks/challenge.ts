import { createHash, randomBytes } from 'node:crypto';
import { createWebhookEmitter } from '@adcp/sdk/server';
import type { NotificationConfig31, UrlRefusal } from '../../adcp31/accounts/index.js';
import type { Ed25519SigningKey } from '../../../platform/crypto/signing-key.js';
import { OutboundBlockedError, type OutboundFetch } from '../../../platform/outbound/index.js';

/**
 * The account-level proof of control (core/webhook-challenge.json): a `webhook.challenge` POST,
 * signed with the agents' RFC 9421 webhook key whatever the config's delivery auth, to the
 * config's URL through the guarded client (no redirects); the receiver proves control by
 * answering 2xx with the challenge echoed as `challenge` (or `token`). One attempt: a buyer
 * whose receiver was down syncs again; `timeoutMs` bounds it (the caller's challenge budget,
 * adcp31/accounts/challenge-budget.ts). @adcp/sdk's emitter adds its `idempotency_key` to the
 * body, a field the challenge schema does not list.
 */
export async function proveControl(
  options: { signer: Ed25519SigningKey; fetch: OutboundFetch; sellerAgentUrl: string },
  accountId: string,
  config: NotificationConfig31,
  timeoutMs: number,
): Promise<UrlRefusal | undefined> {
  const challenge = randomBytes(32).toString('base64url');
  let body = '';
  const capture = async (input: string | URL | Request, init: RequestInit = {}) => {
    const response = await options.fetch(input, {
      ...init,
      redirect: 'error',
      timeoutMs,
    });
    body = await response.text();
    return new Response(null, { status: response.status });
  };
  const { signer } = options;
  const emitter = createWebhookEmitter({
    signerKey: { keyid: signer.keyid, alg: signer.alg, privateKey: signer.privateKey },
    fetch: capture as typeof fetch,
    retries: { maxAttempts: 1 },
  });
  const auth = config.authentication;
  const result = await emitter
    .emit({
      url: config.url,
      operation_id: `webhook.challenge.${challenge}`,
      payload: {
        type: 'webhook.challenge',
        challenge,
        account_id: accountId,
        subscriber_id: config.subscriber_id,
        seller_agent_url: options.sellerAgentUrl,
        delivery_auth: auth
          ? {
              mode: auth.schemes[0],
              credential_fingerprint: createHash('sha256').update(auth.credentials).digest('hex'),
            }
          : { mode: 'rfc9421' },
        event_types: config.event_types,
      },
    })
    .catch((error: unknown) => ({
      delivered: false,
      final_status: undefined,
      errors: [error instanceof OutboundBlockedError ? error.message : String(error)],
    }));
  const refused = (message: string): UrlRefusal => ({ code: 'VALIDATION_ERROR', message });
  if (!result.delivered) {
    return refused(
      `The receiver did not answer the webhook.challenge (${result.final_status ?? result.errors.join('; ')}): the subscriber is not activated`,
    );
  }
  let echoed: unknown;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    echoed = parsed['challenge'] ?? parsed['token'];
  } catch {
    echoed = undefined;
  }
  return echoed === challenge
    ? undefined
    : refused('The receiver did not echo the webhook.challenge: the subscriber is not activated');
}
