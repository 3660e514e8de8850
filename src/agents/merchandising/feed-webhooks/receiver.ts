import type { FastifyInstance } from 'fastify';
import type { FeedSignals } from '../../../modules/feed-signals/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { ReceivedNotification } from '../../../upstream/index.js';

/** Where a mirrored source posts the feed webhooks of one subscription (mirror's signals.ts). */
export const feedSignalPath = (subscriptionId: string) =>
  `/adcp/feed-signals/${encodeURIComponent(subscriptionId)}`;

/** A feed webhook is small: one product, or a bulk change's summary. */
const bodyLimit = 1024 * 1024;

type Verify = (
  signer: string,
  notification: ReceivedNotification,
) => Promise<{ ok: true } | { ok: false; reason: string }>;

/**
 * The receiver of mirrored sources' wholesale feed webhooks (AdCP 3.1 core/wholesale-feed-
 * webhook.json and the webhook.challenge of sync_accounts): POST /adcp/feed-signals/{id}, no API
 * key. Verified as the spec's webhook profile says (RFC 9421 under the keys the source's origin
 * publishes at /.well-known/jwks.json, content-digest covered, a replayed nonce refused on every
 * instance): an unsigned, forged or replayed post, or one for no subscription of ours, answers
 * 401 and changes nothing. A verified challenge is echoed; a verified product or bulk-change
 * event records a signal, so the next brief over that source asks it again.
 */
export function registerFeedSignalReceiver(
  app: FastifyInstance,
  deps: {
    signals: Pick<FeedSignals, 'find' | 'record'>;
    verify: Verify;
    onError?: (error: unknown) => void;
  },
): void {
  app.post('/adcp/feed-signals/:id', { bodyLimit }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const refuse = () =>
      reply.code(401).send({ error: 'The webhook was not accepted: its signature did not verify' });
    const subscription = id.length <= 64 ? await deps.signals.find(id) : undefined;
    if (!subscription) return refuse();
    let verdict: Awaited<ReturnType<Verify>>;
    try {
      verdict = await deps.verify(new URL(subscription.sourceUrl).origin, {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.rawBody ?? '',
      });
    } catch (error) {
      deps.onError?.(error);
      // Not judged (the source's keys out of reach): the source retries a 503 later.
      return reply.code(503).send({ error: 'The webhook could not be verified now; retry later' });
    }
    if (!verdict.ok) return refuse();
    const body: unknown = request.body;
    if (!isRecord(body)) return reply.code(400).send({ error: 'The body is not a JSON object' });
    if (body['type'] === 'webhook.challenge' && typeof body['challenge'] === 'string') {
      return reply.send({ challenge: body['challenge'] });
    }
    const type = body['notification_type'];
    if (typeof type !== 'string') {
      return reply.code(400).send({ error: 'Neither a challenge nor a feed notification' });
    }
    if (type.startsWith('product.') || type === 'wholesale_feed.bulk_change') {
      const version = body['wholesale_feed_version'];
      await deps.signals.record(
        id,
        typeof version === 'string' ? version.slice(0, 256) : undefined,
      );
    }
    return reply.send({ received: true });
  });
}
