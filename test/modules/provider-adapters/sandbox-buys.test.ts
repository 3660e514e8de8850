import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import {
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { liveStorefront } from './support.js';
import { connectReddit, postCreative, redditEnv, redditStorefront } from './reddit-support.js';

/**
 * AdCP's sandbox account makes "no real platform calls, no real spend" (core/account.json), and a
 * provider's campaign is both: over MCP with the official client, a sandbox account's buy of an
 * adapter's product is refused before anything is recorded or sent to the provider, while a
 * live account's buy of the same product is placed there.
 */
let h: Harness;
let base: string;
let reddit: FakeReddit;

beforeAll(async () => {
  reddit = await startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' });
  h = await createHarness(redditEnv(reddit));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  reddit.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await reddit?.close();
});

const live = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const buyOf = (
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  account: object,
) => ({
  idempotency_key: randomUUID(),
  account,
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  packages: [
    {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 300,
      targeting_overlay: { geo_countries: ['US'] },
      creatives: [postCreative],
    },
  ],
});

describe('a sandbox account buying through a provider adapter', () => {
  it('is refused before the provider hears of it; a live account’s buy of the same product is placed', async () => {
    const { agent, products } = await liveStorefront(
      h,
      base,
      redditStorefront,
      connectReddit,
      'Reddit feed',
    );
    try {
      await syncSandboxAccount(agent);
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const feed = found.products.find((p: { name: string }) => p.name === 'Reddit feed');
      const campaignsBefore = reddit.state.ofKind('campaign').length;

      const sandboxBuy = await agent.call('create_media_buy', buyOf(feed, storyboardSandbox));
      expect(sandboxBuy.isError, JSON.stringify(sandboxBuy)).toBe(true);
      expect(sandboxBuy.adcp_error, JSON.stringify(sandboxBuy)).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        message: expect.stringMatching(/sandbox account.*real campaign/),
      });
      // Reddit never heard of it.
      expect(reddit.state.ofKind('campaign')).toHaveLength(campaignsBefore);

      const liveBuy = await agent.call('create_media_buy', buyOf(feed, live));
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(false);
      expect(reddit.state.ofKind('campaign')).toHaveLength(campaignsBefore + 1);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
