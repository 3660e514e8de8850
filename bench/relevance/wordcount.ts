/*
 * Today's word count: the rankers each source kind used before the one brief matcher
 * (src/sources/brief, commit e2a2d1f), reimplemented here from the old code as the baseline.
 * They are labelled by the file and commit they come from; none of them is used by Interchange.
 */

/** Modular and ad-server sources (c696641^): brief words of 3+ letters, the first 12 distinct. */
function wordsOfSourceBrief(brief: string): string[] {
  return [
    ...new Set(
      brief
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length >= 3),
    ),
  ].slice(0, 12);
}

/**
 * Modular sources (c696641^:src/modules/modular-sources/buys/products.ts, availsForBrief): how
 * many words `lower(name || ' ' || collection_name || ' ' || channel)` holds (SQL `like %w%`);
 * ties by capacity left, then avail id (the catalogue keeps that order).
 */
export const spreadsheetWordCount =
  (avail: { name: string; collectionName: string; channel: string | null }) => (brief: string) => {
    const haystack = `${avail.name} ${avail.collectionName} ${avail.channel ?? ''}`.toLowerCase();
    return wordsOfSourceBrief(brief).filter((w) => haystack.includes(w)).length;
  };

/**
 * Ad-server sources (c696641^:src/modules/ad-servers/products.ts, productsFor): how many words
 * the product rule's name and description hold; ties keep the rules' order.
 */
export const adServerWordCount =
  (rule: { name: string; description?: string | undefined }) => (brief: string) => {
    const text = `${rule.name} ${rule.description ?? ''}`.toLowerCase();
    return wordsOfSourceBrief(brief).filter((w) => text.includes(w)).length;
  };

/**
 * Provider adapters (c696641^:src/modules/provider-adapters/products.ts, rankedByBrief): how many
 * of the placement's own words are among the brief's words (exact, any length).
 */
export const adapterWordCount = (placement: { words: readonly string[] }) => (brief: string) => {
  const words = new Set(brief.toLowerCase().match(/[a-z]+/g) ?? []);
  return placement.words.filter((w) => words.has(w)).length;
};

/**
 * Agent sources rank as their seller does; Interchange's own AdCP seller
 * (e2a2d1f^:src/agents/in-memory-seller/catalog.ts, selectProducts) counts the brief's words of
 * 3+ letters (repeats count again) found in the product's name and description.
 */
export const agentWordCount =
  (product: { name: string; description?: string | undefined }) => (brief: string) => {
    const text = `${product.name} ${product.description ?? ''}`.toLowerCase();
    return (brief.toLowerCase().match(/[a-z]{3,}/g) ?? []).filter((w) => text.includes(w)).length;
  };
