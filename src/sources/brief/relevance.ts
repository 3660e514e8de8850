import type { Language } from './read/language.js';
import { stem } from './vocabulary.js';

/**
 * Text relevance of a candidate's words to a brief's: BM25F (Robertson and Zaragoza) over the
 * fields a product describes itself in, each word stemmed in the ask's language (Snowball,
 * read/language.ts). A term's frequency is summed over the fields, each weighted and normalized
 * by that field's length against the average over the candidates ranked together, then
 * saturated once (k1), times the term's rarity among them (idf): a word every product has says
 * little, a word few have says much, and a word in the name counts more than in a description.
 *
 * Computed here from each candidate's held term counts rather than by a search library's index:
 * MiniSearch measured 1.3-3.5 s to index 10,000 products on this machine, and the candidates
 * ranked together change with every answer (the sources that answered, the buyer's filters),
 * while counting a brief's few terms over held counts costs a few milliseconds.
 */

/** The fields, and how much a word in each counts against one in the description. */
export const fieldWeights = {
  name: 3,
  tags: 2,
  audience: 2,
  content: 2,
  site: 1.5,
  description: 1,
} as const;
export type TextField = keyof typeof fieldWeights;
export const textFields = Object.keys(fieldWeights) as TextField[];

const k1 = 1.2;
const b = 0.75;

/** A candidate's words by field, in one language: term counts and the field's length. */
export interface FieldBags {
  counts: Record<TextField, ReadonlyMap<string, number>>;
  lengths: Record<TextField, number>;
  /** Every term of any field. */
  all: ReadonlySet<string>;
}

/** A candidate's field tokens (unstemmed), as reading.ts holds them. */
export type FieldTokens = Record<TextField, readonly string[]>;

export function bagsOf(fields: FieldTokens, language: Language): FieldBags {
  const counts = {} as Record<TextField, Map<string, number>>;
  const lengths = {} as Record<TextField, number>;
  const all = new Set<string>();
  for (const field of textFields) {
    const bag = new Map<string, number>();
    for (const token of fields[field]) {
      if (token.startsWith('geo:')) continue;
      const term = stem(token, language);
      bag.set(term, (bag.get(term) ?? 0) + 1);
      all.add(term);
    }
    counts[field] = bag;
    lengths[field] = fields[field].length;
  }
  return { counts, lengths, all };
}

/** What BM25F reads of the candidates ranked together: how many, each term's, each field's. */
export interface Corpus {
  n: number;
  /** Candidates holding each asked term in any field. */
  df: ReadonlyMap<string, number>;
  avgLength: Record<TextField, number>;
}

/** The corpus of `bags` for the asked `terms`. */
export function corpusOf(bags: readonly FieldBags[], terms: readonly string[]): Corpus {
  const df = new Map<string, number>(terms.map((t) => [t, 0]));
  const total = Object.fromEntries(textFields.map((f) => [f, 0])) as Record<TextField, number>;
  for (const bag of bags) {
    for (const field of textFields) total[field] += bag.lengths[field];
    for (const t of terms) if (bag.all.has(t)) df.set(t, df.get(t)! + 1);
  }
  const n = Math.max(1, bags.length);
  const avgLength = Object.fromEntries(
    textFields.map((f) => [f, Math.max(1, total[f] / n)]),
  ) as Record<TextField, number>;
  return { n, df, avgLength };
}

/** The BM25F score of `bag` for `terms` in `corpus`, and the terms it holds. */
export function textScore(
  bag: FieldBags,
  terms: readonly string[],
  corpus: Corpus,
): { score: number; matched: string[] } {
  let score = 0;
  const matched: string[] = [];
  for (const t of terms) {
    if (!bag.all.has(t)) continue;
    let tf = 0;
    for (const field of textFields) {
      const count = bag.counts[field].get(t);
      if (!count) continue;
      const norm = 1 - b + (b * bag.lengths[field]) / corpus.avgLength[field];
      tf += (fieldWeights[field] * count) / norm;
    }
    const df = corpus.df.get(t) ?? 1;
    const idf = Math.log(1 + (corpus.n - df + 0.5) / (df + 0.5));
    score += (idf * tf * (k1 + 1)) / (k1 + tf);
    matched.push(t);
  }
  return { score, matched };
}
