import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingProxy } from '../fakes/recording-proxy.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { availRow, commitCsv, header } from '../modules/modular-sources/support.js';
import { linkedStorefronts, priceOf, type Product, productCalls } from './feed-mirror-support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/*
 * Issue 49 item 6: a storefront's own wholesale feed version follows its mirrored sources. A
 * buyer -> storefront A -> linked storefront B (over the network, through a recording proxy) ->
 * B's spreadsheet: A answers `unchanged` while nothing moved, asking B only whether its version
 * moved (and B answering `unchanged`), and a new version as soon as B's moved. Through the
 * official MCP client.
 */
let h: Harness;
let base: string;
const proxies: RecordingProxy[] = [];

beforeAll(async () => {
  // Source answers reused up to 30 s: before A's version followed B's, it moved only per window.
  h = await createHarness({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '30000' });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
}, 120_000);
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await h?.close();
});

const wholesale31 = { buying_mode: 'wholesale', adcp_version: '3.1' };
type Answer = {
  isError: boolean;
  products?: Product[];
  unchanged?: boolean;
  wholesale_feed_version?: string;
  cache_scope?: string;
};

async function wholesaleOf(platformId: string, buyer: TestCustomer, extra = {}): Promise<Answer> {
  const agent = await agentClient(base, platformId, buyer.key);
  try {
    return (await agent.call('get_products', { ...wholesale31, ...extra })) as Answer;
  } finally {
    await agent.close();
  }
}

/** A's version once settled (a first answer's product checks move a revision once). */
async function settledVersion(platformId: string, buyer: TestCustomer): Promise<Answer> {
  let last = await wholesaleOf(platformId, buyer);
  for (let i = 0; i < 4; i++) {
    const next = await wholesaleOf(platformId, buyer, {
      if_wholesale_feed_version: last.wholesale_feed_version,
    });
    if (next.unchanged === true) return last;
    last = next;
  }
  throw new Error('the version never settled');
}

describe('a chain of storefronts over a mirrored source', () => {
  it('answers unchanged end to end while nothing moved, and a new version once the source moved', async () => {
    const { upstream, downstream, proxy } = await linkedStorefronts(h, base, proxies, {
      withoutTools: ['sync_accounts'],
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const first = await settledVersion(downstream.platformId, buyer);
    expect(first.products).toHaveLength(2);
    expect(first.wholesale_feed_version).toEqual(expect.any(String));
    expect(first.cache_scope).toBe('public');

    const before = productCalls(proxy).length;
    const probe = await wholesaleOf(downstream.platformId, buyer, {
      if_wholesale_feed_version: first.wholesale_feed_version,
      context: { correlation_id: 'chain-1' },
    });
    expect(probe).toMatchObject({
      unchanged: true,
      wholesale_feed_version: first.wholesale_feed_version,
      cache_scope: 'public',
    });
    expect(probe).not.toHaveProperty('products');
    // A asked B only whether B's version moved, and B said it had not: no rows crossed.
    const asked = productCalls(proxy).slice(before);
    expect(asked.length).toBeGreaterThan(0);
    for (const call of asked) {
      expect(call.args['if_wholesale_feed_version']).toEqual(expect.any(String));
      expect(call.result).toMatchObject({ unchanged: true });
    }

    // Another buyer presenting this buyer's version is not told `unchanged`: versions are its own.
    const other = await createCustomer(h, { role: 'BUYER' });
    const theirs = await wholesaleOf(downstream.platformId, other, {
      if_wholesale_feed_version: first.wholesale_feed_version,
    });
    expect(theirs).not.toHaveProperty('unchanged');
    expect(theirs.products).toHaveLength(2);

    // B's seller changes a price: A's very next probe gets a new version with the new price.
    await commitCsv(
      h,
      upstream.seller.key,
      'avails',
      [header, availRow('hp-1', 100_000, 35), availRow('hp-2', 50_000)].join('\n'),
    );
    const moved = await wholesaleOf(downstream.platformId, buyer, {
      if_wholesale_feed_version: first.wholesale_feed_version,
    });
    expect(moved).not.toHaveProperty('unchanged');
    expect(moved.wholesale_feed_version).not.toBe(first.wholesale_feed_version);
    expect(priceOf(moved.products ?? [], 'hp-1')).not.toBe(priceOf(first.products ?? [], 'hp-1'));
    const settled = await settledVersion(downstream.platformId, buyer);
    expect(priceOf(settled.products ?? [], 'hp-1')).toBe(priceOf(moved.products ?? [], 'hp-1'));
  }, 180_000);

  it('is account-scoped where the source answers the buyer’s account alone', async () => {
    const { upstream, downstream, proxy } = await linkedStorefronts(h, base, proxies, {
      withoutTools: ['sync_accounts'],
    });
    const operatorDomain = `agency-${Date.now()}.example`;
    const buyer = await createCustomer(h, { role: 'BUYER', domain: operatorDomain });
    const account = {
      account: { brand: { domain: 'brand-a.example' }, operator: operatorDomain },
    };
    const plain = await wholesaleOf(downstream.platformId, buyer, account);
    expect(plain.cache_scope).toBe('public');
    const operator = (productCalls(proxy)[0]?.args['account'] as { operator?: string } | undefined)
      ?.operator;
    expect(operator).toEqual(expect.any(String));
    // B's terms for A's account there: B answers that account alone, and so does A.
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
    const scoped = await wholesaleOf(downstream.platformId, buyer, account);
    expect(productCalls(proxy).at(-1)?.result).toMatchObject({ cache_scope: 'account' });
    expect(scoped.cache_scope).toBe('account');
    expect(scoped.wholesale_feed_version).not.toBe(plain.wholesale_feed_version);
    expect(priceOf(scoped.products ?? [], 'hp-1')).not.toBe(priceOf(plain.products ?? [], 'hp-1'));
  }, 180_000);
});
