import type { MediaChannel } from '@adcp/sdk/types';
import {
  type ProductMediaType,
  productMediaTypes,
  type VideoChannel,
  videoChannels,
} from './media-schema.js';
import type { ProductRule } from './schemas.js';

/*
 * What a product sells: display (the sizes of its ad units) or video (AdCP's video_standard and
 * video_vast formats, one per spot length, on the olv and/or ctv channels). In order, from:
 * 1. what the ad server says of the product's placements, synced into their data by its adapter
 *    (SpringServe: a supply tag's `format` and `environment`);
 * 2. the publisher's product rule (`mediaType`, `channels`, `videoDurations`);
 * 3. what the ad server's kind of inventory is: FreeWheel site sections and SpringServe supply
 *    tags are where video players ask for ads, so video on olv; Ad Manager ad units are display.
 */

export interface ProductMedia {
  mediaType: ProductMediaType;
  channels: MediaChannel[];
  /** Spot lengths in seconds (video only). */
  durations: number[];
}

/** What an adapter synced about one placement's media (absent: the ad server did not say). */
export interface StatedMedia {
  mediaType?: ProductMediaType;
  channels?: VideoChannel[];
}

export const defaultVideoDurations = [15, 30];

/** The media of each ad-server type's inventory when neither it nor the product rule says. */
const inventoryDefault: Record<string, ProductMediaType> = {
  springserve: 'video',
  freewheel: 'video',
};

const isMediaType = (v: unknown): v is ProductMediaType =>
  (productMediaTypes as readonly unknown[]).includes(v);
const isVideoChannel = (v: unknown): v is VideoChannel =>
  (videoChannels as readonly unknown[]).includes(v);

/** The media a synced placement's data states (adapters write `mediaType` and `channels`). */
export function statedMediaOf(data: Record<string, unknown>): StatedMedia {
  const channels = Array.isArray(data['channels']) ? data['channels'].filter(isVideoChannel) : [];
  return {
    ...(isMediaType(data['mediaType']) && { mediaType: data['mediaType'] }),
    ...(channels.length > 0 && { channels }),
  };
}

/** The media of a product rule over placements whose ad server stated `stated`. */
export function mediaOf(
  adServerType: string,
  rule: Pick<ProductRule, 'mediaType' | 'channels' | 'videoDurations'>,
  stated: StatedMedia[],
): ProductMedia {
  const statedTypes = [...new Set(stated.flatMap((s) => (s.mediaType ? [s.mediaType] : [])))];
  const mediaType =
    statedTypes.length === 1
      ? statedTypes[0]!
      : (rule.mediaType ?? inventoryDefault[adServerType] ?? 'display');
  if (mediaType === 'display') return { mediaType, channels: ['display'], durations: [] };
  const statedChannels = [
    ...new Set(stated.filter((s) => s.mediaType !== 'display').flatMap((s) => s.channels ?? [])),
  ];
  const ruleChannels = (rule.channels ?? []).filter(isVideoChannel);
  return {
    mediaType,
    channels: statedChannels.length ? statedChannels : ruleChannels.length ? ruleChannels : ['olv'],
    durations: [...new Set(rule.videoDurations ?? defaultVideoDurations)].sort((a, b) => a - b),
  };
}

/** AdCP format ids of a video product: a hosted video and a VAST tag per spot length. */
export const videoFormatsOf = (durations: number[]) =>
  durations.flatMap((seconds) => [
    { id: 'video_standard', duration_ms: seconds * 1000 },
    { id: 'video_vast', duration_ms: seconds * 1000 },
  ]);
