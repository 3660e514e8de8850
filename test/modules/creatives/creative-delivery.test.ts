import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';
import {
  agentOf,
  brief,
  campaignOn as campaignOnStorefronts,
  fetchLink,
  imageCreative,
  medrecOf as medrecAt,
  type Sf,
  readyCreativeStorefronts,
} from './creatives-support.js';
import { png } from '../../support/images.js';

let h: Harness;
let demo: RunningSeller;
let reviewed: RunningSeller;
let sdk: SdkSeller;
let sf: { library: Sf; inline: Sf; manual: Sf };

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_SOURCE_BUDGET_MS: '8000' });
  [demo, reviewed, sdk] = await Promise.all([
    startSeller('mcp'),
    startSeller('mcp'),
    startSdkSeller(),
  ]);
  sf = {
    library: await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]),
    inline: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
    manual: await storefrontWith(h, [{ sourceId: 'demo', url: reviewed.url }], {
      creativeApproval: 'manual',
    }),
  };
  await readyCreativeStorefronts(h, [sf.inline.id], sf.library);
}, 90_000);
afterAll(async () => {
  await Promise.all([demo?.close(), reviewed?.close(), sdk?.close()]);
  await h?.close();
});

const campaignOn = (storefronts: Sf[]) => campaignOnStorefronts(h, storefronts);
const medrecOf = (key: string, s: Sf) => medrecAt(h, key, s);

