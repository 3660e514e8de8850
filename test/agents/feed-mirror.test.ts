import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingProxy } from '../fakes/recording-proxy.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { availRow, commitCsv, header } from '../modules/modular-sources/support.js';
import { briefThrough, linkedStorefronts, priceOf, productCalls } from './feed-mirror-support.js';
import { listen } from './storefront-agent-support.js';

/*
 * Issue 49 item 6, third part: a storefront over a feed-publishing source (here a linked
 * storefront, reached over the network through a recording proxy, as one on another Interchange
 * would be) keeps the source's wholesale set and answers briefs from it, asking the source only
 * `if_wholesale_feed_version` each time. Through the official MCP client.
 */
let h: Harness;
let base: string;
const proxies: RecordingProxy[] = [];

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
}, 120_000);
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await h?.close();
});

const linkedPair = () =>
  // Without sync_accounts the source publishes no feed webhooks: every brief probes it
  // (feed-mirror-signals.test.ts: one that does).
  linkedStorefronts(h, base, proxies, { withoutTools: ['sync_accounts'] });
const brief = (platformId: string, buyer: TestCustomer, extra: Record<string, unknown> = {}) =>
  briefThrough(base, platformId, buyer, extra);

describe('a storefront over a feed-publishing linked storefront', () => {
  it('answers briefs from its mirror, asking only if the version moved; a product change shows on the next call', async () => {
    const { upstream, downstream, proxy } = await linkedPair();
    const buyer = await createCustomer(h, { role: 'BUYER' });

    const first = await brief(downstream.platformId, buyer);
    expect(first.errors).toBeUndefined();
    expect(first.products).toHaveLength(2);
    expect(priceOf(first.products, 'hp-1')).toEqual(expect.any(Number));
    const [fill] = productCalls(proxy);
    expect(fill?.args).toMatchObject({ buying_mode: 'wholesale', adcp_version: '3.1' });
    expect(fill?.args).not.toHaveProperty('brief');
    expect(fill?.args).not.toHaveProperty('if_wholesale_feed_version');
    expect(fill?.result?.['wholesale_feed_version']).toEqual(expect.any(String));
    // The upstream's first full answer records its own source's product check, which moves its
    // feed revision once: the next probe refetches, and from then on the version holds.
    await brief(downstream.platformId, buyer);
    const version = productCalls(proxy).at(-1)?.args['if_wholesale_feed_version'];
    expect(version).toEqual(expect.any(String));
    const held = productCalls(proxy).at(-1)?.result?.['wholesale_feed_version'] ?? version;

    // The next brief, another wording: the source is asked only whether its version moved.
    const second = await brief(downstream.platformId, buyer, { brief: 'display homepage' });
    const probe = productCalls(proxy).at(-1);
    expect(probe?.args).toMatchObject({
      buying_mode: 'wholesale',
      if_wholesale_feed_version: held,
    });
    expect(probe?.args).not.toHaveProperty('brief');
    expect(probe?.result).toMatchObject({ unchanged: true });
    expect(probe?.result).not.toHaveProperty('products');
    expect(second.products.map((p) => p.product_id).sort()).toEqual(
      first.products.map((p) => p.product_id).sort(),
    );
    expect(priceOf(second.products, 'hp-1')).toBe(priceOf(first.products, 'hp-1'));
    // The brief is matched locally: a filter excludes what it plainly rules out.
    const audio = await brief(downstream.platformId, buyer, { filters: { channels: ['ctv'] } });
    expect(audio.products).toEqual([]);

    // The upstream seller changes a price: the very next brief carries it.
    await commitCsv(
      h,
      upstream.seller.key,
      'avails',
      [header, availRow('hp-1', 100_000, 35), availRow('hp-2', 50_000)].join('\n'),
    );
    const before = productCalls(proxy).length;
    const third = await brief(downstream.platformId, buyer);
    const refreshed = productCalls(proxy)[before];
    expect(refreshed?.args).toMatchObject({ if_wholesale_feed_version: held });
    expect(refreshed?.result?.['products']).toHaveLength(2);
    expect(refreshed?.result?.['wholesale_feed_version']).not.toBe(held);
    expect(priceOf(third.products, 'hp-1')).not.toBe(priceOf(first.products, 'hp-1'));
    const fourth = await brief(downstream.platformId, buyer);
    expect(productCalls(proxy).at(-1)?.result).toMatchObject({ unchanged: true });
    expect(priceOf(fourth.products, 'hp-1')).toBe(priceOf(third.products, 'hp-1'));
  }, 120_000);

  it('never serves one buyer’s account-scoped set to another buyer', async () => {
    const { upstream, downstream, proxy } = await linkedPair();
    const a = await createCustomer(h, { role: 'BUYER' });
    const b = await createCustomer(h, { role: 'BUYER' });
    await brief(downstream.platformId, a);
    const operator = (productCalls(proxy)[0]?.args['account'] as { operator?: string } | undefined)
      ?.operator;
    expect(operator).toEqual(expect.any(String));
    // The upstream's terms for this brand through the downstream: its answers are account-scoped.
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

    const ofA = await brief(downstream.platformId, a);
    const filled = productCalls(proxy).at(-1);
    expect(filled?.result).toMatchObject({ cache_scope: 'account' });
    const again = await brief(downstream.platformId, a);
    expect(productCalls(proxy).at(-1)?.result).toMatchObject({
      unchanged: true,
      cache_scope: 'account',
    });
    expect(priceOf(again.products, 'hp-1')).toBe(priceOf(ofA.products, 'hp-1'));

    // Another buyer with the very same brand: its own fetch, never A's set.
    const count = productCalls(proxy).length;
    const ofB = await brief(downstream.platformId, b);
    const forB = productCalls(proxy)[count];
    expect(forB?.args).not.toHaveProperty('if_wholesale_feed_version');
    expect(forB?.result?.['products']).toHaveLength(2);
    expect(ofB.products).toHaveLength(2);
    // And a buyer of another brand gets the upstream's undiscounted price.
    const ofOther = await brief(downstream.platformId, b, { brand: { domain: 'brand-b.example' } });
    expect(priceOf(ofOther.products, 'hp-1')).not.toBe(priceOf(ofA.products, 'hp-1'));
  }, 120_000);

  it('serves the last confirmed set with STALE_RESPONSE to a 3.1 buyer when the source is unreachable; a 3.0 buyer gets the source error', async () => {
    const { downstream, proxy } = await linkedPair();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const live = await brief(downstream.platformId, buyer, { adcp_version: '3.1' });
    expect(live.products).toHaveLength(2);
    expect(live.errors).toBeUndefined();
    proxy.down();
    const stale = await brief(downstream.platformId, buyer, { adcp_version: '3.1' });
    expect(stale.isError).toBe(false);
    expect(stale.products.map((p) => p.product_id).sort()).toEqual(
      live.products.map((p) => p.product_id).sort(),
    );
    expect(stale.errors).toEqual([
      expect.objectContaining({
        code: 'STALE_RESPONSE',
        field: 'products',
        recovery: 'transient',
        details: expect.objectContaining({
          served_from_cache: true,
          cache_age_seconds: expect.any(Number),
          source_id: 'linked',
          upstream: { name: 'Linked' },
        }),
      }),
    ]);
    expect(JSON.stringify(stale.errors)).not.toContain('127.0.0.1');
    const old = await brief(downstream.platformId, buyer);
    expect(old.products).toEqual([]);
    expect(old.errors).toEqual([
      expect.objectContaining({
        code: 'SERVICE_UNAVAILABLE',
        details: expect.objectContaining({ source_id: 'linked' }),
      }),
    ]);
    proxy.up();
  }, 120_000);
});
