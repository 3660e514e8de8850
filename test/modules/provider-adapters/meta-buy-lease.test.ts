import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, liveStorefront, metaEnv, metaStorefront } from './support.js';
import { account, packagedBuy } from './adoption-support.js';

/*
 * One call at a time places an adapter buy (source-buys.ts): the call working on it holds it by
 * a lease in its row, and another call under the same idempotency key (a buyer retrying on its
 * own timeout, a second instance, the storefront's recovery) does not reach the provider while
 * the lease holds. A lease left by a call that died runs out, and the next retry resumes the
 * buy from what the dead call saved.
 *
 * The storefront in front of the source holds a key (the idempotency claim) and its forward
 * (the write intent) for a while too; here both are short (1 s, and 1.5 × the 1 s transact
 * budget + 1 s), so a retry reaches the Meta source while Meta still sits on the first call's
 * campaign, as it does in production once a provider takes longer than those.
 */

let h: Harness;
let base: string;
let meta: FakeMeta;

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  h = await createHarness({
    ...metaEnv(meta),
    INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: '1',
    INTERCHANGE_TRANSACT_BUDGET_MS: '1000',
  });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await meta?.close();
});

const creative = (i: number) => ({
  creative_id: `summer-${i}`,
  name: 'Summer hero',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: `https://cdn.acmeoutdoor.example/summer-${i}.jpg`,
      width: 1080,
      height: 1080,
    },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/summer',
    },
  },
});

/** A live Meta storefront and a two-package buy (Facebook Feed, Instagram Feed). */
async function twoPackages() {
  const live = await liveStorefront(h, base, metaStorefront, connectMeta, 'feed');
  const { products } = await live.products();
  const feeds = ['Facebook Feed', 'Instagram Feed'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  return { agent: live.agent, request: packagedBuy(feeds, creative) };
}

/** What Ads Manager shows of what was made since: campaigns, their ad sets, ads and creatives. */
function madeSince() {
  const known = new Set(meta.state.objects.keys());
  return () => {
    const fresh = (kind: Parameters<typeof meta.state.ofKind>[0]) =>
      meta.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const adSets = fresh('adset').filter((s) =>
      campaigns.some((c) => c.id === s.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => adSets.some((s) => s.id === a.fields.adset_id));
    return { campaigns, adSets, ads, creatives: fresh('adcreative') };
  };
}

/** The calls Meta got since `from` that read or write a buy's campaigns, ad sets or ads. */
const buyCalls = (from: number) =>
  meta.state.calls.slice(from).filter((c) => /\/(campaigns|adsets|adcreatives|ads)$/.test(c.path));

const outage = { message: 'An unknown error occurred', code: 1 };

/** The storefront's hold on the key (1 s) and on its forward (2.5 s) have both run out. */
const pastStorefrontHolds = () => sleep(3_200);

describe('one call at a time places a Meta buy', () => {
  it('two create_media_buy calls with one key while Meta is slow to make the campaign: one campaign, the other told to retry, the retry answers the booked buy', async () => {
    const { agent, request } = await twoPackages();
    const made = madeSince();
    const slow = meta.state.holdNext('POST /act_1001/campaigns');
    try {
      const from = meta.state.calls.length;
      const calls = [
        agent.call('create_media_buy', request),
        agent.call('create_media_buy', request),
      ];
      await slow.arrived;
      // One of the two is placing the buy; the other is answered at once: retry.
      const quick = await Promise.race(
        calls.map((call, i) => call.then((answer) => ({ i, answer }))),
      );
      expect(quick.answer.isError, JSON.stringify(quick.answer)).toBe(true);
      expect(quick.answer.adcp_error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        recovery: 'transient',
      });
      const placing = calls[1 - quick.i]!;

      // The buyer retries on its own timeout while Meta still sits on the campaign: the
      // storefront asks the Meta source again, which holds the buy for the first call.
      await pastStorefrontHolds();
      const retried = await agent.call('create_media_buy', request);
      expect(retried.isError, JSON.stringify(retried)).toBe(true);
      expect(retried.adcp_error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        recovery: 'transient',
      });
      // In doubt at the storefront (the source is still placing it), not refused.
      expect(retried.adcp_error.message).toMatch(/establishing whether it was booked/);
      expect(buyCalls(from).filter((c) => c.method === 'POST')).toEqual([
        expect.objectContaining({ path: '/act_1001/campaigns' }),
      ]);

      slow.release();
      const booked = await placing;
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const again = await agent.call('create_media_buy', request);
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.media_buy_id).toBe(booked.media_buy_id);
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [booked.media_buy_id],
      });
      expect(listed.media_buys?.[0]?.status, JSON.stringify(listed)).toBe('active');

      const { campaigns, adSets, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(adSets).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
    } finally {
      slow.release();
      await agent.close();
    }
  });

  it('a buy whose call died holding it waits out the lease, then the retry resumes it: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      // The first call makes the campaign, its answer is lost and Meta cannot be asked about it.
      meta.state.loseNextAnswer('/act_1001/campaigns');
      meta.state.failNext(503, outage, undefined, 'GET /act_1001/campaigns');
      meta.state.failNext(503, outage, undefined, 'GET /act_1001/campaigns');
      const failed = await agent.call('create_media_buy', request);
      expect(failed.adcp_error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // Its process is killed there: the buy's row keeps its lease until it runs out.
      const { rowCount } = await h.database.queryable.query(
        `update provider_buys set lease_token = 'killed', lease_until = now() + interval '3 seconds'
          where provider = 'meta' and status = 'pending'`,
      );
      expect(rowCount).toBe(1);

      const from = meta.state.calls.length;
      const held = await agent.call('create_media_buy', request);
      expect(held.isError, JSON.stringify(held)).toBe(true);
      expect(held.adcp_error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', recovery: 'transient' });
      expect(held.adcp_error.message).toMatch(/establishing whether it was booked/);
      expect(buyCalls(from)).toEqual([]);

      await sleep(3_200);
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [booked.media_buy_id],
      });
      expect(listed.media_buys?.[0]?.status, JSON.stringify(listed)).toBe('active');

      // The dead call's campaign, adopted: its ad sets hang under it, and it was activated.
      const { campaigns, adSets, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(adSets).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });
});
