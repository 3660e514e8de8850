import { expect } from 'vitest';
import { defaultReadCacheTtlMs } from '../../../src/platform/read-cache.js';
import type { Harness } from '../../harness.js';
import { png } from '../../support/images.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';

/** A storefront as storefrontWith answers it. */
export type Sf = { id: number; platformId: string; seller: { key: string } };
export const agentOf = (s: Sf) => `storefront-${s.platformId}`;
export const brief = 'Display banners for a spring outdoor launch';

/**
 * Readies the creative tests' storefronts: those over the demo seller (`inline`) record that
 * it keeps no creative library, as a probe of it would, and the read cache is waited out so
 * every instance sees it; the example seller behind `library` is warmed, as its first answer
 * is slow (tsx start-up), as buying-flow does.
 */
export async function readyCreativeStorefronts(h: Harness, inline: number[], library: Sf) {
  await h.database.queryable.query(
    `update inventory_sources set capabilities = jsonb_set(capabilities, '{creativeHasCreativeLibrary}', 'false')
     where storefront_id = any($1)`,
    [inline],
  );
  await new Promise((resolve) => setTimeout(resolve, defaultReadCacheTtlMs + 50));
  const warm = await buyerWithAdvertiser(h);
  await discover(h, warm.buyer.key, {
    advertiserId: Number(warm.advertiserId),
    brief,
    storefrontIds: [library.id],
  });
}

/** A buyer's campaign over one display_300x250 product from each storefront given. */
export async function campaignOn(h: Harness, storefronts: Sf[]) {
  // The example seller's account for this publisher sells a 300x250 display product.
  const { buyer, advertiserId } = await buyerWithAdvertiser(h, 'pinnacle-agency.example');
  const found = await discover(h, buyer.key, {
    advertiserId: Number(advertiserId),
    brief,
    storefrontIds: storefronts.map((s) => s.id),
  });
  expect(found.status, found.text).toBe(200);
  const picks = storefronts.map((s) => {
    const product = productsOf(found.body.data, s.platformId).find((p: Json) =>
      (p.formatTypes as string[]).includes('display_300x250'),
    );
    expect(product, `a 300x250 product on ${s.platformId}`).toBeDefined();
    return product;
  });
  const selected = await h.call(
    'POST',
    `/api/v2/buyer/discovery/${found.body.data.discoveryId}/products`,
    { key: buyer.key, body: { products: picks.map((p) => selectionOf(p, 10_000)) } },
  );
  expect(selected.status, selected.text).toBe(200);
  const campaignId = await campaignOver(h, buyer.key, advertiserId, found.body.data.discoveryId);
  return { buyer, advertiserId, campaignId };
}

/** The agent's display_300x250 format (its format_id is what products reference). */
export async function medrecOf(h: Harness, key: string, s: Sf): Promise<Json> {
  const format = (await formatsOf(h, key, agentOf(s))).find(
    (f) => f.format_id.id === 'display_300x250',
  );
  expect(format, `display_300x250 on ${s.platformId}`).toBeDefined();
  return format.format_id;
}

/** Uploads `bytes` as the buyer's asset; answers the asset (hosted shape). */
export async function upload(
  h: Harness,
  key: string,
  bytes: Buffer,
  contentType = 'image/png',
  filename = 'banner.png',
) {
  return h.call('POST', `/api/v2/buyer/creative-assets?filename=${filename}`, {
    key,
    body: bytes,
    headers: { 'content-type': contentType },
  });
}

/** The path and query of a signed link (the harness injects; the origin is the configured one). */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** The buyer's formats of one agent, as GET /formats answers them. */
export async function formatsOf(h: Harness, key: string, agentId: string): Promise<Json[]> {
  const res = await h.call('GET', `/api/v2/buyer/formats?salesAgentId=${agentId}&limit=250`, {
    key,
  });
  if (res.status !== 200) throw new Error(`formats: ${res.text}`);
  return (res.body.data.items as Json[]).map((i) => i.format);
}

/** A 300x250 image creative on `formatId` with a click URL, from a freshly uploaded PNG. */
export async function imageCreative(
  h: Harness,
  key: string,
  campaignId: string,
  formatId: Json,
  name = 'Spring banner',
  clickUrl = 'https://acmeoutdoor.example/spring',
) {
  const asset = await upload(h, key, png(300, 250));
  if (asset.status !== 201) throw new Error(`upload: ${asset.text}`);
  return h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/creatives/create`, {
    key,
    body: {
      name,
      format_id: formatId,
      assets: [
        { filename: 'banner.png', asset_id: asset.body.data.asset_id, slot_asset_id: 'image' },
      ],
      url_assets: [{ asset_id: 'click_url', url: clickUrl }],
    },
  });
}

/** Follows a signed asset link into the app; answers the status, headers and bytes. */
export async function fetchLink(h: Harness, url: string) {
  const res = await h.app.inject({ method: 'GET', url: pathOf(url) });
  return {
    status: res.statusCode,
    headers: res.headers,
    bytes: res.rawPayload,
    body: res.json.bind(res),
  };
}
