import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingProxy } from '../fakes/recording-proxy.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { briefThrough, linkedStorefronts, productCalls } from './feed-mirror-support.js';
import { listen } from './storefront-agent-support.js';

/*
 * A feed-publishing source slower than the storefront's source budget (issue 49 item 6; what
 * bench/feed-mirror.ts met at 4 sources on a loaded machine): the buyer whose budget ran out gets
 * the timeout, but the set's fetch runs on and is held, so the next brief only asks whether the
 * version moved. Briefs that arrive together share one fetch. Through the official MCP client.
 */
let h: Harness;
let base: string;
const proxies: RecordingProxy[] = [];

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_SOURCE_BUDGET_MS: '1000' });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
}, 120_000);
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await h?.close();
});

const fetches = (proxy: RecordingProxy) =>
  productCalls(proxy).filter((c) => c.args['if_wholesale_feed_version'] === undefined);

describe('a mirrored source slower than the budget', () => {
  it('is held once its fetch lands, and briefs that come together share one fetch', async () => {
    const { downstream, proxy } = await linkedStorefronts(h, base, proxies, {
      withoutTools: ['sync_accounts'],
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    proxy.slow(2_000);

    // Three briefs at once, each past its 1 s budget: the source answered too late for them.
    const late = await Promise.all(
      [1, 2, 3].map(() => briefThrough(base, downstream.platformId, buyer)),
    );
    for (const answer of late) {
      expect(answer.products).toEqual([]);
      expect(answer.errors?.[0]).toMatchObject({ details: { source_id: 'linked' } });
    }
    // One fetch for the three, and it ran to the end.
    await expect.poll(() => fetches(proxy).length, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => fetches(proxy)[0]?.result?.['products'], { timeout: 10_000 })
      .toHaveLength(2);

    // The source is quick again: the next brief is answered from the held set, asking only
    // whether its version moved (the first answer's product check moves it once, so the
    // upstream may answer the set again once; then `unchanged`).
    proxy.slow(0);
    const next = await briefThrough(base, downstream.platformId, buyer);
    expect(next.products).toHaveLength(2);
    expect(productCalls(proxy).at(-1)?.args['if_wholesale_feed_version']).toEqual(
      fetches(proxy)[0]?.result?.['wholesale_feed_version'],
    );
    expect(fetches(proxy)).toHaveLength(1);
  }, 120_000);
});
