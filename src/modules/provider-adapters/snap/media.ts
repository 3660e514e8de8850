import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterContext, AdapterCreative } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import type { SnapApi } from './api.js';

/*
 * A creative's image into the ad account's media library ("Media",
 * https://developers.snap.com/api/marketing-api/Ads-API/media): the image is read from the
 * buyer's URL through the guarded outbound client (its size and time caps bound it; a private
 * address is refused), a media object is made (POST /adaccounts/{id}/media, type IMAGE, status
 * PENDING_UPLOAD) and the file posted to it as multipart/form-data (POST /media/{id}/upload),
 * after which Snap answers it READY.
 */

const imageTypes = new Set(['image/jpeg', 'image/png']);

export async function uploadImage(
  fetch: OutboundFetch,
  api: SnapApi,
  ctx: AdapterContext,
  creative: AdapterCreative,
): Promise<string> {
  const file = await readImage(fetch, creative);
  const media = await api.one<{ id?: string }>(
    'POST',
    `adaccounts/${encodeURIComponent(ctx.account.id)}/media`,
    ctx.accessToken,
    ['media', 'media'],
    { name: creative.name.slice(0, 375), type: 'IMAGE', ad_account_id: ctx.account.id },
  );
  const mediaId = createdId(media.id, 'Snap made the media without an id');
  const extension = file.type === 'image/png' ? 'png' : 'jpg';
  await api.upload(
    `media/${encodeURIComponent(mediaId)}/upload`,
    ctx.accessToken,
    file,
    `top-snap.${extension}`,
  );
  return mediaId;
}

async function readImage(fetch: OutboundFetch, creative: AdapterCreative): Promise<Blob> {
  const unreadable = () =>
    new ProviderError(
      'INVALID_REQUEST',
      `The image of creative ${creative.creativeId} could not be read (a public JPEG or PNG is needed)`,
    );
  let res: Response;
  try {
    res = await fetch(creative.imageUrl!, { method: 'GET', timeoutMs: 15_000 });
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
