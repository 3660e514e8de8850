import type { FakeNetwork, Obj } from './network.js';

/*
 * The fake FreeWheel's creative library and its links to placements, as the Publisher API
 * documents them (see server.ts): creatives with their renditions (Creative Management API V4,
 * POST /services/v4/creative_resources), ads in placements (V4 ads, type INSTREAM, OVERLAY or
 * DISPLAY as FreeWheel's ads are typed) and creative instances linking a creative to an ad
 * (Creative Instance API v4: ad_id and creative_id required, placement_id answered). Each answer
 * is [status, body]; a refusal is FreeWheel's JSON `{errors: [...]}`.
 */

type Answer = [number, unknown];

const refuse = (message: string): Answer => [400, { errors: [message] }];

const videoExtensions = /\.(mp4|m4v|mov|webm)(?:[?#]|$)/i;
const imageExtensions = /\.(png|jpe?g|gif|webp)(?:[?#]|$)/i;

/**
 * What a rendition is: its content type's family when given, else (`auto`, FreeWheel's media
 * detection) from its URI: a video or image file by extension, anything else a VAST document.
 */
export function renditionKind(rendition: Obj): 'video' | 'image' | 'vast' {
  const type = String(rendition['content_type'] ?? 'auto').toLowerCase();
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('image/')) return 'image';
  const uri = String(rendition['uri']);
  if (videoExtensions.test(uri)) return 'video';
  if (imageExtensions.test(uri)) return 'image';
  return 'vast';
}

export function createCreative(network: FakeNetwork, input: Obj): Answer {
  const creative = input['creative'] as Obj | undefined;
  if (!creative || typeof creative !== 'object') return refuse('creative is required');
  if (!creative['name']) return refuse('creative.name is required');
  const renditions = creative['renditions'];
  if (!Array.isArray(renditions) || renditions.length === 0) {
    return refuse('creative.renditions is required');
  }
  for (const r of renditions as Obj[]) {
    if (!/^https?:\/\//.test(String(r['uri'] ?? ''))) return refuse('rendition uri is invalid');
    const type = String(r['content_type'] ?? 'auto');
    if (type !== 'auto' && !type.includes('/')) return refuse('rendition content_type is invalid');
  }
  const advertisers = (creative['advertiser_ids'] as unknown[] | undefined) ?? [];
  for (const id of advertisers) {
    if (!network.advertisers.has(Number(id)))
      return refuse(`advertiser ${String(id)} does not exist`);
  }
  const created: Obj = {
    ...creative,
    id: network.nextId(),
    status: 'ACTIVE',
    advertiser_ids: advertisers.map(Number),
    renditions: (renditions as Obj[]).map((r) => ({ ...r, id: network.nextId() })),
  };
  network.creatives.set(Number(created['id']), created);
  return [201, { creative: created }];
}

export function createAd(network: FakeNetwork, input: Obj): Answer {
  const placement = network.placements.get(Number(input['placement_id']));
  if (!placement) return refuse('placement_id does not exist');
  if (!['INSTREAM', 'OVERLAY', 'DISPLAY'].includes(String(input['type']))) {
    return refuse('type must be INSTREAM, OVERLAY or DISPLAY');
  }
  const created = { ...input, id: network.nextId(), status: 'ACTIVE' };
  network.ads.set(created.id, created);
  return [201, created];
}

/**
 * A creative linked to an ad: both must exist, the creative must be the placement advertiser's,
 * and what it shows must fit the ad (an instream ad plays a video or VAST, a display ad an image).
 */
export function createCreativeInstance(network: FakeNetwork, input: Obj): Answer {
  const ad = network.ads.get(Number(input['ad_id']));
  if (!ad) return refuse('ad_id does not exist');
  const creative = network.creatives.get(Number(input['creative_id']));
  if (!creative) return refuse('creative_id does not exist');
  const placement = network.placements.get(Number(ad['placement_id']))!;
  const order = network.insertionOrders.get(Number(placement['insertion_order_id']));
  const campaign = network.campaigns.get(Number(order?.['campaign_id']));
  const owners = (creative['advertiser_ids'] as number[] | undefined) ?? [];
  if (campaign && !owners.includes(Number(campaign['advertiser_id']))) {
    return refuse('the creative is not available to the placement advertiser');
  }
  const kinds = ((creative['renditions'] as Obj[] | undefined) ?? []).map(renditionKind);
  const fits =
    ad['type'] === 'DISPLAY'
      ? kinds.includes('image')
      : kinds.some((k) => k === 'video' || k === 'vast');
  if (!fits) return refuse(`the creative has no rendition a ${String(ad['type'])} ad can serve`);
  const created = {
    id: network.nextId(),
    ad_id: ad['id'],
    creative_id: creative['id'],
    placement_id: ad['placement_id'],
    status: 'ACTIVE',
  };
  network.creativeInstances.set(created.id, created);
  return [201, created];
}
