/**
 * Price words of a brief (issue 71, item 3): a CPM ceiling however a planner bounds it ("below
 * $8 CPM", "max CPM 12", "$12 a thousand or less", "£15 CPM tops", "CPMs between 10 and 15 euros",
 * "TKP höchstens 9 Euro", "CPM sotto i 10 euro"), a wish for the cheapest ("lowest-cost banners",
 * "günstig") and a budget, in words or figures ("$50k", "5 grand", "half a million dollars",
 * "budget circa €50K", "Budget von 50.000 €"). Amounts and currencies are read in money.ts. An
 * amount beside a word for "per thousand" is a price, so "$8 CPM" is no budget.
 */

import { amountPattern, currencyOf, currencyPattern, digitsOf, numberOf } from './money.js';

export interface BriefPrice {
  /** The most the buyer will pay per thousand, in `currency` (none named: the storefront's). */
  maxCpm: number | null;
  currency: string | null;
  /** The brief asks for the cheapest ("lowest cost", "budget-friendly"). */
  cheapest: boolean;
}

/** Words for "per thousand": a CPM, written as buyers write it in the brief's languages, folded. */
const perThousand = new RegExp(
  '\\b(?:[ev]?cpms?|tkp|cpt|tausenderpreise?|tausend-kontakt-preis|(?:per|a|every|each) (?:1[.,]?000|thousand|mille|k)|(?:par|pour|le|les) mille|(?:por|al|cada) (?:mil|millar)|ogni mille|per duizend|floors?|floor prices?|prix plancher|mindestpreis)\\b',
  'i',
);
/** The per-thousand words opening the words after an amount ("a thousand impressions", "CPM"). */
const perThousandFirst = new RegExp(
  `^(?:${perThousand.source})(?:\\s+(?:impressions?|views?))?`,
  'i',
);
/** The last per-thousand word of the words before an amount, as written, or null. */
const perThousandLast = (before: string) =>
  [...before.matchAll(new RegExp(perThousand.source, 'gi'))].pop()?.[0] ?? null;

/** Words before a price that make it a floor rather than a ceiling ("at least $5", "CPMs from 20"). */
const floorBefore =
  /\b(?:at least|above|over|more than|from|minimum|min|mindestens|ab|au moins|plus de|al menos|mas de|almeno|piu di|minimaal|minstens|vanaf)\s*$/i;
/** A floor word negated is a ceiling ("nothing over £10", "not above 8", "no more than"). */
const negatedBefore =
  /\b(?:no|not|nothing|never|none|kein|nicht|pas|ne|niente|niet|geen)\s+\S+(?:\s+than)?\s*$/i;

const cheapWords =
  /\b(lowest[\s-]*(?:cost|price|priced|cpm)|low[\s-]*cost|cheap(?:est)?|inexpensive|budget[\s-]*friendly|affordable|cost[\s-]*efficient|cost[\s-]*effective|value for money|gunstig(?:ste|sten)?|preiswert|kostengunstig|pas cher|moins cher|economique|bon marche|barato|economico|economica|a buen precio|conveniente|goedkoop|voordelig)\b/i;

const money = currencyPattern;
/** An amount with its currency on either side, or a range of two ("between 10 and 15 euros", "€30-35"). */
const mention = new RegExp(
  `(${money})?\\s*(?<![\\w.,])${amountPattern}` +
    `(?:\\s*(?:-|–|to|and|und|et|y|e|en|a|bis|tot)\\s*(${money})?\\s*(?<![\\w.,])${amountPattern})?` +
    `\\s*(${money})?`,
  'gi',
);
/** The words of `text` since its last comma or full stop, at most `n` of them. */
const clauseEnd = (text: string, n: number) =>
  text
    .split(/[;:!?()\n]|,(?!\d)|\.\s/)
    .pop()!
    .trim()
    .split(/\s+/)
    .slice(-n)
    .join(' ');
const clauseStart = (text: string, n: number) =>
  text
    .split(/[;:!?()\n]|,(?!\d)|\.\s/)[0]!
    .trim()
    .split(/\s+/)
    .slice(0, n)
    .join(' ');

/**
 * The price words of `text` (accents folded), and the text with every price taken out (so "$8
 * CPM" is no budget). An amount is a price when a word for "per thousand" stands in its clause
 * just before it ("CPM not to exceed $9", "Tausenderpreis bis 25 €") or right after it ("$12 a
 * thousand or less", "£15 CPM tops"); a range's upper bound is its ceiling; "at least", "above"
 * or "from" before it make it a floor, which caps nothing ("nothing over £10" is a ceiling).
 */
