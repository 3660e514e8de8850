import { z } from 'zod';

/*
 * What a product sells, as the publisher may state it on its product rule (Interchange additions
 * to the hosted product body): display or video, on which AdCP channels, and for video the spot
 * lengths it takes. Each is optional: where the ad server says what its inventory is (SpringServe
 * supply tags' format and environment) its word wins, and without either a product is what its
 * ad server's kind of inventory is (media.ts).
 */

export const productMediaTypes = ['display', 'video'] as const;
export type ProductMediaType = (typeof productMediaTypes)[number];

/** The AdCP channels (MediaChannel) a video product may name: online video and connected TV. */
export const videoChannels = ['olv', 'ctv'] as const;
export type VideoChannel = (typeof videoChannels)[number];

export const productMediaFields = {
  mediaType: z
    .enum(productMediaTypes)
    .optional()
    .describe(
      'Interchange addition: what the product sells, display or video (else what the ad server says of its inventory)',
    ),
  channels: z
    .array(z.enum(['display', ...videoChannels]))
    .min(1)
    .max(2)
    .optional()
    .describe(
      'Interchange addition: the AdCP channels of the product: display, or olv and/or ctv for video',
    ),
  videoDurations: z
    .array(z.number().int().min(1).max(300))
    .min(1)
    .max(6)
    .optional()
    .describe(
      'Interchange addition: spot lengths in seconds a video product takes (default 15 and 30)',
    ),
};

/** A product's media fields agree with each other: channels of its media, durations for video only. */
export function checkProductMedia(
  rule: {
    mediaType?: ProductMediaType | undefined;
    channels?: string[] | undefined;
    videoDurations?: number[] | undefined;
  },
  ctx: z.RefinementCtx,
) {
  const channels = rule.channels ?? [];
  if (rule.mediaType === 'display' && channels.some((c) => c !== 'display')) {
    ctx.addIssue({
      code: 'custom',
      path: ['channels'],
      message: 'channels of a display product can only be display',
    });
  }
  if (rule.mediaType === 'video' && channels.includes('display')) {
    ctx.addIssue({
      code: 'custom',
      path: ['channels'],
      message: 'channels of a video product are olv and/or ctv',
    });
  }
  if (channels.includes('display') && channels.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['channels'],
      message: 'a product is display or video: display does not go with olv or ctv',
    });
  }
  if (rule.videoDurations && rule.mediaType === 'display') {
    ctx.addIssue({
      code: 'custom',
      path: ['videoDurations'],
      message: 'videoDurations are for video products',
    });
  }
}
