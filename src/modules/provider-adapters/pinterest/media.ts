import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterContext, AdapterCreative } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { PinterestApi } from './api.js';

/*
 * A video for a video Pin, as Pinterest's API v5 takes one ("Register media upload",
 * "Get media upload details" in v5/openapi.json, and the media upload guide): the upload is
 * registered (POST /media, `media_type: video`), answered with an upload URL and the form
 * parameters the file must be posted with; the video is read from the buyer's URL and posted
 * there as multipart form data (the parameters first, then `file`; never our token: the URL is
 * Pinterest's storage, not its API), and the upload is followed (GET /media/{id}) until
 * Pinterest has processed it (`succeeded`) or refused it (`failed`).
 */

const videoTypes = new Set(['video/mp4', 'video/quicktime', 'video/x-m4v']);

export interface VideoUploadOptions {
  /** Waits between two looks at a processing upload (tests shorten them). */
  pollDelaysMs?: number[];
}

const defaultDelays = [250, 500, 1000, 2000, 2000, 4000, 4000, 4000];

export async function uploadVideo(
  api: PinterestApi,
  fileFetch: OutboundFetch,
  ctx: AdapterContext,
  creative: AdapterCreative,
  options: VideoUploadOptions = {},
): Promise<string> {
  const registered = await api.post<{
    media_id?: unknown;
    upload_url?: unknown;
    upload_parameters?: unknown;
  }>('media', ctx.accessToken, { media_type: 'video' });
  const mediaId = registered.media_id;
  const uploadUrl = registered.upload_url;
  if (typeof mediaId !== 'string' || !mediaId || typeof uploadUrl !== 'string') {
    throw new ProviderError('SERVICE_UNAVAILABLE', 'Pinterest registered no video upload', {
      retryable: true,
    });
  }
  const video = await readVideo(fileFetch, creative);
  const form = new FormData();
  const parameters = (registered.upload_parameters ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(parameters)) form.set(k, String(v));
  form.set('file', video, 'video.mp4');
  let stored: Response;
  try {
    stored = await fileFetch(uploadUrl, { method: 'POST', body: form, timeoutMs: 120_000 });
  } catch {
    throw new ProviderError(
      'SERVICE_UNAVAILABLE',
      "Pinterest's media storage could not be reached",
      {
        retryable: true,
      },
    );
  }
  await stored.body?.cancel().catch(() => undefined);
  if (!stored.ok) {
    throw new ProviderError(
      'SERVICE_UNAVAILABLE',
      `Pinterest's media storage answered ${stored.status}`,
      {
        retryable: true,
      },
    );
  }
  for (const delay of options.pollDelaysMs ?? defaultDelays) {
    const media = await api.get<{ status?: unknown }>(
      `media/${encodeURIComponent(mediaId)}`,
      ctx.accessToken,
    );
    if (media.status === 'succeeded') return mediaId;
    if (media.status === 'failed') {
      throw new ProviderError(
        'INVALID_REQUEST',
        `Pinterest could not process the video of creative ${creative.creativeId}`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  throw new ProviderError('SERVICE_UNAVAILABLE', 'Pinterest is still processing the video', {
    retryable: true,
    retryAfterSeconds: 30,
  });
}

/** The buyer's video, read through the guarded file client (at most its 20 MiB). */
async function readVideo(fetch: OutboundFetch, creative: AdapterCreative): Promise<Blob> {
  const unreadable = () =>
    new ProviderError(
      'INVALID_REQUEST',
      `The video of creative ${creative.creativeId} could not be read (a public MP4 or MOV of at most 20 MB is needed)`,
    );
  let res: Response;
  try {
    res = await fetch(creative.videoUrl!, { method: 'GET', timeoutMs: 60_000 });
  } catch {
    throw unreadable();
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!res.ok || !videoTypes.has(type)) {
    await res.body?.cancel().catch(() => undefined);
    throw unreadable();
  }
  try {
    return new Blob([await res.arrayBuffer()], { type });
  } catch {
    throw unreadable();
  }
}
