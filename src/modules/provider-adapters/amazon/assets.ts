import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import type { AmazonApi, AmazonCaller } from './api.js';

/*
 * An image into the advertiser's Creative Asset Library ("Creative asset library" in Amazon's
 * Postman collection, github.com/amzn/ads-advanced-tools-docs, and
 * https://advertising.amazon.com/API/docs/en-us/creative-asset-library): the image is read from
 * the buyer's URL through the guarded outbound client (size and time caps; private addresses
 * refused), POST /assets/upload answers a pre-signed upload URL, the bytes are PUT there (no
 * token: the URL carries its own signature), and POST /assets/register makes it an asset,
 * answering its `assetId` and `versionId`. Sponsored Display creatives name assets by both.
 */

const imageTypes = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
]);

export interface AssetRef {
  assetId: string;
  assetVersion: string;
}

export async function uploadAsset(
  fetch: OutboundFetch,
  api: AmazonApi,
  caller: AmazonCaller,
  image: { url: string; name: string; subType: 'LOGO' | 'LIFESTYLE_IMAGE'; creativeId: string },
): Promise<AssetRef> {
  const file = await readImage(fetch, image.url, image.creativeId);
  const filename = `${image.subType.toLowerCase()}.${imageTypes.get(file.type)}`;
  const upload = await api.post<{ url?: unknown }>(caller, 'assets/upload', { filename });
  if (typeof upload.url !== 'string') {
    throw new ProviderError('SERVICE_UNAVAILABLE', 'Amazon Ads answered no upload URL', {
      retryable: true,
    });
  }
  let put: Response;
  try {
    put = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': file.type },
      body: file,
      timeoutMs: 30_000,
    });
    await put.arrayBuffer().catch(() => undefined);
  } catch {
    throw new ProviderError('SERVICE_UNAVAILABLE', 'The image could not be uploaded to Amazon', {
      retryable: true,
    });
  }
  if (!put.ok) {
    throw new ProviderError('SERVICE_UNAVAILABLE', 'The image could not be uploaded to Amazon', {
      retryable: true,
    });
  }
  const asset = await api.post<{ assetId?: unknown; versionId?: unknown }>(
    caller,
    'assets/register',
    {
      url: upload.url,
      name: image.name.slice(0, 100),
      assetType: 'IMAGE',
      assetSubTypeList: [image.subType],
    },
  );
  if (typeof asset.assetId !== 'string' || typeof asset.versionId !== 'string') {
    throw new ProviderError(
      'SERVICE_UNAVAILABLE',
      'Amazon Ads registered the image without an id',
      {
        retryable: true,
      },
    );
  }
  return { assetId: asset.assetId, assetVersion: asset.versionId };
}

async function readImage(fetch: OutboundFetch, url: string, creativeId: string): Promise<Blob> {
  const unreadable = () =>
    new ProviderError(
      'INVALID_REQUEST',
      `An image of creative ${creativeId} could not be read (a public JPEG or PNG is needed)`,
    );
  let res: Response;
  try {
    res = await fetch(url, { method: 'GET', timeoutMs: 15_000 });
  } catch {
    throw unreadable();
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!res.ok || !imageTypes.has(type)) throw unreadable();
  try {
    return new Blob([await res.arrayBuffer()], { type });
  } catch {
    throw unreadable();
  }
}
