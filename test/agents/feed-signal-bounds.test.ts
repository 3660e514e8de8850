import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook } from '@adcp/sdk/signing/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFeedSignalsPerMinute } from '../../src/agents/merchandising/feed-webhooks/receiver.js';
import { ed25519FromSeed } from '../../src/platform/crypto/signing-key.js';
import { createHarness, type Harness } from '../harness.js';
import { listen } from './storefront-agent-support.js';

/*
 * Issue 49 item 6: the receiver of mirrored sources' feed webhooks (/adcp/feed-signals/{id}) is
 * bounded per subscription. A source on another origin (its keys published at its
 * /.well-known/jwks.json, on a real socket) posts signed signals to our receiver over HTTP: a
 * repeat of the version already signalled moves nothing (no extra probe), and a flood past the
 * per-subscription budget answers 429 with Retry-After before anything is verified or recorded,
 * while another subscription's webhooks are received as before.
 */
let h: Harness;
let base: string;
let jwks: Server;
let sourceOrigin: string;
const key = ed25519FromSeed(randomBytes(32));

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  jwks = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return res.writeHead(404).end();
    const published = {
      keys: [{ ...key.publicJwk, adcp_use: 'webhook-signing', key_ops: ['verify'] }],
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  sourceOrigin = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => jwks?.close(resolve));
  await h?.close();
});

/** A confirmed subscription of ours at the source (as the mirror's sync_accounts leaves one). */
async function subscription(): Promise<string> {
  const id = `fms_${randomBytes(12).toString('base64url')}`;
  await h.database.queryable.query(
    `insert into feed_mirror_subscriptions (id, key_digest, source_id, source_url, status, valid_until)
     values ($1, $2, 1, $3, 'active', now() + interval '1 hour')`,
    [id, randomBytes(16).toString('hex'), `${sourceOrigin}/adcp/storefront-up/mcp`],
  );
  return id;
}

const seqOf = async (id: string) =>
  (
    await h.database.queryable.query(
      'select signal_seq from feed_mirror_subscriptions where id = $1',
      [id],
    )
  ).rows[0]?.signal_seq as number;

/** Posts a feed event to the subscription's receiver, signed by the source's key or not. */
async function post(id: string, version: string | undefined, sign = true) {
  const url = `${base}/adcp/feed-signals/${id}`;
  const body = JSON.stringify({
    notification_id: randomBytes(6).toString('hex'),
    notification_type: 'product.priced',
    ...(version !== undefined && { wholesale_feed_version: version }),
  });
  const headers = { 'content-type': 'application/json' };
  const signed = sign
    ? signWebhook(
        { method: 'POST', url, headers, body },
        { keyid: key.keyid, alg: 'ed25519', privateKey: key.privateKey as never },
      ).headers
    : {};
  return fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
}

describe('the feed-signal receiver, per subscription', () => {
  it('records a version once however often it is signalled', async () => {
    const id = await subscription();
    for (let i = 0; i < 3; i++) expect((await post(id, 'v2')).status).toBe(200);
    expect(await seqOf(id)).toBe(1);
    expect((await post(id, 'v3')).status).toBe(200);
    expect(await seqOf(id)).toBe(2);
    // A signal that names no version always counts.
    expect((await post(id, undefined)).status).toBe(200);
    expect(await seqOf(id)).toBe(3);
  }, 60_000);

  it('answers a flood past its budget 429 with Retry-After, recording nothing; another subscription is received', async () => {
    const flooded = await subscription();
    const statuses: number[] = [];
    for (let i = 0; i < defaultFeedSignalsPerMinute + 5; i++) {
      statuses.push((await post(flooded, `forged-${i}`, false)).status);
    }
    expect(statuses.slice(0, defaultFeedSignalsPerMinute).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(defaultFeedSignalsPerMinute).every((s) => s === 429)).toBe(true);
    // Past the budget even a signed signal waits (the source retries a 429 later).
    const refused = await post(flooded, 'v9');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await seqOf(flooded)).toBe(0);
    const other = await subscription();
    expect((await post(other, 'v9')).status).toBe(200);
    expect(await seqOf(other)).toBe(1);
  }, 120_000);
});
