/**
 * Formats as rate cards write them ("MPU", "300 x 250", "billboard 970x250", "15s video",
 * "pre-roll", "audio 30s") read as AdCP formats: format ids in the AdCP reference creative
 * agent's naming (display_{w}x{h}, video_{n}s, audio_{n}s, the forms AdCP's v1 → canonical
 * format registry lists as literals) or AdCP's canonical format kinds. A source that names its own formats agent
 * may also write that agent's ids as they are.
 */
import { formatKinds } from '../../../../platform/formats.js';
import {
  audioWords as sharedAudioWords,
  displaySizes,
  rollWords,
  videoWords as sharedVideoWords,
} from '../../../../sources/brief/format-words.js';
import type { FormatKind, FormatOption } from '../avail.js';
import type { MediaChannel } from './vocabulary.js';

/** Spot lengths in seconds a video or audio format may be written with. */
const durations = [6, 10, 15, 20, 30, 45, 60, 90, 120];

const option = (id: string, kind: FormatKind, params: Record<string, unknown> = {}) => ({
  format_option_id: id,
  format_kind: kind,
  params,
});
const display = (w: number, h: number) =>
  option(`display_${w}x${h}`, 'image', { width: w, height: h });
const video = (seconds: number, preRoll: boolean) =>
  option(
    preRoll && (seconds === 15 || seconds === 30)
      ? `video_pre_roll_${seconds}s`
      : `video_${seconds}s`,
    'video_hosted',
    { duration_seconds: seconds },
  );
const audio = (seconds: number) =>
  option(`audio_${seconds}s`, 'audio_hosted', { duration_seconds: seconds });

/** Lowercase words, punctuation gone: "Pre-roll" → "pre roll". */
const phrase = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !fillers.has(w))
    .join(' ');
const fillers = new Set([
  'ad',
  'ads',
  'unit',
  'units',
  'format',
  'creative',
  'px',
  'spot',
  'spots',
  'standard',
]);
// Pre-, mid- and post-roll belong to the medium around them: a podcast's mid-roll is audio.
const videoWords = new Set([...sharedVideoWords, 'instream']);
const rolls = new Set([...rollWords, 'pre', 'mid', 'post']);
const audioWords = new Set(sharedAudioWords);
const videoChannels = new Set<string>(['olv', 'ctv', 'linear_tv', 'cinema']);
const audioChannels = new Set<string>(['radio', 'streaming_audio', 'podcast']);

/** Names with no size or length: each is one format. */
const named = new Map<string, FormatOption>([
  ...displaySizes.flatMap(([w, h, names, short = []]) =>
    [...names, ...short].map((n) => [phrase(n), display(w, h)] as const),
  ),
  ...['display', 'static', 'image', 'banner', 'display banner'].map(
    (n) => [n, option('display_static', 'image')] as const,
  ),
  ...['native', 'native in feed', 'in feed', 'infeed'].map(
    (n) => [n, option('native_in_feed', 'native_in_feed')] as const,
  ),
  ...['pre roll', 'preroll', 'instream', 'in stream', 'instream video', 'pre roll video'].map(
    (n) => [n, option('video_vast', 'video_vast')] as const,
  ),
  ...['video', 'online video', 'olv'].map(
    (n) => [n, option('video_hosted', 'video_hosted')] as const,
  ),
  ...['audio', 'streaming audio'].map((n) => [n, option('audio_hosted', 'audio_hosted')] as const),
  ...['html5', 'html'].map((n) => [n, option('html5', 'html5')] as const),
]);

/** Ids read as they are: the reference agent's ids and the canonical kinds (not `custom`). */
const knownIds = new Map<string, FormatOption>([
  ...displaySizes.map(([w, h]) => [`display_${w}x${h}`, display(w, h)] as const),
  ['display_static', option('display_static', 'image')],
  ...durations.flatMap((s) => [
    [`video_${s}s`, video(s, false)] as const,
    [`audio_${s}s`, audio(s)] as const,
  ]),
  ['video_pre_roll_15s', video(15, true)],
  ['video_pre_roll_30s', video(30, true)],
  ...formatKinds.filter((k) => k !== 'custom').map((k) => [k, option(k, k)] as const),
]);

/** The format a cell's entry names (several are split before), or undefined when none. */
export function readFormat(
  written: string,
  context: { channel: MediaChannel | null; ownAgent: boolean },
): FormatOption | undefined {
  const text = written.trim();
  const lower = text.toLowerCase();
  const known = knownIds.get(lower);
  if (known) return known;
  // An id of the source's own formats agent (it has an _ . or :) is that agent's to define.
  const idLike = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(text);
  if (context.ownAgent && idLike && /[_.:]/.test(text)) return asWritten(text);
  return (
    byName(lower, context.channel) ?? (context.ownAgent && idLike ? asWritten(text) : undefined)
  );
}

