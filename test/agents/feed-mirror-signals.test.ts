import { randomBytes } from 'node:crypto';
import { signWebhook } from '@adcp/sdk/signing/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519FromSeed } from '../../src/platform/crypto/signing-key.js';
import type { RecordingProxy } from '../fakes/recording-proxy.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { availRow, commitCsv, header } from '../modules/modular-sources/support.js';
import { briefThrough, linkedStorefronts, priceOf, productCalls } from './feed-mirror-support.js';
import { listen } from './storefront-agent-support.js';

/*
 * Issue 49 item 6: a storefront mirroring a feed-publishing source (a linked storefront reached
 * over the network, as one on another Interchange) subscribes to its feed webhooks through
 * sync_accounts; while no signal arrived, a brief is answered from the mirror without asking the
 * source at all; a signed signal makes the next brief ask again. Through the official MCP client,
 * the webhooks over real sockets, signed and verified as the spec says.
 */
let h: Harness;
let base: string;
const proxies: RecordingProxy[] = [];

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  // The upstream's feed webhooks are sent by the job queue (scan on a feed change, delivery).
  await h.services.jobs.start();
  h.services.feedWebhooks.start();
}, 120_000);
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await h?.close();
});

const brief = (platformId: string, buyer: TestCustomer, extra: Record<string, unknown> = {}) =>
  briefThrough(base, platformId, buyer, extra);

type Subscription = { id: string; status: string; signal_seq: number };

