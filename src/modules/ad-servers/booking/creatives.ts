import type { CreativePlan } from '../adapters/port.js';
import type { ResolvedProduct } from '../products.js';
import { BookingRefused } from './booking-request.js';

/*
 * A package's creatives as the ad server is asked for them, checked against what the product
 * sells before anything is written: a video product takes a video file or a VAST tag (by URL), a
 * display product an image or HTML; anything else is refused by the creative's name. A creative
 * with no asset we can traffic on a display product is left out, as it always was.
 */

type Asset = Record<string, unknown>;

const videoTypes: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

const isHttp = (url: unknown): url is string =>
  typeof url === 'string' && /^https?:\/\//i.test(url);

/** The MIME type of a video asset: its container format, else its URL's extension. */
function mimeOf(asset: Asset): string | undefined {
  const container = String(asset['container_format'] ?? '').toLowerCase();
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(String(asset['url']))?.[1]?.toLowerCase();
  return videoTypes[container] ?? (extension ? videoTypes[extension] : undefined);
}

/** An AdCP creative manifest (inline on a package) as an ad-server creative; null when it has no asset we can traffic. */
export function creativePlanOf(
  creative: Record<string, unknown>,
  size: { width: number; height: number },
): CreativePlan | null {
  const assets = Object.values((creative['assets'] ?? {}) as Record<string, Asset>).filter(
    (a) => a && typeof a === 'object',
  );
  const video = assets.find((a) => a['asset_type'] === 'video' && typeof a['url'] === 'string');
  // VAST by URL: AdCP's vast asset delivered by URL, or a URL asset of url_type vast.
  const vast = assets.find(
    (a) => (a['asset_type'] === 'vast' || a['url_type'] === 'vast') && typeof a['url'] === 'string',
  );
  const image = assets.find(
    (a) =>
      typeof a['url'] === 'string' &&
      (a['asset_type'] === 'image' || /\.(png|jpe?g|gif|webp)$/i.test(String(a['url']))),
  );
  const html = assets.find((a) => typeof a['content'] === 'string' && a['asset_type'] !== 'vast');
  const click = assets.find(
    (a) =>
      a['url_type'] === 'clickthrough' ||
      (a['asset_type'] === 'url' &&
        a['url_type'] !== 'vast' &&
        !/tracker/.test(String(a['url_type']))),
  );
  const clickUrl = String(click?.['url'] ?? creative['click_url'] ?? 'https://example.com');
  const name = String(creative['name'] ?? creative['creative_id'] ?? 'Creative');
  const media = video ?? image;
  const width = Number(media?.['width'] ?? size.width);
  const height = Number(media?.['height'] ?? size.height);
  // The spot's length: its asset's, else its format's (a parameterized format id carries one).
  const format = (creative['format_id'] ?? {}) as Record<string, unknown>;
  const duration = Number((video ?? vast)?.['duration_ms'] ?? format['duration_ms']);
  const durationMs = Number.isFinite(duration) && duration > 0 ? duration : undefined;
  if (video) {
    const mimeType = mimeOf(video);
    return {
      name,
      width,
      height,
      clickUrl,
      videoUrl: String(video['url']),
      ...(durationMs && { durationMs }),
      ...(mimeType && { mimeType }),
    };
  }
  if (vast)
    return {
      name,
      width,
      height,
      clickUrl,
      vastUrl: String(vast['url']),
      ...(durationMs && { durationMs }),
    };
  if (image) return { name, width, height, clickUrl, imageUrl: String(image['url']) };
  if (html) return { name, width, height, clickUrl, snippet: String(html['content']) };
  return null;
}

/** Whether a manifest carries VAST only inline (XML), which no ad server here takes. */
const inlineVastOnly = (creative: Record<string, unknown>) =>
  Object.values((creative['assets'] ?? {}) as Record<string, Asset>).some(
    (a) => a?.['asset_type'] === 'vast' && typeof a['content'] === 'string' && !a['url'],
  );

/** A buyer's creative (its AdCP creative_id) as the ad server is asked for it. */
export interface PlannedCreative {
  creativeId: string;
  plan: CreativePlan;
}

/**
 * The creatives of one package, planned and checked against its product: refused (before
 * anything is written) when one does not fit what the product sells. `field` names where they
 * were sent (a create's packages.creatives, an update's packages[i].creatives).
 */
export function packageCreatives(
  creatives: Array<Record<string, unknown>>,
  product: ResolvedProduct,
  size: { width: number; height: number },
  field = 'packages.creatives',
): PlannedCreative[] {
  const plans: PlannedCreative[] = [];
  const { mediaType, durations } = product.media;
  for (const creative of creatives) {
    const label = `Creative "${String(creative['name'] ?? creative['creative_id'] ?? '')}"${
      creative['creative_id'] ? ` (${String(creative['creative_id'])})` : ''
    }`;
    const refuse = (why: string) =>
      new BookingRefused('CREATIVE_REJECTED', `${label} ${why}`, field);
    const plan = creativePlanOf(creative, size);
    const isVideo = Boolean(plan?.videoUrl ?? plan?.vastUrl);
    if (mediaType === 'video') {
      if (!plan && inlineVastOnly(creative)) {
        throw refuse(
          `carries VAST inline only: product ${product.rule.productId} takes a VAST tag by URL or a video file`,
        );
      }
      if (!isVideo) {
        throw refuse(
          `is ${plan?.imageUrl ? 'an image' : plan?.snippet ? 'HTML' : 'not a video'}: product ${product.rule.productId} sells video and takes a video file or a VAST tag`,
        );
      }
      const url = plan!.videoUrl ?? plan!.vastUrl;
      if (!isHttp(url)) throw refuse('has a video or VAST URL that is not http(s)');
      const longest = Math.max(...durations);
      if (plan!.durationMs && plan!.durationMs > longest * 1000 + 500) {
        throw refuse(
          `lasts ${Math.round(plan!.durationMs / 1000)} s: product ${product.rule.productId} takes spots of ${durations.join(' or ')} s`,
        );
      }
    } else if (isVideo) {
      throw refuse(
        `is a video: product ${product.rule.productId} sells display and takes an image or HTML`,
      );
    }
    if (plan) plans.push({ creativeId: String(creative['creative_id'] ?? plan.name), plan });
  }
  return plans;
}
