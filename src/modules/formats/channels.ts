/** The buyer-facing channel of an AdCP format, for the `channel` filter of GET /formats. */
export type FormatChannel = 'display' | 'video' | 'audio' | 'native' | 'other';

export const formatChannels: FormatChannel[] = ['display', 'video', 'audio', 'native', 'other'];

type Json = Record<string, unknown>;

/**
 * AdCP 3 formats carry no channel; it is read off the asset slots: a video or VAST slot makes a
 * video format, audio or DAAST audio, an image/HTML/JavaScript slot display, text slots alone
 * native. A v2 format's own `type` wins when it names one of these.
 */
export function channelOf(format: Json): FormatChannel {
  const legacy = format['type'];
  if (typeof legacy === 'string' && (formatChannels as string[]).includes(legacy)) {
    return legacy as FormatChannel;
  }
  const types = new Set(
    (Array.isArray(format['assets']) ? format['assets'] : []).flatMap((a) =>
      typeof (a as Json)['asset_type'] === 'string' ? [(a as Json)['asset_type'] as string] : [],
    ),
  );
  if (types.has('video') || types.has('vast')) return 'video';
  if (types.has('audio') || types.has('daast')) return 'audio';
  if (types.has('image') || types.has('html') || types.has('javascript')) return 'display';
  if (types.has('text')) return 'native';
  return 'other';
}
