import { z } from 'zod';
import type { BriefAsk } from './ask.js';
import { flightOfBrief } from './ask.js';
import { stem, tokensOf, topicsOf } from './vocabulary.js';

/*
 * A brief rewritten by a language model into the matcher's structured ask (issue 47, item 1):
 * what the model may answer, read strictly, and merged into the deterministic ask so that it
 * only ever adds ranking signals. It never leaves a product out (only the buyer's filters and a
 * flight the brief itself spells do), so the answer is never worse without it.
 */

/** AdCP 3 media channels (the model's answer is kept to these). */
const channels = [
  'display',
  'olv',
  'social',
  'search',
  'ctv',
  'linear_tv',
  'radio',
  'streaming_audio',
  'podcast',
  'dooh',
  'ooh',
  'print',
  'cinema',
  'email',
  'gaming',
  'retail_media',
] as const;

const list = (max: number) => z.array(z.string().max(60)).max(max).optional();

/** What the model is asked to answer (every field optional; unknown fields ignored). */
export const rewrittenAskSchema = z.object({
  channels: list(8),
  countries: list(20),
  formats: list(10),
  keywords: list(20),
  start_date: z.string().max(30).nullish(),
  end_date: z.string().max(30).nullish(),
  budget: z.number().nonnegative().nullish(),
});
export type RewrittenAsk = z.infer<typeof rewrittenAskSchema>;

/** The instructions sent with every brief (the brief itself goes as the user's message). */
export const rewriteInstructions = [
  'You read advertising briefs for a media marketplace. Answer with one JSON object only:',
  `{"channels": [subset of ${channels.join(', ')}],`,
  ' "countries": [ISO 3166-1 alpha-2 codes of the markets asked for],',
  ' "formats": [sizes as "300x250", or families: display, video, audio, native],',
  ' "keywords": [English words for the audience, content and placement asked for],',
  ' "start_date": "YYYY-MM-DD" or null, "end_date": "YYYY-MM-DD" or null,',
  ' "budget": number or null}',
  'Translate the brief to English first. Leave out what the brief does not say.',
].join('\n');

const isChannel = (x: string): x is (typeof channels)[number] =>
  (channels as readonly string[]).includes(x);

/** The model's answer as vocabulary terms (sizes, families, countries as `geo:XX`). */
function termsOfRewrite(rewrite: RewrittenAsk, ask: BriefAsk) {
  const formats = (rewrite.formats ?? []).flatMap((f) => {
    const size = /^(\d{2,4})\s*x\s*(\d{2,4})$/i.exec(f.trim());
    if (size) return [`size:${size[1]}x${size[2]}`];
    const family = f.trim().toLowerCase();
    return ['display', 'video', 'audio', 'native'].includes(family) ? [family] : [];
  });
  const countries = (rewrite.countries ?? [])
    .map((c) => c.trim().toUpperCase())
    .filter((c) => /^[A-Z]{2}$/.test(c))
    .map((c) => (c === 'UK' ? 'GB' : c));
  // What the brief rules out stays out, whatever the model read ("no alcohol" is no keyword).
  const ruledOut = new Set([...ask.avoid.hard.terms, ...ask.avoid.soft.terms]);
  const keywords = (rewrite.keywords ?? [])
    .flatMap((k) => tokensOf(k).map((t) => stem(t, ask.language)))
    .filter((t) => !ruledOut.has(t));
  const avoidedCountries = [...ask.avoid.hard.countries, ...ask.avoid.soft.countries];
  return {
    formats: formats.filter((f) => !ask.avoid.hard.formats.includes(f)),
    countries: countries.filter((c) => !avoidedCountries.includes(c)),
    keywords,
  };
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * The deterministic ask with what the model read added: channels, countries, formats, topics
 * and words join the ranking; its flight and budget are used only where the brief's own reading
 * found none, and for ranking only. What the buyer's filters require is never changed.
 */
export function withRewrite(ask: BriefAsk, rewrite: RewrittenAsk): BriefAsk {
  const { formats, countries, keywords } = termsOfRewrite(rewrite, ask);
  const avoidedTopics = [...ask.avoid.hard.topics, ...ask.avoid.soft.topics];
  const avoidedChannels = [...ask.avoid.hard.channels, ...ask.avoid.soft.channels];
  const start = rewrite.start_date ? flightOfBrief(rewrite.start_date)?.start : undefined;
  const end = rewrite.end_date ? flightOfBrief(rewrite.end_date)?.end : undefined;
  const terms = union(ask.terms, [...keywords, ...countries.map((c) => `geo:${c}`), ...formats]);
  return {
    ...ask,
    terms,
    channels: union(
      ask.channels,
      (rewrite.channels ?? []).filter((c) => isChannel(c) && !avoidedChannels.includes(c)),
    ),
    formats: union(ask.formats, formats),
    countries: union(ask.countries, countries),
    topics: union(ask.topics, topicsOf(terms)).filter((t) => !avoidedTopics.includes(t)),
    flight: ask.flight ?? (start || end ? { start: start ?? null, end: end ?? null } : null),
    budget: ask.budget ?? rewrite.budget ?? null,
  };
}
