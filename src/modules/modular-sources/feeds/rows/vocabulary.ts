/**
 * AdCP's closed lists a feed cell must belong to, taken from @adcp/sdk (AdCP 3.0.6): media
 * channels and pricing models, read as people write them ("Online video", "Streaming audio",
 * "CPM"); and ISO-4217 currencies as Node knows them.
 */
import { MediaChannelValues, PricingModelValues } from '@adcp/sdk/types';

export type MediaChannel = (typeof MediaChannelValues)[number];
export type PricingModel = (typeof PricingModelValues)[number];

/** A value as compared: lowercase letters and digits only ("Linear TV" → "lineartv"). */
const keyOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Plain names for channels that their AdCP code does not spell. */
const channelNames: Record<string, MediaChannel> = {
  video: 'olv',
  onlinevideo: 'olv',
  connectedtv: 'ctv',
  ott: 'ctv',
  tv: 'linear_tv',
  broadcasttv: 'linear_tv',
  audio: 'streaming_audio',
  digitalaudio: 'streaming_audio',
  podcasts: 'podcast',
  outofhome: 'ooh',
  digitaloutofhome: 'dooh',
  retail: 'retail_media',
};

const channelsByKey = new Map<string, MediaChannel>([
  ...MediaChannelValues.map((c) => [keyOf(c), c] as const),
  ...Object.entries(channelNames),
]);

export const channels: readonly MediaChannel[] = MediaChannelValues;

/** The AdCP channel a cell names (its code or a plain name), or undefined. */
export const channelOf = (text: string): MediaChannel | undefined => channelsByKey.get(keyOf(text));

export const channelHint = `Use an AdCP channel: ${MediaChannelValues.join(', ')} (or video, online video, connected TV, audio, out of home)`;

const modelsByKey = new Map<string, PricingModel>(
  PricingModelValues.map((m) => [keyOf(m), m] as const),
);

export const pricingModels: readonly PricingModel[] = PricingModelValues;

/** The AdCP pricing model a cell names, or undefined. */
export const pricingModelOf = (text: string): PricingModel | undefined =>
  modelsByKey.get(keyOf(text));

/** The one model a modular source sells by: its ledger counts impressions at a fixed CPM. */
export const soldModel: PricingModel = 'cpm';

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** Whether `code` (uppercase) is an ISO-4217 currency. */
export const isCurrency = (code: string) => /^[A-Z]{3}$/.test(code) && currencies.has(code);
