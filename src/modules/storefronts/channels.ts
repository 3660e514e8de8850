import type { MediaChannel } from '@adcp/sdk/types';
import { mediaChannels } from './schemas.js';

/**
 * Names callers give channels that AdCP names otherwise: a storyboard's fixture and the hosted
 * body say `video` and `audio`, AdCP's online video and streaming audio.
 */
const channelAliases: Readonly<Record<string, MediaChannel>> = {
  video: 'olv',
  audio: 'streaming_audio',
};
const known = new Set<string>(mediaChannels);
const isKnown = (name: string): name is MediaChannel => known.has(name);

/** The channels `value` names, as AdCP names them (aliases read, unknown names dropped), once each. */
export function adcpChannelsOf(value: unknown): MediaChannel[] {
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return [...new Set(names.map((name) => channelAliases[name] ?? name).filter(isKnown))];
}
