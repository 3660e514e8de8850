import type { FastifyInstance } from 'fastify';
import type { FeedSignals } from '../../../modules/feed-signals/index.js';
import type { RateStore } from '../../../platform/guard/rate-limit.js';
import { isRecord } from '../../../platform/is-record.js';
import type { ReceivedNotification } from '../../../upstream/index.js';

/** Where a mirrored source posts the feed webhooks of one subscription (mirror's signals.ts). */
export const feedSignalPath = (subscriptionId: string) =>
  `/adcp/feed-signals/${encodeURIComponent(subscriptionId)}`;

/** A feed webhook is small: one product, or a bulk change's summary. */
const bodyLimit = 1024 * 1024;

/**
 * Posts one subscription may make a minute, fleet-wide, before they are verified: a source of
 * ours sends at most one batch every 2 s (jobs/feed-webhooks), a few events each.
 */
export const defaultFeedSignalsPerMinute = 120;

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
 *
 * Bounded per subscription: past `perMinute` posts in a minute (counted in the fleet's rate
 * store, before the signature is checked, so a flood costs neither verifications nor replay
 * records) the receiver answers 429 with Retry-After, which a source retries later; while it
 * waits, the mirror's safety net (60 s, feed-mirror/signals.ts) bounds how old a set may be.
 * A signal naming the version the last one named moves nothing (feed-signals store), so a burst
 * of one change's events makes one probe, not one per event.
 */
export function registerFeedSignalReceiver(
  app: FastifyInstance,
  deps: {
    signals: Pick<FeedSignals, 'find' | 'record'>;
    verify: Verify;
    rate?: { store: RateStore; perMinute?: number };
    onError?: (error: unknown) => void;
  },
): void {
  app.post('/adcp/feed-signals/:id', { bodyLimit }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const refuse = () =>
      reply.code(401).send({ error: 'The webhook was not accepted: its signature did not verify' });
    const subscription = id.length <= 64 ? await deps.signals.find(id) : undefined;
    if (!subscription) return refuse();
    if (deps.rate) {
      const limit = deps.rate.perMinute ?? defaultFeedSignalsPerMinute;
      const decision = await deps.rate.store.hit(`feed-signals:${subscription.id}`, limit);
      if (!decision.allowed) {
        return reply
          .code(429)
          .header('retry-after', String(decision.resetIn))
          .send({ error: 'Too many webhooks for this subscription; retry later' });
      }
    }
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
