/**
 * Price words of a brief (issue 71, item 3): a CPM ceiling ("below $8 CPM", "max CPM 12",
 * "CPM under €10", "TKP unter 8 €"), a wish for the cheapest ("lowest-cost banners", "günstig")
 * and a budget, in words or figures ("$50k", "50k budget", "budget: 50k", "Budget von 50.000 €",
 * "presupuesto de 20.000 €"). Amounts as written in the brief's markets: "50,000", "50.000",
 * "50 000", "1.5m", "1,5 Mio". A ceiling is read before the budget, so "$8 CPM" is no budget.
 */

export interface BriefPrice {
  /** The most the buyer will pay per thousand, in `currency` (none named: the storefront's). */
  maxCpm: number | null;
  currency: string | null;
  /** The brief asks for the cheapest ("lowest cost", "budget-friendly"). */
  cheapest: boolean;
}

const currencyOf: Record<string, string> = {
  $: 'USD',
  usd: 'USD',
  dollars: 'USD',
  '€': 'EUR',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  '£': 'GBP',
  gbp: 'GBP',
  pounds: 'GBP',
  chf: 'CHF',
  sek: 'SEK',
  nok: 'NOK',
  dkk: 'DKK',
  cad: 'CAD',
  aud: 'AUD',
};
const money = '[$€£]|usd|eur|euros?|gbp|dollars|pounds|chf|sek|nok|dkk|cad|aud';
/** An amount: digits with thousands grouped by `,` `.` or a space, a decimal part, a scale. */
const amount =
  "(\\d{1,3}(?:[.,\\s\\u00a0\\u202f']\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)\\s*(k|thousand|tausend|mille|mila|duizend|m|mio|millions?|mln|tsd|mil)?\\b";

/** Words for "per thousand" in the brief's languages (TKP: Tausend-Kontakt-Preis). */
const cpmWord = '(?:cpm|tkp|cpt|vcpm|ecpm)';
/** Words for "at most". */
const atMost =
  '(?:below|under|less than|max(?:imum)?|up to|at most|no more than|not above|not more than|cap(?:ped)? (?:at|of)?|ceiling(?: of)?|<=?|≤|unter|maximal|hochstens|bis zu|max\\.?|moins de|au plus|maximum|jusqu.a|menos de|como maximo|hasta|maximo|meno di|al massimo|fino a|massimo|onder|maximaal|hoogstens|tot)';

const ceilingPatterns = [
  // "below $8 CPM", "max €12 CPM", "unter 8 € TKP"
  new RegExp(`${atMost}\\s*(${money})?\\s*${amount}\\s*(${money})?\\s*${cpmWord}`, 'i'),
  // "CPM below $8", "max CPM 12", "CPM cap of €10", "TKP maximal 8 €"
  new RegExp(
    `(?:${atMost}\\s*)?${cpmWord}\\s*(?:of\\s*)?${atMost}?\\s*(?:of\\s*)?(${money})?\\s*${amount}\\s*(${money})?`,
    'i',
  ),
];

const cheapWords =
  /\b(lowest[\s-]*(?:cost|price|priced|cpm)|low[\s-]*cost|cheap(?:est)?|inexpensive|budget[\s-]*friendly|affordable|cost[\s-]*efficient|cost[\s-]*effective|value for money|gunstig(?:ste|sten)?|preiswert|kostengunstig|pas cher|moins cher|economique|bon marche|barato|economico|economica|a buen precio|conveniente|goedkoop|voordelig)\b/i;

const budgetWords =
  '(?:budget|spend|investment|presupuesto|inversion|investimento|spesa|etat|werbebudget|mediabudget)';

/** Scales of a thousand ("15k", "15 thousand", "15 Tausend", "15 mille", "15 mil"); the rest a million. */
const thousands = new Set(['k', 'tsd', 'mil', 'thousand', 'tausend', 'mille', 'mila', 'duizend']);

function numberOf(digits: string, scale: string | undefined): number | null {
  let text = digits.replace(/[\s\u00a0\u202f']/g, '');
  // A separator followed by exactly three digits groups thousands; else it is the decimal point.
  text = text.replace(/[.,](?=\d{3}(?:[.,]|$))/g, '');
  text = text.replace(',', '.');
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  const s = (scale ?? '').toLowerCase();
  const factor = !s ? 1 : thousands.has(s) ? 1_000 : 1_000_000;
  return value * factor;
}

const currencyIn = (...written: Array<string | undefined>) => {
  for (const w of written) if (w) return currencyOf[w.toLowerCase()] ?? null;
  return null;
};

/** The price words of `text` (accents folded), and the text with the ceiling taken out. */
export function priceOf(text: string): { price: BriefPrice; rest: string } {
  let maxCpm: number | null = null;
  let currency: string | null = null;
  let rest = text;
  for (const re of ceilingPatterns) {
    const m = re.exec(rest);
    if (!m) continue;
    const value = numberOf(m[2]!, m[3]);
    if (value === null || value <= 0 || value > 1000) continue;
    maxCpm = value;
    currency = currencyIn(m[1], m[4]);
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
    break;
  }
  return { price: { maxCpm, currency, cheapest: cheapWords.test(text) }, rest };
}

const budgetPatterns = [
  // "$50k", "€20,000", "50k USD", "25.000 EUR"
  new RegExp(`(${money})\\s*${amount}|${amount}\\s*(${money})`, 'i'),
  // "budget of 50k", "budget: 15000", "Budget von 50.000", "spend 50k"
  new RegExp(
    `${budgetWords}\\s*(?:of|:|=|von|de|di|van|is|около|about|around|ca\\.?|approx\\.?)?\\s*(${money})?\\s*${amount}`,
    'i',
  ),
  // "50k budget", "50.000 Budget"
  new RegExp(`${amount}\\s*(?:${money})?\\s*${budgetWords}`, 'i'),
];

/** Words after a bare "50k" that make it no budget: "50k impressions", "10k followers". */
const notMoney =
  /^\s*(impressions?|imps|views?|clicks?|followers?|users?|listeners?|readers?|visitors?|downloads?|streams?|people|households|homes|uniques?|reach|subscribers?|screens?|spots?|plays?|installs?|leads?|sessions?|members?|fans?)\b/i;

/** The budget `text` names (a ceiling already taken out: priceOf's `rest`), or null. */
export function budgetOf(text: string): number | null {
  for (const re of budgetPatterns) {
    const m = re.exec(text);
    if (!m) continue;
    const groups = m.slice(1);
    // The amount is the first group of digits, its scale the group after it.
    const at = groups.findIndex((g) => g !== undefined && /^\d/.test(g));
    const value = numberOf(groups[at]!, groups[at + 1]);
    if (value !== null && value > 0) return value;
  }
  // A bare "50k" or "1.5m" names a budget unless it counts something else.
  for (const m of text.matchAll(/(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(k|m|mio)\b/gi)) {
    if (notMoney.test(text.slice(m.index + m[0].length))) continue;
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
