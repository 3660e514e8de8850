import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import type { SpotifyApi } from './api.js';

/*
 * A creative's audio and image into the ad account's assets ("Assets": Create Asset and Upload
 * Asset, https://developer.spotify.com/documentation/ads-api/reference/v3.0/createAsset and
 * /uploadAsset): the file is read from the buyer's URL through the guarded outbound client (its
 * size cap, 20 MiB as Spotify's, and time cap bound it; a private address is refused), an asset is made
 * (POST /ad_accounts/{id}/assets: asset_type AUDIO with asset_subtype USER_UPLOADED_AUDIO, or
 * IMAGE; status WAITING_UPLOAD) and the file posted to it as multipart/form-data (`media` and
 * `asset_type`, POST /ad_accounts/{id}/assets/{asset_id}/upload). Spotify takes PNG and JPEG
 * images and MP3, OGG and WAV audio, up to 20 MB.
 */

const accepted = {
  AUDIO: new Set(['audio/mpeg', 'audio/mp3', 'audio/ogg', 'audio/wav', 'audio/x-wav']),
  IMAGE: new Set(['image/png', 'image/jpeg']),
} as const;

export type AssetType = keyof typeof accepted;

export async function uploadAsset(
  fetch: OutboundFetch,
  api: SpotifyApi,
  ctx: AdapterContext,
  input: { type: AssetType; url: string; name: string; creativeId: string },
): Promise<string> {
  const file = await readFile(fetch, input);
  const account = encodeURIComponent(ctx.account.id);
  const asset = await api.post<{ id?: unknown }>(`ad_accounts/${account}/assets`, ctx.accessToken, {
    asset_type: input.type,
    name: assetName(input.name),
    ...(input.type === 'AUDIO' && { asset_subtype: 'USER_UPLOADED_AUDIO' }),
  });
  const assetId = createdId(asset.id, 'Spotify made the asset without an id');
  const form = new FormData();
  form.set('asset_type', input.type);
  form.set('media', file, `${input.type.toLowerCase()}.${extensionOf(file.type)}`);
  await api.post(
    `ad_accounts/${account}/assets/${encodeURIComponent(assetId)}/upload`,
    ctx.accessToken,
    form,
  );
  return assetId;
}

/** 2 to 120 characters, no surrounding spaces. */
const assetName = (name: string) => {
  const trimmed = name.trim().slice(0, 120).trim();
  return trimmed.length >= 2 ? trimmed : 'Interchange asset';
};

const extensionOf = (type: string) =>
  ({
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'audio/ogg': 'ogg',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
  })[type] ?? 'mp3';

async function readFile(
  fetch: OutboundFetch,
  input: { type: AssetType; url: string; creativeId: string },
): Promise<Blob> {
  const what = input.type === 'AUDIO' ? 'audio (MP3, OGG or WAV)' : 'image (PNG or JPEG)';
  const unreadable = () =>
    new ProviderError(
      'INVALID_REQUEST',
      `The ${input.type.toLowerCase()} of creative ${input.creativeId} could not be read (a public ${what} of at most 20 MB is needed)`,
    );
  let res: Response;
  try {
    res = await fetch(input.url, { method: 'GET', timeoutMs: 60_000 });
  } catch {
    throw unreadable();
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!res.ok || !(accepted[input.type] as Set<string>).has(type)) throw unreadable();
  try {
    const bytes = await res.arrayBuffer();
    if (!bytes.byteLength) throw unreadable();
    return new Blob([bytes], { type });
  } catch {
    throw unreadable();
  }
}
