import {
  type AdcpJsonWebKey,
  InMemoryRevocationStore,
  PostgresReplayStore,
  StaticJwksResolver,
  sweepExpiredReplays,
  verifyWebhookSignature,
  WebhookSignatureError,
} from '@adcp/sdk/signing/server';
import type { JsonWebKey } from 'node:crypto';
import type { PgQueryable } from '../../platform/db/database.js';
import { fetchJsonObject, type OutboundFetch } from '../../platform/outbound/index.js';

/** A push notification as received: method, path and query, headers, body bytes as text. */
export interface ReceivedNotification {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PushVerifierOptions {
  /** Where the nonces of accepted notifications are kept (adcp_replay_cache), for every instance. */
  queryable: PgQueryable;
  /** The keys of agents this deployment serves (storefront agents): known, never fetched. */
  localKeys: (agentId: string) => ReadonlyArray<JsonWebKey & { kid: string }> | undefined;
  /** Where a remote agent publishes its JWKS; undefined when unknown (its notifications fail). */
  jwksUrlOf: (agentId: string) => Promise<string | undefined>;
  /** The guarded outbound client remote JWKS are fetched with. */
  fetch: OutboundFetch;
  /** The origin notifications are posted to (what the sender signed as @target-uri). */
  publicOrigin: () => string;
  /** How long a fetched JWKS is trusted before it is fetched again. */
  jwksTtlMs?: number;
}

const sweepEveryMs = 10 * 60_000;

/**
 * Verifies sellers' AdCP push notifications (AdCP 3 webhook profile: RFC 9421 signatures under
 * the sending agent's key, tag adcp/webhook-signing/v1, content-digest covered) with @adcp/sdk's
 * verifier. Nonces go to the shared PostgreSQL replay cache, so a notification replayed to any
 * instance is refused.
 */
export function createPushVerifier(options: PushVerifierOptions) {
  const replayStore = new PostgresReplayStore(options.queryable);
  const revocationStore = new InMemoryRevocationStore();
  const ttlMs = options.jwksTtlMs ?? 5 * 60_000;
  // Keyed by agent: one agent's published keys never verify another agent's notifications.
  const remote = new Map<string, { at: number; keys: Promise<AdcpJsonWebKey[]> }>();
  let sweptAt = Date.now();

  async function fetchJwks(url: string): Promise<AdcpJsonWebKey[]> {
    const body = await fetchJsonObject(options.fetch, url, { timeoutMs: 5000 });
    return Array.isArray(body['keys']) ? (body['keys'] as AdcpJsonWebKey[]) : [];
  }

  async function keysOf(agentId: string): Promise<AdcpJsonWebKey[]> {
    const local = options.localKeys(agentId);
    if (local) return local as AdcpJsonWebKey[];
    const cached = remote.get(agentId);
    if (cached && Date.now() - cached.at < ttlMs) return cached.keys;
    const url = await options.jwksUrlOf(agentId);
    if (!url) return [];
    const keys = fetchJwks(url);
    remote.set(agentId, { at: Date.now(), keys });
    // A failed fetch is not remembered: the next notification asks again.
    keys.catch(() => remote.delete(agentId));
    return keys;
  }

  return {
    /**
     * Whether the notification is signed by one of the agent's keys and is not a replay (the
     * failed step's code when not). Throws only when it could not be judged (the agent's JWKS
     * or the replay cache unreachable), so the sender may retry.
     */
    async verify(
      agentId: string,
      notification: ReceivedNotification,
    ): Promise<{ ok: true } | { ok: false; reason: string }> {
      const jwks = new StaticJwksResolver(await keysOf(agentId));
      try {
        await verifyWebhookSignature(
          {
            method: notification.method,
            url: `${options.publicOrigin().replace(/\/+$/, '')}${notification.url}`,
            headers: notification.headers,
            body: notification.body,
          },
          { jwks, replayStore, revocationStore },
        );
      } catch (error) {
        if (error instanceof WebhookSignatureError) return { ok: false, reason: error.code };
        throw error;
      }
      // Expired nonces are dropped now and then by whichever instance receives notifications.
      if (Date.now() - sweptAt > sweepEveryMs) {
        sweptAt = Date.now();
        void sweepExpiredReplays(options.queryable).catch(() => undefined);
      }
      return { ok: true };
    },
  };
}
