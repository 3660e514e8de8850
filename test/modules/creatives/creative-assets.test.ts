import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlSigner } from '../../../src/platform/signed-urls.js';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningS3, startS3 } from '../../fixtures/s3-server.js';
import { type RunningSeller, startToolsOnlySeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { gif, png } from '../../support/images.js';
import { buyerWithAdvertiser, type Json } from '../buying/buying-support.js';
import { upload } from './creatives-support.js';

let h: Harness;
let base: string;
let s3: RunningS3;
let s3App: FastifyInstance;
let seller: RunningSeller;
const assetDir = mkdtempSync(join(tmpdir(), 'interchange-assets-test-'));

/** A format whose one image slot takes a 300x250 PNG of at most 2 KB. */
const smallBanner = {
  format_id: { agent_url: 'https://creative.example/mcp', id: 'small_banner' },
  name: 'Small banner 300x250',
  assets: [
    {
      item_type: 'individual',
      asset_id: 'image',
      asset_type: 'image',
      required: true,
      requirements: {
        min_width: 300,
        max_width: 300,
        min_height: 250,
        max_height: 250,
        max_file_size_kb: 2,
        formats: ['png'],
      },
    },
    { item_type: 'individual', asset_id: 'click_url', asset_type: 'url', required: true },
  ],
};

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_ASSET_DIR: assetDir,
    INTERCHANGE_ASSET_MAX_BYTES: String(1024 * 1024),
  });
  base = await listen(h);
  [s3, seller] = await Promise.all([
    startS3(),
    startToolsOnlySeller(['list_creative_formats'], {
      list_creative_formats: { formats: [smallBanner] },
    }),
  ]);
  s3App = await h.buildApp(
    {
      INTERCHANGE_ASSET_STORAGE: 's3',
      INTERCHANGE_S3_BUCKET: s3.bucket,
      INTERCHANGE_S3_ENDPOINT: s3.endpoint,
      INTERCHANGE_S3_FORCE_PATH_STYLE: '1',
      INTERCHANGE_S3_PREFIX: 'assets/',
      INTERCHANGE_S3_ACCESS_KEY_ID: s3.accessKeyId,
      INTERCHANGE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
    { services: true },
  );
  await storefrontWith(h, [{ sourceId: 'formats', url: seller.url }]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.close(), seller?.close()]);
  await h?.close();
});

/** Follows a signed link over real HTTP to the listening app (links name the configured origin). */
async function follow(url: string) {
  const u = new URL(url);
  const res = await fetch(`${base}${u.pathname}${u.search}`);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A client of the test's S3 server, to look at what the app stored there. */
const s3Client = () =>
  new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });

/** A buyer, an advertiser and a DRAFT campaign (no discovery needed to hold creatives). */
async function buyerCampaign() {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  const start = new Date(Date.now() + 86_400_000);
  const res = await h.call('POST', '/api/v2/buyer/campaigns', {
    key: buyer.key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'Creative checks',
      flightDates: {
        startDate: start.toISOString(),
        endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
      },
      budget: { total: 5_000, currency: 'USD' },
    },
  });
  expect(res.status, res.text).toBe(201);
  return { buyer, campaignId: res.body.data.campaign.campaignId as string };
}

