import type { BriefAsk } from './ask.js';
import {
  type BriefCandidate,
  matchCandidate,
  type PriceRank,
  pricesOf,
  type Ranked,
} from './match.js';
import { type CandidateReading, readingOf } from './reading.js';
import { type Corpus, corpusOf } from './relevance.js';

/**
 * The best few of a large catalogue for an ask, for a source that holds its candidates read
 * (a modular source's avails, an ad server's placements: thousands, the same on every call).
 * Scoring a candidate whose reading is held costs a fraction of reading it, and only the
 * answered few are explained; the answer is exactly `rankForAsk(...).ranked.slice(0, limit)`.
 */

/** A candidate with its reading, held by a source between calls. */
export interface PreparedCandidate<T> {
  item: T;
  candidate: BriefCandidate;
  reading: CandidateReading;
  /**
   * Its score for the last ask it was scored for (the ask as JSON with the corpus it was
   * scored among: all the score reads besides itself), or undefined when that ask left it out. A buyer paging through an answer, or asking again,
   * asks the same of thousands of held candidates: each is scored once per ask in a row.
   */
  last?: { ask: string; score: number | undefined };
}

export function prepareCandidate<T>(item: T, candidate: BriefCandidate): PreparedCandidate<T> {
  return { item, candidate, reading: readingOf(candidate) };
}

/** What a score reads besides the candidate: the corpus and the prices it is ranked among. */
export interface Peers {
  corpus: Corpus;
  prices: PriceRank;
}

/** The peers of `prepared` for `ask`: what each one's score reads of the others. */
export function peersOf<T>(prepared: readonly PreparedCandidate<T>[], ask: BriefAsk): Peers {
  return {
    corpus: corpusOf(
      prepared.map((p) => p.reading.bagsIn(ask.language)),
      ask.terms,
    ),
    prices: pricesOf(
      ask,
      prepared.map((p) => p.candidate),
    ),
  };
}

/** The candidate's score for the ask (`key`: the ask and its peers), undefined when left out. */
function scoreOf<T>(
  p: PreparedCandidate<T>,
  ask: BriefAsk,
  key: string,
  peers: Peers,
): number | undefined {
  if (p.last?.ask === key) return p.last.score;
  const match = matchCandidate(ask, p.candidate, { reading: p.reading, explain: false, ...peers });
  const score = match.excluded ? undefined : match.score;
  p.last = { ask: key, score };
  return score;
}

/**
 * The `limit` best of `prepared` for `ask`, best first, ties in the order given (as rankForAsk's
 * stable sort), those a filter excludes left out; each with its whole match (reasons included).
 */
export function topForAsk<T>(
  prepared: readonly PreparedCandidate<T>[],
  ask: BriefAsk,
  limit: number,
): Ranked<T>[] {
  if (limit <= 0) return [];
  const scores = new Float64Array(prepared.length);
  const kept: number[] = [];
  const peers = peersOf(prepared, ask);
  // The prices by a signature (thousands of them would make every comparison of keys long).
  const priceSignature = peers.prices.reduce((sum, p, i) => sum + p * (i + 1), 0);
  const key = JSON.stringify([
    ask,
    peers.corpus.n,
    [...peers.corpus.df],
    peers.corpus.avgLength,
    peers.prices.length,
    priceSignature,
  ]);
  prepared.forEach((p, i) => {
    const score = scoreOf(p, ask, key, peers);
    if (score === undefined) return;
    scores[i] = score;
    kept.push(i);
  });
  // The lowest score the answer reaches, and how many of that score it takes: a count per score
  // instead of sorting every candidate.
  const counts = new Map<number, number>();
  for (const i of kept) counts.set(scores[i]!, (counts.get(scores[i]!) ?? 0) + 1);
  let threshold = -Infinity;
  let atThreshold = 0;
  let taken = 0;
  for (const score of [...counts.keys()].sort((a, b) => b - a)) {
    const n = counts.get(score)!;
    threshold = score;
    atThreshold = Math.min(n, limit - taken);
    taken += atThreshold;
    if (taken >= limit) break;
  }
  const chosen: number[] = [];
  for (const i of kept) {
    const score = scores[i]!;
    if (score > threshold) chosen.push(i);
    else if (score === threshold && atThreshold > 0) {
      chosen.push(i);
      atThreshold--;
    }
  }
  // Stable: a subsequence in the order given, sorted as the whole would be.
  chosen.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return chosen.map((i) => ({
    item: prepared[i]!.item,
    match: matchCandidate(ask, prepared[i]!.candidate, { reading: prepared[i]!.reading, ...peers }),
  }));
}
