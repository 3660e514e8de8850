import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeGoogleAds, type FakeGoogleAds } from '../../fakes/google-ads/server.js';
import { liveStorefront } from './support.js';
import { connectGoogle, googleEnv, googleStorefront, imageCreative } from './google-support.js';

/*
 * Two buyers' agents (or one agent's two tasks) change one buy's budgets at the same moment.
 * Google Ads budgets the campaign from the whole buy, so each change is computed from the buy as
 * the other left it: both must reach Google's daily budget and the buy the buyer reads, neither
 * lost to the other (source-buys.ts: one change of a buy at a time, by its lease).
 */

let h: Harness;
let base: string;
let google: FakeGoogleAds;

beforeAll(async () => {
  google = await startFakeGoogleAds({
    clientId: 'gads-client-1.apps.example',
    clientSecret: 'gads-secret-1',
    developerToken: 'dev-token-1-abcdef',
  });
  h = await createHarness(googleEnv(google));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  google.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await google?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const direct = '1112223333';
const day = 86_400_000;

describe('budget changes of one adapter buy sent at the same moment', () => {
  it('both reach Google’s campaign budget and the buy, whichever is applied first', async () => {
    const { agent, products } = await liveStorefront(
      h,
      base,
      googleStorefront,
      connectGoogle,
      'Display banners on the web',
    );
    try {
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const product = found.products[0];
      const start = new Date(Date.now() + 2 * day);
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 10 * day).toISOString(),
        packages: [1000, 500].map((budget) => ({
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget,
          targeting_overlay: { geo_countries: ['US'] },
          creatives: [imageCreative(google)],
        })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const read = async () => {
        const listed = await agent.call('get_media_buys', {
          account,
          media_buy_ids: [bought.media_buy_id],
        });
        expect(listed.isError, JSON.stringify(listed)).toBe(false);
        return listed.media_buys[0] as { packages: Array<{ package_id: string; budget: number }> };
      };
      const [first, second] = (await read()).packages;
      const [budget] = google.state.ofKind('campaignBudget', direct);
      const dailyBefore = Number(budget!.fields.amountMicros);

      // Each change takes Google a moment, so the second arrives while the first is under way.
      google.state.mutateDelayMs = 400;
      const change = (packageId: string, amount: number) =>
        agent.call('update_media_buy', {
          account,
          media_buy_id: bought.media_buy_id,
          idempotency_key: randomUUID(),
          packages: [{ package_id: packageId, budget: amount }],
        });
      const answers = await Promise.all([
        change(first!.package_id, 2000),
        change(second!.package_id, 1500),
      ]);
      google.state.mutateDelayMs = 0;
      for (const answer of answers) expect(answer.isError, JSON.stringify(answer)).toBe(false);

      // 3,500 over the same flight: the daily budget of 1,500 scaled by 3,500 / 1,500.
      expect(Number(budget!.fields.amountMicros) / dailyBefore).toBeCloseTo(3500 / 1500, 2);
      const after = await read();
      expect(Object.fromEntries(after.packages.map((p) => [p.package_id, p.budget]))).toEqual({
        [first!.package_id]: 2000,
        [second!.package_id]: 1500,
      });
    } finally {
      await agent.close();
    }
  }, 90_000);
});