const createOn = (key: string, campaignId: string, body: Json) =>
  h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/creatives/create`, { key, body });

async function bannerWith(key: string, campaignId: string, bytes: Buffer, type = 'image/png') {
  const asset = await upload(h, key, bytes, type, 'banner');
  expect(asset.status, asset.text).toBe(201);
  return createOn(key, campaignId, {
    format_id: smallBanner.format_id,
    assets: [{ filename: 'banner', asset_id: asset.body.data.asset_id }],
    url_assets: [{ asset_id: 'click_url', url: 'https://acmeoutdoor.example/' }],
  });
}

describe('asset uploads and signed links', () => {
  it('keeps an upload on disk and serves it through its signed link', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const image = png(300, 250);
    const res = await upload(h, buyer.key, image);
    expect(res.status, res.text).toBe(201);
    const asset = res.body.data;
    expect(asset).toMatchObject({
      asset_id: expect.stringMatching(/^ast_/),
      original_filename: 'banner.png',
      asset_type: 'IMAGE',
      content_type: 'image/png',
      file_size: image.length,
      width: 300,
      height: 250,
      asset_source: 'USER_UPLOADED',
    });
    expect(readFileSync(join(assetDir, String(buyer.id), asset.asset_id)).equals(image)).toBe(true);

    const served = await follow(asset.public_url);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(image)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');

    const again = await h.call('GET', `/api/v2/buyer/creative-assets/${asset.asset_id}`, {
      key: buyer.key,
    });
    expect((await follow(again.body.data.public_url)).bytes.equals(image)).toBe(true);
  });

  it('refuses an expired or tampered link with 403', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const { asset_id: id, public_url: url } = (await upload(h, buyer.key, png(10, 10))).body.data;
    const signer = createUrlSigner(h.secrets.derive('interchange asset links v1'));
    const now = Math.floor(Date.now() / 1000);
    const expired = new URL(signer.sign(`/assets/${id}`, new Date((now - 5) * 1000)), base)
      .searchParams;
    const link = (q: string) => fetch(`${base}/assets/${id}?${q}`);

    const late = await link(expired.toString());
    expect(late.status).toBe(403);
    expect(((await late.json()) as Json).error.code).toBe('LINK_EXPIRED');
    // The same signature with its expiry pushed forward is a forgery, not a renewal.
    const stretched = await link(`expires=${now + 3600}&signature=${expired.get('signature')}`);
    expect(stretched.status).toBe(403);
    expect(((await stretched.json()) as Json).error.code).toBe('INVALID_SIGNATURE');
    const { searchParams } = new URL(url);
    const sig = searchParams.get('signature') as string;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const tampered = await link(`expires=${searchParams.get('expires')}&signature=${flipped}`);
    expect(tampered.status).toBe(403);
    expect((await link('')).status).toBe(403);
    // A genuine signature of one asset does not open another.
    const other = (await upload(h, buyer.key, png(12, 12))).body.data.asset_id as string;
    const moved = await fetch(`${base}/assets/${other}?${searchParams.toString()}`);
    expect(moved.status).toBe(403);
  });

  it('stores uploads in S3-compatible storage and serves them through signed links', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const image = png(320, 50);
    const res = await h.call('POST', '/api/v2/buyer/creative-assets?filename=mobile.png', {
      app: s3App,
      key: buyer.key,
      body: image,
      headers: { 'content-type': 'image/png' },
    });
    expect(res.status, res.text).toBe(201);
    const { asset_id: id, public_url: url } = res.body.data;
    expect(existsSync(join(assetDir, String(buyer.id), id))).toBe(false);

    const client = s3Client();
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: s3.bucket, Key: `assets/${buyer.id}/${id}` }),
      );
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(image)).toBe(true);
      expect(object.ContentType).toBe('image/png');
    } finally {
      client.destroy();
    }
    const u = new URL(url);
    const served = await s3App.inject({ method: 'GET', url: `${u.pathname}${u.search}` });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(image)).toBe(true);
  });

  it('leaves no stored object behind when the asset row cannot be written, on disk and in S3', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    // Injected failure: the database refuses this buyer's asset rows, after the upload stored
    // the bytes (a trigger, so the real store and both databases run unchanged).
    await h.database.script(`
      create function refuse_test_asset() returns trigger language plpgsql as
        $$ begin raise exception 'injected asset insert failure'; end $$;
      create trigger refuse_test_asset before insert on creative_assets
        for each row when (new.customer_id = ${buyer.id}) execute function refuse_test_asset();`);
    const client = s3Client();
    try {
      const onDisk = await upload(h, buyer.key, png(300, 250));
      expect(onDisk.status, onDisk.text).toBe(500);
      const dir = join(assetDir, String(buyer.id));
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);

      const inS3 = await h.call('POST', '/api/v2/buyer/creative-assets?filename=mobile.png', {
        app: s3App,
        key: buyer.key,
        body: png(320, 50),
        headers: { 'content-type': 'image/png' },
      });
      expect(inS3.status, inS3.text).toBe(500);
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `assets/${buyer.id}/` }),
      );
      expect(listed.Contents ?? []).toEqual([]);
    } finally {
      client.destroy();
      await h.database.script(
        'drop trigger refuse_test_asset on creative_assets; drop function refuse_test_asset();',
      );
    }
  });

  it('refuses a file that is not what it claims, and one over the size cap', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const notImage = await upload(h, buyer.key, Buffer.from('hello, not a png'));
    expect(notImage.status).toBe(400);
    expect(notImage.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'file' });
    const mislabelled = await upload(h, buyer.key, png(10, 10), 'image/jpeg', 'photo.jpg');
    expect(mislabelled.status).toBe(400);
    expect(mislabelled.body.error.message).toContain('image/png');
    const pdf = await upload(h, buyer.key, Buffer.from('%PDF-1.7'), 'application/pdf', 'a.pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.field).toBe('file');
    const huge = await upload(h, buyer.key, png(700, 700, true));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('creatives checked against their format', () => {
  it('accepts a manifest that fills the format’s slots as required', async () => {
    const { buyer, campaignId } = await buyerCampaign();
    const created = await bannerWith(buyer.key, campaignId, png(300, 250));
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({
      campaign_id: campaignId,
      format_id: smallBanner.format_id,
      assets: [expect.objectContaining({ slot_asset_id: 'image', width: 300, height: 250 })],
      creative_manifest: {
        assets: {
          image: expect.objectContaining({ asset_type: 'image', width: 300, height: 250 }),
          click_url: expect.objectContaining({ asset_type: 'url' }),
        },
      },
    });
    expect(created.body.data.warnings).toBeUndefined();
    expect(created.body.data).toMatchObject({
      brand_domain: 'acmeoutdoor.example',
      requires_upgrade: false,
      reuse_count: 0,
    });
    expect((await follow(created.body.data.preview_url)).status).toBe(200);

    const count = async (query: string) =>
      (
        await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}/creativeManifest?${query}`, {
          key: buyer.key,
        })
      ).body.data.total;
    expect(await count('asset_type=IMAGE&dimensions=300x250&source=uploaded')).toBe(1);
    expect(await count('dimensions=728x90')).toBe(0);
    expect(await count('asset_type=VIDEO')).toBe(0);
    expect(await count('promoted=true')).toBe(0);
    expect(await count('search=small')).toBe(1);
  });

  it('refuses an oversize file, wrong dimensions and a wrong file type, naming the field', async () => {
    const { buyer, campaignId } = await buyerCampaign();
    const oversize = await bannerWith(buyer.key, campaignId, png(300, 250, true));
    expect(oversize.status).toBe(400);
    expect(oversize.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'assets.0' });
    expect(oversize.body.error.message).toMatch(/at most 2 KB/);

    const wrongSize = await bannerWith(buyer.key, campaignId, png(728, 90));
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.body.error).toMatchObject({ field: 'assets.0' });
    expect(wrongSize.body.error.message).toContain('728x90');

    const wrongType = await bannerWith(buyer.key, campaignId, gif(300, 250), 'image/gif');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ field: 'assets.0' });
    expect(wrongType.body.error.message).toContain('png');

    const asset = (await upload(h, buyer.key, png(300, 250))).body.data.asset_id;
    const noSuchSlot = await createOn(buyer.key, campaignId, {
      format_id: smallBanner.format_id,
      assets: [{ filename: 'banner.png', asset_id: asset, slot_asset_id: 'logo' }],
    });
    expect(noSuchSlot.status).toBe(400);
    expect(noSuchSlot.body.error).toMatchObject({ field: 'assets.0' });
    const unknownFormat = await createOn(buyer.key, campaignId, {
      format_id: { agent_url: 'https://nowhere.example', id: 'display_1x1' },
    });
    expect(unknownFormat.status).toBe(400);
    expect(unknownFormat.body.error.field).toBe('format_id');
    const listed = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}/creatives`, {
      key: buyer.key,
    });
    expect(listed.body.data.total).toBe(0);
  });

  it('updates a manifest’s files and name, warns of an emptied required slot, and deletes it', async () => {
    const { buyer, campaignId } = await buyerCampaign();
    const created = await bannerWith(buyer.key, campaignId, png(300, 250));
    const { creative_id: id, assets } = created.body.data;
    const path = `/api/v2/buyer/campaigns/${campaignId}/creatives/${id}`;
    const replacement = (await upload(h, buyer.key, png(300, 250))).body.data.asset_id;
    const updated = await h.call('PUT', path, {
      key: buyer.key,
      body: { name: 'Banner v2', assets: [{ filename: 'v2.png', asset_id: replacement }] },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.data).toMatchObject({ name: 'Banner v2' });
    expect(updated.body.data.assets.map((a: Json) => a.asset_id)).toEqual([replacement]);
    expect(updated.body.data.assets[0].asset_id).not.toBe(assets[0].asset_id);

    const emptied = await h.call('PUT', path, {
      key: buyer.key,
      body: { delete_asset_ids: [replacement] },
    });
    expect(emptied.status, emptied.text).toBe(200);
    expect(emptied.body.data.warnings).toEqual([
      expect.objectContaining({ code: 'MISSING_REQUIRED_ASSET' }),
    ]);
    const badDelete = await h.call('PUT', path, {
      key: buyer.key,
      body: { delete_asset_ids: ['ast_nothing'] },
    });
    expect(badDelete.body.error).toMatchObject({ field: 'delete_asset_ids.0' });

    const deleted = await h.call('DELETE', path, { key: buyer.key });
    expect(deleted.body.data).toEqual({ creative_id: id, deleted: true });
    expect((await h.call('GET', path, { key: buyer.key })).status).toBe(404);
  });
});

describe('isolation', () => {
  it('answers NOT_FOUND for another buyer’s campaigns, creatives and assets', async () => {
    const { buyer, campaignId } = await buyerCampaign();
    const created = await bannerWith(buyer.key, campaignId, png(300, 250));
    const id = created.body.data.creative_id as string;
    const assetId = created.body.data.assets[0].asset_id as string;
    const other = await buyerCampaign();
    const key = other.buyer.key;
    const path = `/api/v2/buyer/campaigns/${campaignId}`;
    const answers = await Promise.all([
      h.call('GET', `${path}/creatives/${id}`, { key }),
      h.call('PUT', `${path}/creatives/${id}`, { key, body: { name: 'Mine now' } }),
      h.call('DELETE', `${path}/creatives/${id}`, { key }),
      h.call('GET', `${path}/creatives`, { key }),
      h.call('GET', `${path}/creativeManifest`, { key }),
      createOn(key, campaignId, { format_id: smallBanner.format_id }),
      h.call('GET', `/api/v2/buyer/creative-assets/${assetId}`, { key }),
      // Their own campaign, naming the first buyer's upload.
      createOn(key, other.campaignId, {
        format_id: smallBanner.format_id,
        assets: [{ filename: 'x.png', asset_id: assetId }],
      }),
      // The creative id under their own campaign.
      h.call('GET', `/api/v2/buyer/campaigns/${other.campaignId}/creatives/${id}`, { key }),
    ]);
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    const still = await h.call('GET', `${path}/creatives/${id}`, { key: buyer.key });
    expect(still.body.data.name).toBe(created.body.data.name);
  });
});