describe('creatives reach sellers by the source’s creative transport', () => {
  it('syncs to a seller with a creative library and sends inline to one without, on execute', async () => {
    const { buyer, campaignId } = await campaignOn([sf.library, sf.inline]);
    const forLibrary = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.library),
      'Library banner',
    );
    expect(forLibrary.status, forLibrary.text).toBe(201);
    const forInline = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.inline),
      'Inline banner',
    );
    expect(forInline.status, forInline.text).toBe(201);
    const inlineId = forInline.body.data.creative_id as string;
    expect(forInline.body.data).toMatchObject({
      sync_status: { synced: false, agent_count: 0 },
      creative_manifest: { assets: { image: { asset_type: 'image', width: 300, height: 250 } } },
    });

    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ success: true, mediaBuysExecuted: 2 });

    // The library seller (the SDK's example) received the creative by sync_creatives: the
    // storefront forwarded it to the source and says so in its creative reviews.
    const libraryCreative = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${forLibrary.body.data.creative_id}`,
      { key: buyer.key },
    );
    expect(libraryCreative.body.data.platform_links).toEqual([
      expect.objectContaining({
        agent_id: agentOf(sf.library),
        status: 'synced',
        approval_status: 'approved',
      }),
    ]);
    expect(libraryCreative.body.data.sync_status).toMatchObject({ synced: true, agent_count: 1 });
    const reviews = await h.call('GET', '/api/v2/storefront/creative-reviews?status=approved', {
      key: sf.library.seller.key,
    });
    expect(reviews.body.data.items).toEqual([
      expect.objectContaining({
        creativeId: forLibrary.body.data.creative_id,
        forwardResult: [expect.objectContaining({ sourceId: 'sdk', status: 'completed' })],
      }),
    ]);

    // The seller without a library got the manifest inline on its package, never a sync.
    const booked = demo
      .toolCalls()
      .filter((c) => c.tool === 'create_media_buy')
      .at(-1)?.args['packages'] as Json[];
    expect(booked[0].creatives).toEqual([
      expect.objectContaining({
        creative_id: inlineId,
        assets: expect.objectContaining({
          image: expect.objectContaining({ asset_type: 'image', width: 300, height: 250 }),
          click_url: {
            asset_type: 'url',
            url: 'https://acmeoutdoor.example/spring',
            url_type: 'clickthrough',
          },
        }),
      }),
    ]);
    expect(demo.toolCalls().some((c) => c.tool === 'sync_creatives')).toBe(false);
    // The link the seller got serves the uploaded image.
    const served = await fetchLink(h, booked[0].creatives[0].assets.image.url);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.bytes.equals(png(300, 250))).toBe(true);

    const listed = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}/creatives`, {
      key: buyer.key,
    });
    expect(listed.body.data.total).toBe(2);
    expect(listed.body.data.manifests.map((m: Json) => m.sync_status)).toEqual([
      { synced: true, agent_count: 1 },
      { synced: true, agent_count: 1 },
    ]);
  }, 60_000);

  it('sends a creative added to a live campaign to its seller and assigns it to the packages', async () => {
    const { buyer, campaignId } = await campaignOn([sf.inline]);
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(executed.body.data, executed.text).toMatchObject({ success: true });
    const before = demo.toolCalls().length;
    const created = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.inline),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.data.warnings ?? []).toEqual([]);
    expect(created.body.data.platform_links).toEqual([
      expect.objectContaining({ agent_id: agentOf(sf.inline), status: 'synced' }),
    ]);
    const update = demo
      .toolCalls()
      .slice(before)
      .find((c) => c.tool === 'update_media_buy');
    // The source keeps no creative library: the manifest travels inline on the update too.
    expect(update?.args['packages']).toEqual([
      expect.objectContaining({
        creatives: [
          expect.objectContaining({
            creative_id: created.body.data.creative_id,
            assets: expect.objectContaining({
              image: expect.objectContaining({ width: 300, height: 250 }),
            }),
          }),
        ],
      }),
    ]);
  }, 60_000);

  it('assigns a creative added to a live campaign only to the packages whose product takes its format', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h, 'pinnacle-agency.example');
    const found = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Display banners and video pre-roll for a spring outdoor launch',
      storefrontIds: [sf.inline.id],
    });
    expect(found.status, found.text).toBe(200);
    const products = productsOf(found.body.data, sf.inline.platformId) as Json[];
    const display = products.find((p) => (p.formatTypes as string[]).includes('display_300x250'));
    const video = products.find(
      (p) =>
        (p.formatTypes as string[]).length > 0 &&
        (p.formatTypes as string[]).every((f) => f.startsWith('video_')),
    );
    expect(display && video, JSON.stringify(products.map((p) => p.formatTypes))).toBeTruthy();
    const selected = await h.call(
      'POST',
      `/api/v2/buyer/discovery/${found.body.data.discoveryId}/products`,
      {
        key: buyer.key,
        body: { products: [selectionOf(display, 10_000), selectionOf(video, 10_000)] },
      },
    );
    expect(selected.status, selected.text).toBe(200);
    const campaignId = await campaignOver(h, buyer.key, advertiserId, found.body.data.discoveryId);
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(executed.body.data, executed.text).toMatchObject({ success: true });
    const before = demo.toolCalls().length;
    const created = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.inline),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.data.warnings ?? []).toEqual([]);
    const update = demo
      .toolCalls()
      .slice(before)
      .find((c) => c.tool === 'update_media_buy');
    // Only the display package gets the banner; the video package is left as it was.
    const packages = update?.args['packages'] as Json[];
    expect(packages, JSON.stringify(update?.args)).toHaveLength(1);
    expect(packages[0]!.creatives).toEqual([
      expect.objectContaining({ creative_id: created.body.data.creative_id }),
    ]);
    const buys = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys`, {
      key: buyer.key,
    });
    const booked = (buys.body.data.items as Json[]).flatMap((b) => b.packages as Json[]);
    // The storefront agent names a source's package `<source id>__<the source's id>`.
    expect(booked.find((p) => p.productId === display.productId)?.packageId).toBe(
      `demo__${packages[0]!.package_id}`,
    );
  }, 60_000);

  it('sends the creatives again when an execute is retried, though their links were signed anew', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h, 'pinnacle-agency.example');
    const found = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief,
      storefrontIds: [sf.inline.id],
    });
    expect(found.status, found.text).toBe(200);
    const display = (productsOf(found.body.data, sf.inline.platformId) as Json[]).find((p) =>
      (p.formatTypes as string[]).includes('display_300x250'),
    );
    const select = (budget: number) =>
      h.call('POST', `/api/v2/buyer/discovery/${found.body.data.discoveryId}/products`, {
        key: buyer.key,
        body: { products: [selectionOf(display, budget)] },
      });
    // Under the demo seller's minimum spend: the first execute's buy is refused.
    expect((await select(0.5)).status).toBe(200);
    const campaignId = await campaignOver(h, buyer.key, advertiserId, found.body.data.discoveryId);
    const created = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.inline),
    );
    expect(created.status, created.text).toBe(201);
    const creativeId = created.body.data.creative_id as string;
    const first = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(first.body.data, first.text).toMatchObject({ success: false });

    // Later (the asset link now carries another expiry), with a budget the seller takes.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await select(10_000)).status).toBe(200);
    const before = demo.toolCalls().length;
    const second = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(second.body.data, second.text).toMatchObject({ success: true });
    const booked = demo
      .toolCalls()
      .slice(before)
      .find((c) => c.tool === 'create_media_buy');
    // The storefront took the second sync (a reused key with another body is refused), so the
    // package carries the creative.
    expect(JSON.stringify(booked?.args['packages'])).toContain(creativeId);
    const read = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`,
      { key: buyer.key },
    );
    expect(read.body.data.platform_links).toEqual([
      expect.objectContaining({ agent_id: agentOf(sf.inline), status: 'synced' }),
    ]);
  }, 60_000);

  it('shows a seller’s rejection and its reason on the creative', async () => {
    const { buyer, campaignId } = await campaignOn([sf.manual]);
    const created = await imageCreative(
      h,
      buyer.key,
      campaignId,
      await medrecOf(buyer.key, sf.manual),
    );
    expect(created.status, created.text).toBe(201);
    const creativeId = created.body.data.creative_id as string;
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
    });
    expect(executed.body.data, executed.text).toMatchObject({ success: true });
    const pending = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`,
      { key: buyer.key },
    );
    expect(pending.body.data.platform_links).toEqual([
      expect.objectContaining({ status: 'synced', approval_status: 'pending_review' }),
    ]);

    const queue = await h.call('GET', '/api/v2/storefront/creative-reviews', {
      key: sf.manual.seller.key,
    });
    const review = (queue.body.data.items as Json[]).find((r) => r.creativeId === creativeId);
    const decided = await h.call(
      'POST',
      `/api/v2/storefront/creative-reviews/${review.reviewId}/decide`,
      {
        key: sf.manual.seller.key,
        body: { status: 'rejected', reviewer_notes: 'The logo must not cover the product' },
      },
    );
    expect(decided.status, decided.text).toBe(200);

    const rejected = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`,
      { key: buyer.key },
    );
    expect(rejected.body.data.platform_links).toEqual([
      expect.objectContaining({
        agent_id: agentOf(sf.manual),
        approval_status: 'rejected',
        reason: 'The logo must not cover the product',
      }),
    ]);
    const listed = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}/creativeManifest`, {
      key: buyer.key,
    });
    expect(listed.body.data.manifests[0].platform_links[0]).toMatchObject({
      approval_status: 'rejected',
    });
  }, 60_000);
});