function byName(lower: string, channel: MediaChannel | null): FormatOption | undefined {
  let rest = lower.replace(/×/g, 'x');
  const size = /(\d{2,4})\s*[x*]\s*(\d{2,4})/.exec(rest);
  if (size) rest = rest.replace(size[0], ' ');
  const length =
    /(?:^|[^\d:])(\d{1,3})\s*(?:s|sec|secs|second|seconds|")(?![a-z])/.exec(rest) ??
    /(?:^|\s):(\d{2})(?!\d)/.exec(rest);
  if (length) rest = rest.replace(length[0], ' ');
  const words = phrase(rest).split(' ').filter(Boolean);
  const text = words.join(' ');
  const media = (set: Set<string>) => words.some((w) => set.has(w));
  if (size && length) return undefined;
  if (size) {
    const [w, h] = [Number(size[1]), Number(size[2])];
    if (!displaySizes.some(([sw, sh]) => sw === w && sh === h)) return undefined;
    // Video and audio are sold by length; a name of another size contradicts the size.
    if (media(videoWords) || media(rolls) || media(audioWords) || words.includes('native'))
      return undefined;
    const clash = [...named].find(
      ([name, f]) =>
        f.format_kind === 'image' &&
        f.format_option_id !== `display_${w}x${h}` &&
        f.format_option_id !== 'display_static' &&
        ` ${text} `.includes(` ${name} `),
    );
    return clash ? undefined : display(w, h);
  }
  if (length) {
    const seconds = Number(length[1]);
    if (!durations.includes(seconds)) return undefined;
    const audible = media(audioWords) || audioChannels.has(channel ?? '');
    const isVideo =
      media(videoWords) ||
      (!media(audioWords) && videoChannels.has(channel ?? '')) ||
      (media(rolls) && !audible);
    const isAudio = media(audioWords) || (!media(videoWords) && audioChannels.has(channel ?? ''));
    if (isVideo === isAudio) return undefined;
    return isVideo ? video(seconds, /\bpre ?roll\b/.test(text)) : audio(seconds);
  }
  const found = named.get(text);
  // "Pre-roll" alone on an audio channel is the audio spot before the show, not video.
  if (found?.format_kind === 'video_vast' && media(rolls) && audioChannels.has(channel ?? ''))
    return option('audio_hosted', 'audio_hosted');
  return found;
}

/** An id of the source's own formats agent, its kind guessed from its prefix. */
function asWritten(id: string): FormatOption {
  const lower = id.toLowerCase();
  const size = /(\d{2,4})x(\d{2,4})/.exec(lower);
  const seconds = /(\d{1,3})s\b/.exec(lower);
  const kind: FormatKind = /^(display|banner|image)/.test(lower)
    ? 'image'
    : /^html/.test(lower)
      ? 'html5'
      : /^(ctv|vast)/.test(lower)
        ? 'video_vast'
        : /^(video|olv|preroll)/.test(lower)
          ? 'video_hosted'
          : /^(audio|podcast)/.test(lower)
            ? 'audio_hosted'
            : /^native/.test(lower)
              ? 'native_in_feed'
              : 'custom';
  return option(id, kind, {
    ...(size && { width: Number(size[1]), height: Number(size[2]) }),
    ...(seconds && { duration_seconds: Number(seconds[1]) }),
  });
}

/** What the refusal of an unknown format lists as accepted. */
export const formatHint =
  'Write a size or its name (MPU, 300x250, 300 x 250, leaderboard, 728x90, skyscraper, half page, billboard 970x250, mobile banner 320x50), a video or audio length ("15s video", "pre-roll", "pre-roll 30s", "audio 30s"), native, or an AdCP format id (display_300x250, video_30s, audio_15s) or format kind (image, html5, video_vast, audio_hosted, native_in_feed…)';

/** Every format id a sheet may name by a person's words, and those words (for the feed rules). */
export function formatTable(): Array<{
  formatId: string;
  formatKind: FormatKind;
  writtenAs: string[];
}> {
  const rows = new Map<string, { formatId: string; formatKind: FormatKind; writtenAs: string[] }>();
  const add = (f: FormatOption, words: string[]) => {
    const id = f.format_option_id!;
    const row = rows.get(id) ?? { formatId: id, formatKind: f.format_kind, writtenAs: [] };
    row.writtenAs.push(...words);
    rows.set(id, row);
  };
  for (const [w, h, names] of displaySizes)
    add(display(w, h), [...names, `${w}x${h}`, `${w} x ${h}`]);
  add(option('display_static', 'image'), ['display', 'static', 'banner']);
  add(video(15, false), ['15s video', 'video 15s', ':15 (on a video channel)']);
  add(video(30, false), ['30s video', 'video 30 sec']);
  add(video(15, true), ['pre-roll 15s']);
  add(video(30, true), ['pre-roll 30s']);
  add(option('video_vast', 'video_vast'), ['pre-roll', 'in-stream']);
  add(option('video_hosted', 'video_hosted'), ['video', 'online video']);
  add(audio(15), ['audio 15s', '15s (on an audio channel)']);
  add(audio(30), ['audio 30s', '30 sec radio spot']);
  add(audio(60), ['audio 60s']);
  add(option('audio_hosted', 'audio_hosted'), ['audio']);
  add(option('native_in_feed', 'native_in_feed'), ['native', 'in-feed']);
  add(option('html5', 'html5'), ['HTML5']);
  return [...rows.values()];
}

export const spotLengths: readonly number[] = durations;
