/**
 * What a buyer asked for in a discovery run, read from its `refine` entries (AdCP get_products,
 * buying_mode refine): one ask per entry, counted by scope, and two deterministic detectors over
 * the entries' `ask` texts: price objections and packaging asks. Matching is on whole words
 * after lower-casing and stripping accents, so "trop cher" matches "Trop chèr !" but "cher"
 * alone (a French salutation) matches nothing. Briefs are not scanned: a brief states a need,
 * an ask reacts to what was shown. docs/seller-analytics.md lists the same words.
 */
export const priceObjectionTerms: Record<'en' | 'fr' | 'nl', readonly string[]> = {
  en: [
    'too expensive',
    'expensive',
    'overpriced',
    'too costly',
    'cheaper',
    'lower price',
    'lower the price',
    'lower cpm',
    'lower rate',
    'reduce the price',
    'reduce price',
    'price is too high',
    'price too high',
    'over budget',
    'over our budget',
    'discount',
    'better price',
    'better rate',
  ],
  fr: [
    'trop cher',
    'trop chere',
    'moins cher',
    'moins chere',
    'trop couteux',
    'prix trop eleve',
    'prix eleve',
    'baisser le prix',
    'baisse de prix',
    'meilleur prix',
    'meilleur tarif',
    'remise',
    'rabais',
    'ristourne',
    'hors budget',
    'depasse le budget',
  ],
  nl: [
    'te duur',
    'goedkoper',
    'korting',
    'lagere prijs',
    'prijs te hoog',
    'te hoge prijs',
    'prijsverlaging',
    'lagere cpm',
    'betere prijs',
    'boven budget',
    'boven ons budget',
    'te kostbaar',
  ],
};

export const packagingAskTerms: Record<'en' | 'fr' | 'nl', readonly string[]> = {
  en: [
    'bundle',
    'bundled',
    'bundling',
    'package deal',
    'packaging',
    'combine',
    'combined',
    'combination',
    'pair with',
    'cross channel',
    'multi channel',
    'multichannel',
    'roadblock',
    'takeover',
  ],
  fr: [
    'forfait',
    'pack',
    'offre groupee',
    'regrouper',
    'combiner',
    'combinaison',
    'couplage',
    'multicanal',
    'habillage',
  ],
  nl: [
    'bundel',
    'bundelen',
    'pakket',
    'combineren',
    'combinatie',
    'samen met',
    'crossmediaal',
    'multichannel',
  ],
};

/** Lower case, accents stripped, every run of non-letters/digits one space, padded. */
export function normalizeText(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${plain} `;
}

const compile = (lists: Record<string, readonly string[]>) =>
  Object.values(lists)
    .flat()
    .map((term) => normalizeText(term));
const priceTerms = compile(priceObjectionTerms);
const packagingTerms = compile(packagingAskTerms);

export const mentionsPriceObjection = (text: string) => {
  const plain = normalizeText(text);
  return priceTerms.some((term) => plain.includes(term));
};

export const mentionsPackagingAsk = (text: string) => {
  const plain = normalizeText(text);
  return packagingTerms.some((term) => plain.includes(term));
};

export interface RunAsks {
  requestAskCount: number;
  productAskCount: number;
  proposalAskCount: number;
  /** The request-level ask texts, in order. */
  requestAsks: string[];
  hadPriceObjection: boolean;
  hadPackagingAsk: boolean;
}

/**
 * Asks of one run. Each well-formed refine entry (an object with scope request, product or
 * proposal) is one ask of its scope, whatever its action; other entries are ignored.
 */
export function asksOf(refine: unknown): RunAsks {
  const asks: RunAsks = {
    requestAskCount: 0,
    productAskCount: 0,
    proposalAskCount: 0,
    requestAsks: [],
    hadPriceObjection: false,
    hadPackagingAsk: false,
  };
  if (!Array.isArray(refine)) return asks;
  for (const entry of refine) {
    if (!entry || typeof entry !== 'object') continue;
    const { scope, ask } = entry as { scope?: unknown; ask?: unknown };
    if (scope === 'request') asks.requestAskCount += 1;
    else if (scope === 'product') asks.productAskCount += 1;
    else if (scope === 'proposal') asks.proposalAskCount += 1;
    else continue;
    if (typeof ask !== 'string') continue;
    if (scope === 'request') asks.requestAsks.push(ask);
    if (mentionsPriceObjection(ask)) asks.hadPriceObjection = true;
    if (mentionsPackagingAsk(ask)) asks.hadPackagingAsk = true;
  }
  return asks;
}

/** A run with buyer asks, a price objection or a packaging ask (seed 003: "ask runs"). */
export const isAskRun = (asks: RunAsks) =>
  asks.requestAskCount + asks.productAskCount + asks.proposalAskCount > 0 ||
  asks.hadPriceObjection ||
  asks.hadPackagingAsk;
