import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import type { Json } from '../buying/buying-support.js';
import {
  campaignOn,
  imageCreative,
  medrecOf,
  type Sf,
  readyCreativeStorefronts,
} from './creatives-support.js';

let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
let sf: { library: Sf; inline: Sf };

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_SOURCE_BUDGET_MS: '8000' });
  [demo, sdk] = await Promise.all([startSeller('mcp'), startSdkSeller()]);
  sf = {
    library: await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]),
    inline: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
  };
  await readyCreativeStorefronts(h, [sf.inline.id], sf.library);
}, 90_000);
afterAll(async () => {
  await Promise.all([demo?.close(), sdk?.close()]);
  await h?.close();
});

/** The click-through URL of each creative on the demo seller's last create_media_buy. */
function clickUrlsBooked(): Map<string, URL> {
  const packages = demo
    .toolCalls()
    .filter((c) => c.tool === 'create_media_buy')
    .at(-1)?.args['packages'] as Json[];
  return new Map(
    packages.flatMap((p) =>
      (p.creatives ?? []).map((c: Json) => [c.creative_id, new URL(c.assets.click_url.url)]),
    ),
  );
}

describe('UTM parameters', () => {
  it('reach sellers on creatives’ click-through URLs: the advertiser’s, the campaign’s over them per key, the URL’s own kept', async () => {
    const { buyer, advertiserId, campaignId } = await campaignOn(h, [sf.inline]);
    const adv = await h.call('PUT', `/api/v2/buyer/advertisers/${advertiserId}`, {
      key: buyer.key,
      body: {
        utmConfig: [
          { paramKey: 'utm_source', paramValue: 'interchange' },
          { paramKey: 'utm_medium', paramValue: 'display' },
          { paramKey: 'utm_campaign', paramValue: 'advertiser-default' },
        ],
      },
    });
    expect(adv.status, adv.text).toBe(200);
    const set = await h.call('PUT', `/api/v2/buyer/campaigns/${campaignId}`, {
      key: buyer.key,
      body: {
        utmConfig: {
          params: [
            { paramKey: 'utm_campaign', paramValue: '{CAMPAIGN_ID}' },
            { paramKey: 'utm_content', paramValue: '{CREATIVE_ID}' },
          ],
        },
      },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.data.campaign.utmConfig.params).toEqual([
      { paramKey: 'utm_source', paramValue: 'interchange', source: 'advertiser' },
      { paramKey: 'utm_medium', paramValue: 'display', source: 'advertiser' },
      { paramKey: 'utm_campaign', paramValue: '{CAMPAIGN_ID}', source: 'campaign' },
      { paramKey: 'utm_content', paramValue: '{CREATIVE_ID}', source: 'campaign' },
    ]);
    const created = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(h, buyer.key, sf.inline),
      'Tagged banner',
      'https://acmeoutdoor.example/spring?utm_source=newsletter&ref=7',
    );
    expect(created.status, created.text).toBe(201);
    const creativeId = created.body.data.creative_id as string;

    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(executed.body.data, executed.text).toMatchObject({ success: true });
    const url = clickUrlsBooked().get(creativeId);
    expect(url?.origin + url!.pathname).toBe('https://acmeoutdoor.example/spring');
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      utm_source: 'newsletter',
      ref: '7',
      utm_medium: 'display',
      utm_campaign: campaignId,
      utm_content: creativeId,
    });
    // The creative itself is unchanged: the params are added as it is sent.
    const read = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`,
      {
        key: buyer.key,
      },
    );
    expect(JSON.stringify(read.body.data)).not.toContain('utm_medium');
  });

  it('replaces the campaign’s params with deleteMissing, adds to them otherwise, and names a bad key', async () => {
    const { buyer, campaignId } = await campaignOn(h, [sf.inline]);
    const put = (utmConfig: unknown) =>
      h.call('PUT', `/api/v2/buyer/campaigns/${campaignId}`, {
        key: buyer.key,
        body: { utmConfig },
      });
    await put({ params: [{ paramKey: 'utm_source', paramValue: 'a' }] });
    const added = await put({ params: [{ paramKey: 'utm_term', paramValue: 'b' }] });
    expect(added.body.data.campaign.utmConfig.params.map((p: Json) => p.paramKey)).toEqual([
      'utm_source',
      'utm_term',
    ]);
    const replaced = await put({
      params: [{ paramKey: 'utm_id', paramValue: 'c' }],
      deleteMissing: true,
    });
    expect(replaced.body.data.campaign.utmConfig.params.map((p: Json) => p.paramKey)).toEqual([
      'utm_id',
    ]);
    const bad = await put({ params: [{ paramKey: 'utm source', paramValue: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('utmConfig.params.0.paramKey');
  });
});
