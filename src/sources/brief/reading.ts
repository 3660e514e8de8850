import { channelsOf, termsOf, termsOfFormatId, topicsOf } from './vocabulary.js';

/** The parts of a candidate (match.ts BriefCandidate) its reading depends on. */
interface Readable {
  name: string;
  description?: string | null | undefined;
  tags?: readonly string[] | undefined;
  formatIds?: readonly string[] | undefined;
}

/** What the matcher reads of a candidate's words and formats, whatever the ask. */
export interface CandidateReading {
  /** Its name's terms, in order, and joined (to recognize a product the brief names in full). */
  nameTerms: readonly string[];
  namePhrase: string;
  name: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  description: ReadonlySet<string>;
  /** Channels its name and formats imply (a "Podcast midroll"), for one that declares none. */
  impliedChannels: readonly string[];
  /** Sizes and format families its format ids and words name. */
  formats: ReadonlySet<string>;
  /** Countries its words name. */
  countries: readonly string[];
  /** Topics its words name (`topic:sport`). */
  topics: readonly string[];
}

function read(c: Readable): CandidateReading {
  const name = termsOf(c.name);
  const tags = (c.tags ?? []).flatMap(termsOf);
  const description = termsOf(c.description ?? '');
  const formats = (c.formatIds ?? []).flatMap(termsOfFormatId);
  const text = [...name, ...tags, ...description];
  return {
    nameTerms: name,
    namePhrase: name.join(' '),
    name: new Set(name),
    tags: new Set(tags),
    description: new Set(description),
    impliedChannels: [...new Set([...name, ...formats].flatMap(channelsOf))],
    formats: new Set([...formats, ...text]),
    countries: [...new Set(text.filter((x) => x.startsWith('geo:')).map((x) => x.slice(4)))],
    topics: topicsOf(text),
  };
}

/*
 * Readings of candidates already read: the same products are ranked on every get_products (a
 * source's catalogue changes rarely), and reading one costs several times scoring it. Bounded,
 * cleared whole when full; keyed by everything read.
 */
const readings = new Map<string, CandidateReading>();
const readingsLimit = 20_000;

/** The candidate's reading (pure: the same words and formats always read the same). */
export function readingOf(c: Readable): CandidateReading {
  const key = `${c.name}\u0001${c.description ?? ''}\u0001${(c.tags ?? []).join('\u0002')}\u0001${(c.formatIds ?? []).join('\u0002')}`;
  const known = readings.get(key);
  if (known) return known;
  const reading = read(c);
  if (readings.size >= readingsLimit) readings.clear();
  readings.set(key, reading);
  return reading;
}