export function priceOf(text: string): { price: BriefPrice; rest: string } {
  const written = digitsOf(text);
  let maxCpm: number | null = null;
  let currency: string | null = null;
  let rest = written;
  const blank = (from: number, to: number) => {
    rest = rest.slice(0, from) + ' '.repeat(to - from) + rest.slice(to);
  };
  for (const m of written.matchAll(mention)) {
    const end = m.index + m[0].length;
    const before = clauseEnd(written.slice(Math.max(0, m.index - 60), m.index), 5);
    const after = perThousandFirst.exec(clauseStart(written.slice(end, end + 40), 3));
    const word = perThousandLast(before);
    if (!word && !after) continue;
    const upper = m[5] !== undefined ? numberOf(m[5], m[6]) : null;
    const value = upper ?? numberOf(m[2]!, m[3]);
    if (value === null || value <= 0 || value > 1000) continue;
    // The price and its words ("CPM not to exceed $9", "$12 a thousand") are no budget, no terms.
    const from = word ? written.lastIndexOf(word, m.index) : m.index;
    const to = after ? written.indexOf(after[0], end) + after[0].length : end;
    blank(from >= 0 ? from : m.index, Math.max(to, end));
    const floor = floorBefore.test(before) && !negatedBefore.test(before);
    if (floor || maxCpm !== null) continue;
    maxCpm = value;
    currency = currencyOf(m[1]) ?? currencyOf(m[4]) ?? currencyOf(m[7]);
  }
  return { price: { maxCpm, currency, cheapest: cheapWords.test(text) }, rest };
}

const budgetWords =
  '(?:budget|spend|investment|presupuesto|inversion|investimento|spesa|etat|werbebudget|mediabudget)';

const budgetPatterns = [
  // "$50k", "€20,000", "50k USD", "25.000 EUR"
  new RegExp(`(${money})\\s*${amountPattern}|(?<![\\w.,])${amountPattern}\\s*(${money})`, 'i'),
  // "budget of 50k", "budget: 15000", "Budget von 50.000", "spend 50k", "budget circa €50K"
  new RegExp(
    `${budgetWords}\\s*(?:[:=]\\s*)?(?:[a-z.]+\\s+){0,2}?(${money})?\\s*(?<![\\w.,])${amountPattern}`,
    'i',
  ),
  // "50k budget", "50.000 Budget"
  new RegExp(`(?<![\\w.,])${amountPattern}\\s*(?:${money})?\\s*${budgetWords}`, 'i'),
];

/** Words after a bare "50k" that make it no budget: "50k impressions", "10k followers". */
const notMoney =
  /^\s*(impressions?|imps|views?|clicks?|followers?|users?|listeners?|readers?|visitors?|downloads?|streams?|people|households|homes|uniques?|reach|subscribers?|screens?|spots?|plays?|installs?|leads?|sessions?|members?|fans?)\b/i;

/** The budget `text` names (its prices already taken out: priceOf's `rest`), or null. */
export function budgetOf(text: string): number | null {
  const written = digitsOf(text);
  for (const re of budgetPatterns) {
    const m = re.exec(written);
    if (!m) continue;
    const groups = m.slice(1);
    // The amount is the first group of digits, its scale the group after it.
    const at = groups.findIndex((g) => g !== undefined && /^\d/.test(g));
    const value = numberOf(groups[at]!, groups[at + 1]);
    if (value !== null && value > 0) return value;
  }
  // A bare "50k", "1.5m" or "5 grand" names a budget unless it counts something else.
  for (const m of written.matchAll(/(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(k|m|mio|grand)\b/gi)) {
    if (notMoney.test(written.slice(m.index + m[0].length))) continue;
    const value = numberOf(m[1]!, m[2]);
    if (value !== null && value >= 1000) return value;
  }
  return null;
}

/** What a product's price adds to its match (match.ts), against the other weights there. */
const weight = {
  /** Its CPM within the brief's ceiling (a price in another currency cannot be compared). */
  within: 2,
  otherCurrency: -3,
  /** The cheapest of the candidates, for a brief that asks for the lowest cost (scaled). */
  cheapest: 6,
} as const;

/** The candidates' CPMs, sorted: where a price stands among them (a brief asking the cheapest). */
export type PriceRank = readonly number[];

/** The CPMs of `candidates`, sorted, when the ask wants the cheapest (else none needed). */
export const pricesOf = (
  ask: { price: BriefPrice },
  candidates: Iterable<{ price?: { cpm: number } | null | undefined }>,
): PriceRank =>
  ask.price.cheapest
    ? [...candidates].flatMap((c) => (c.price ? [c.price.cpm] : [])).sort((a, b) => a - b)
    : [];

/** What the candidate's price adds: within a ceiling, or how cheap among its peers. */
export function priceScore(
  ask: { price: BriefPrice },
  c: { price?: { cpm: number; currency: string } | null | undefined },
  prices: PriceRank | undefined,
  reasons: string[] | null,
): number {
  const price = c.price;
  if (!price) return 0;
  let score = 0;
  const { maxCpm, currency } = ask.price;
  if (maxCpm !== null && price.cpm <= maxCpm) {
    const comparable = !currency || currency === price.currency;
    score += comparable ? weight.within : weight.otherCurrency;
    reasons?.push(
      comparable
        ? `CPM ${price.cpm} within ${maxCpm}`
        : `CPM in ${price.currency}, the brief's ceiling in ${currency}`,
    );
  } else if (maxCpm !== null && currency && currency !== price.currency) {
    score += weight.otherCurrency;
    reasons?.push(`CPM in ${price.currency}, the brief's ceiling in ${currency}`);
  }
  if (ask.price.cheapest && prices?.length) {
    // Its place among its peers' CPMs: the cheapest gets the whole weight, the dearest none.
    let below = 0;
    while (below < prices.length && prices[below]! < price.cpm) below++;
    const share = prices.length > 1 ? 1 - below / (prices.length - 1) : 1;
    score += weight.cheapest * Math.max(0, share);
    if (share >= 0.5) reasons?.push(`CPM ${price.cpm}, among the lowest`);
  }
  return score;
}
