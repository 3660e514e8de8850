import type { SourceCreateRequest } from '../../inventory-sources/index.js';
import type { AdapterCreative, AdapterPackage } from '../contract.js';
import { ProviderError } from '../errors.js';

type Pkg = NonNullable<SourceCreateRequest['packages']>[number];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A creative sent inline on a package (AdCP creative asset: named assets, each with its
 * asset_type) in the words an adapter needs: the image, the video, the audio, where a click goes (a url asset that is
 * not a tracker), the text.
 */
export function creativeOf(raw: unknown): AdapterCreative {
  const c = isRecord(raw) ? raw : {};
  const assets = isRecord(c.assets) ? Object.entries(c.assets) : [];
  const urlOf = (v: unknown) => (isRecord(v) && typeof v.url === 'string' ? v.url : null);
  const typeOf = (v: unknown) => (isRecord(v) ? v.asset_type : undefined);
  const click = assets.find(
    ([k, v]) =>
      typeOf(v) === 'url' &&
      (v as { url_type?: unknown }).url_type !== 'tracker_pixel' &&
      urlOf(v) &&
      k !== 'impression_tracker',
  );
  const isLogo = (key: string) => /logo/i.test(key);
  const image = assets.find(([k, v]) => typeOf(v) === 'image' && urlOf(v) && !isLogo(k));
  const logo = assets.find(([k, v]) => typeOf(v) === 'image' && urlOf(v) && isLogo(k));
  const video = assets.find(([, v]) => typeOf(v) === 'video' && urlOf(v));
  const audio = assets.find(([, v]) => typeOf(v) === 'audio' && urlOf(v));
  const text = assets.find(
    ([, v]) => typeOf(v) === 'text' && typeof (v as { content?: unknown }).content === 'string',
  );
  return {
    creativeId: typeof c.creative_id === 'string' ? c.creative_id : 'creative',
    name: typeof c.name === 'string' ? c.name : 'Creative',
    imageUrl: image ? urlOf(image[1]) : null,
    videoUrl: video ? urlOf(video[1]) : null,
    audioUrl: audio ? urlOf(audio[1]) : null,
    clickUrl: click ? urlOf(click[1]) : null,
    text: text ? String((text[1] as { content: string }).content) : null,
    logoUrl: logo ? urlOf(logo[1]) : null,
  };
}

/**
 * A package of the buy as an adapter is asked it (its countries defaulting to the source's); its
 * audiences are resolved after (buys/audiences.ts).
 */
export function packageOf(pkg: Pkg, index: number, defaultCountries: string[]): AdapterPackage {
  const overlay = (pkg as { targeting_overlay?: { geo_countries?: string[] } }).targeting_overlay;
  const countries = overlay?.geo_countries?.length ? overlay.geo_countries : defaultCountries;
  if (!countries.length) {
    throw new ProviderError('INVALID_REQUEST', 'targeting_overlay.geo_countries is required here');
  }
  const budget = typeof pkg.budget === 'number' ? pkg.budget : 0;
  if (!(budget > 0)) throw new ProviderError('INVALID_REQUEST', 'Each package needs a budget');
  const bid = (pkg as { bid_price?: unknown }).bid_price;
  return {
    packageId: `pkg_${index + 1}`,
    productId: pkg.product_id,
    budget,
    bidCpm: typeof bid === 'number' && bid > 0 ? bid : null,
    countries,
    audiences: { include: [], exclude: [] },
    creatives: ((pkg as { creatives?: unknown[] }).creatives ?? []).map(creativeOf),
  };
}
