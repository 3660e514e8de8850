import type { Harness } from '../../harness.js';
import { png } from '../../support/images.js';
import type { Json } from '../buying/buying-support.js';

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
      url_assets: [{ asset_id: 'click_url', url: 'https://acmeoutdoor.example/spring' }],
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
