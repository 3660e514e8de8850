import type { Language } from './read/language.js';
import { rollWords, termsOfFormatId } from './format-words.js';
import { negationsOf } from './read/negation.js';
import { bagsOf, type FieldBags, type FieldTokens } from './relevance.js';
import { withLifestyle } from './topics.js';
import { channelsOf, familiesOf, isOwnWord, tokensOf, topicsOf } from './vocabulary.js';

/** The parts of a candidate (match.ts BriefCandidate) its reading depends on. */
export interface Readable {
  name: string;
  description?: string | null | undefined;
  tags?: readonly string[] | undefined;
  site?: readonly string[] | undefined;
  audience?: string | null | undefined;
  content?: string | null | undefined;
  channels?: readonly string[] | undefined;
  formatIds?: readonly string[] | undefined;
}

/** What the matcher reads of a candidate's words and formats, whatever the ask. */
export interface CandidateReading {
  /** Its name's tokens, in order, and joined (to recognize a product the brief names in full). */
  nameTokens: readonly string[];
  namePhrase: string;
  /**
   * Its name has words of its own (isOwnWord): only such a name is named by a brief that says
   * it ("Sports MPU" in "German sports MPU" is what is asked, not which product).
   */
  nameIsOwn: boolean;
  /** Its words by field (its own negations taken out: "no gambling ads" is not about gambling). */
  fields: FieldTokens;
  /** Channels its name and formats imply (a "Podcast midroll"), for one that declares none. */
  impliedChannels: readonly string[];
  /** Sizes and format families its format ids and words name (a description's only without). */
  formats: ReadonlySet<string>;
  /** Countries its words name. */
  countries: readonly string[];
  /** Topics its words name (`topic:sport`). */
  topics: readonly string[];
  /** Topics it is about by its name, collection, site, audience or content (else description). */
  ownTopics: readonly string[];
  /** Its field bags in a language, made when first asked in it. */
  bagsIn(language: Language): FieldBags;
}

const audioChannels = new Set(['streaming_audio', 'podcast', 'radio']);
const rolls = new Set(rollWords);

function read(c: Readable): CandidateReading {
  const heard =
    (c.channels ?? []).some((ch) => audioChannels.has(ch)) ||
    (c.formatIds ?? []).some((f) => /audio|daast/i.test(f));
  // A medium's own words: on an audio channel, a "Pre-roll 30s" is an audio spot.
  const tokensOfText = (text: string | null | undefined) => {
    const tokens = text ? tokensOf(negationsOf(text).kept) : [];
    return heard
      ? tokens.map((t, i) => (t === 'video' && rolls.has(tokens[i + 1]!) ? 'audio' : t))
      : tokens;
  };
  const name = tokensOfText(c.name);
  const fields: FieldTokens = {
    name,
    tags: (c.tags ?? []).flatMap(tokensOfText),
    description: tokensOfText(c.description),
    site: (c.site ?? []).flatMap((s) => tokensOfText(s.replace(/\.[a-z]{2,}(\.[a-z]{2})?$/i, ''))),
    audience: tokensOfText(c.audience),
    content: tokensOfText(c.content),
  };
  const formatTerms = (c.formatIds ?? []).flatMap(termsOfFormatId);
  const own = [...name, ...fields.tags, ...fields.site, ...fields.audience, ...fields.content];
  const all = [...own, ...fields.description];
  // A description's passing mention of "highlights videos" gives a display placement no video
  // format: words name its formats only when it declares none.
  const declared = formatTerms.length > 0 || (c.channels?.length ?? 0) > 0;
  const families = familiesOf(declared ? own : all, heard);
  const ownTopics = withLifestyle(topicsOf(own));
  const bags = new Map<Language, FieldBags>();
  return {
    nameTokens: name,
    namePhrase: name.join(' '),
    nameIsOwn: name.some(isOwnWord),
    fields,
    impliedChannels: [...new Set([...name, ...formatTerms].flatMap(channelsOf))].filter(
      (ch) => !heard || !['olv', 'ctv'].includes(ch),
    ),
    formats: new Set([...formatTerms, ...families]),
    countries: [...new Set(all.filter((x) => x.startsWith('geo:')).map((x) => x.slice(4)))],
    topics: withLifestyle(topicsOf(all)),
    ownTopics: ownTopics.length ? ownTopics : withLifestyle(topicsOf(fields.description)),
    bagsIn(language) {
      let found = bags.get(language);
      if (!found) bags.set(language, (found = bagsOf(fields, language)));
      return found;
    },
  };
}

/*
 * Readings of candidates already read: the same products are ranked on every get_products (a
 * source's catalogue changes rarely), and reading one costs several times scoring it. Bounded,
 * cleared whole when full; keyed by everything read.
 */
const readings = new Map<string, CandidateReading>();
const readingsLimit = 20_000;
const sep = '\u0001';
const list = (xs: readonly string[] | undefined) => (xs ?? []).join('\u0002');

/** The candidate's reading (pure: the same words and formats always read the same). */
export function readingOf(c: Readable): CandidateReading {
  const key = [
    c.name,
    c.description ?? '',
    list(c.tags),
    list(c.site),
    c.audience ?? '',
    c.content ?? '',
    list(c.channels),
    list(c.formatIds),
  ].join(sep);
  const known = readings.get(key);
  if (known) return known;
  const reading = read(c);
  if (readings.size >= readingsLimit) readings.clear();
  readings.set(key, reading);
  return reading;
}