async function subscriptions(): Promise<Subscription[]> {
  const { rows } = await h.database.queryable.query(
    'select id, status, signal_seq from feed_mirror_subscriptions order by updated_at',
  );
  return rows as Subscription[];
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A mirror with a confirmed subscription, its set confirmed under it (the next brief is quiet). */
async function quietMirror(platformId: string, buyer: TestCustomer, known: Set<string>) {
  const first = await brief(platformId, buyer);
  expect(first.products).toHaveLength(2);
  const subscription = await until('an active subscription', async () =>
    (await subscriptions()).find((s) => !known.has(s.id) && s.status === 'active'),
  );
  known.add(subscription.id);
  // The set was kept before the subscription was confirmed: this brief confirms it under it.
  await brief(platformId, buyer);
  return { first, subscription };
}

describe('a storefront mirror subscribed to its source’s feed webhooks', () => {
  const known = new Set<string>();

  it('asks the source nothing while no signal arrived; a signal makes the next brief see the new price', async () => {
    const { upstream, downstream, proxy } = await linkedStorefronts(h, base, proxies);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const { first, subscription } = await quietMirror(downstream.platformId, buyer, known);
    // The subscription at the source: our receiver, the feed events, on the account asked under.
    const synced = proxy.calls().find((c) => c.tool === 'sync_accounts');
    expect(synced?.args).toMatchObject({
      accounts: [
        {
          brand: { domain: 'brand-a.example' },
          notification_configs: [
            {
              url: `${base}/adcp/feed-signals/${subscription.id}`,
              event_types: expect.arrayContaining(['product.priced', 'wholesale_feed.bulk_change']),
            },
          ],
        },
      ],
    });

    const asked = productCalls(proxy).length;
    for (const wording of ['display homepage', 'homepage takeover', 'section display']) {
      const answer = await brief(downstream.platformId, buyer, { brief: wording });
      expect(answer.products).toHaveLength(2);
      expect(priceOf(answer.products, 'hp-1')).toBe(priceOf(first.products, 'hp-1'));
    }
    expect(productCalls(proxy)).toHaveLength(asked);

    // The upstream seller changes a price: its feed webhook (signed, through the job queue)
    // reaches our receiver, and the next brief asks the source and carries the new price.
    await commitCsv(
      h,
      upstream.seller.key,
      'avails',
      [header, availRow('hp-1', 100_000, 35), availRow('hp-2', 50_000)].join('\n'),
    );
    await until('the signal', async () =>
      (await subscriptions()).find((s) => s.id === subscription.id && s.signal_seq > 0),
    );
    const after = await brief(downstream.platformId, buyer);
    expect(productCalls(proxy).length).toBeGreaterThan(asked);
    expect(priceOf(after.products, 'hp-1')).not.toBe(priceOf(first.products, 'hp-1'));
    // Confirmed again under the new signal count: quiet again.
    await brief(downstream.platformId, buyer);
    const settled = productCalls(proxy).length;
    const quiet = await brief(downstream.platformId, buyer, { brief: 'display' });
    expect(productCalls(proxy)).toHaveLength(settled);
    expect(priceOf(quiet.products, 'hp-1')).toBe(priceOf(after.products, 'hp-1'));
  }, 120_000);

  it('refuses an unsigned or forged webhook and changes nothing', async () => {
    const { downstream, proxy } = await linkedStorefronts(h, base, proxies);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const { subscription } = await quietMirror(downstream.platformId, buyer, known);
    const url = `${base}/adcp/feed-signals/${subscription.id}`;
    const body = JSON.stringify({
      notification_id: 'n1',
      notification_type: 'wholesale_feed.bulk_change',
      wholesale_feed_version: 'forged',
    });
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post({})).status).toBe(401);
    const forger = ed25519FromSeed(randomBytes(32));
    const signed = signWebhook(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      { keyid: forger.keyid, alg: 'ed25519', privateKey: forger.privateKey as never },
    ).headers;
    expect((await post(signed)).status).toBe(401);
    // No subscription of ours: the same refusal.
    expect(
      (await fetch(`${base}/adcp/feed-signals/fms_none`, { method: 'POST', body })).status,
    ).toBe(401);
    const [row] = (await subscriptions()).filter((s) => s.id === subscription.id);
    expect(row?.signal_seq).toBe(0);
    const asked = productCalls(proxy).length;
    await brief(downstream.platformId, buyer);
    expect(productCalls(proxy)).toHaveLength(asked);
  }, 120_000);

  it('a signal on one buyer’s account leaves another buyer’s mirror as it was', async () => {
    const { upstream, downstream, proxy } = await linkedStorefronts(h, base, proxies);
    const a = await createCustomer(h, { role: 'BUYER' });
    const b = await createCustomer(h, { role: 'BUYER' });
    const forB = { brand: { domain: 'brand-b.example' } };
    const { first, subscription } = await quietMirror(downstream.platformId, a, known);
    const ofB = await brief(downstream.platformId, b, forB);
    const subscriptionB = await until('B’s subscription', async () =>
      (await subscriptions()).find((s) => !known.has(s.id) && s.status === 'active'),
    );
    known.add(subscriptionB.id);
    await brief(downstream.platformId, b, forB);
    const operator = (productCalls(proxy)[0]?.args['account'] as { operator?: string } | undefined)
      ?.operator;
    // The upstream's terms for A's brand only: A's account view changes, B's does not.
    const terms = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
      key: upstream.seller.key,
      body: {
        operatorDomain: operator,
        brandDomain: 'brand-a.example',
        discountPercent: 20,
        notes: null,
        countries: null,
      },
    });
    expect(terms.status, terms.text).toBe(201);
    await until('A’s signal', async () =>
      (await subscriptions()).find((s) => s.id === subscription.id && s.signal_seq > 0),
    );
    const asked = productCalls(proxy).length;
    const againB = await brief(downstream.platformId, b, forB);
    expect(productCalls(proxy)).toHaveLength(asked);
    expect(priceOf(againB.products, 'hp-1')).toBe(priceOf(ofB.products, 'hp-1'));
    expect((await subscriptions()).find((s) => s.id === subscriptionB.id)?.signal_seq).toBe(0);
    const againA = await brief(downstream.platformId, a);
    expect(productCalls(proxy).length).toBeGreaterThan(asked);
    expect(priceOf(againA.products, 'hp-1')).not.toBe(priceOf(first.products, 'hp-1'));
  }, 120_000);
});
