import type { Db } from '../../platform/db/database.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { badPrice, cardFull, duplicateFactId, factNotFound } from './errors.js';
import type {
  CompositionPricing,
  CompositionPricingInput,
  PricingFact,
  PricingFactInput,
  PricingFactReplace,
} from './schemas.js';
import * as rawStore from './store.js';
import { compositionPricingView, pricingFactView, storedFactOf } from './views.js';
import type { RateCard } from './price.js';

export interface RateCardsDeps {
  db: Db;
}

export type RateCardsService = ReturnType<typeof createRateCardsService>;

/** Hosted's bound on one card (StorefrontCompositionPricing.rateCard.facts maxItems). */
export const maxFactsPerCard = 500;

/**
 * A price a fact can act on, with bounds in order: a `hard_floor` needs a floor (floorPrice,
 * else targetPrice), a `default` a targetPrice; floor ≤ target ≤ ceiling. Throws `invalid` on
 * `field` + the offending part.
 */
function checkPrice(fact: Pick<PricingFactInput, 'pricing' | 'strength'>, field: string): void {
  const { targetPrice, floorPrice, ceilingPrice } = fact.pricing;
  if (fact.strength === 'hard_floor' && floorPrice === undefined && targetPrice === undefined) {
    throw badPrice(`${field}.floorPrice`, 'A hard_floor fact needs a floorPrice (or targetPrice)');
  }
  if (fact.strength === 'default' && targetPrice === undefined) {
    throw badPrice(`${field}.targetPrice`, 'A default fact needs the targetPrice it sets');
  }
  if (floorPrice !== undefined && targetPrice !== undefined && floorPrice > targetPrice) {
    throw badPrice(`${field}.floorPrice`, 'floorPrice must not exceed targetPrice');
  }
  const lower = Math.max(floorPrice ?? 0, targetPrice ?? 0);
  if (ceilingPrice !== undefined && ceilingPrice < lower) {
    throw badPrice(
      `${field}.ceilingPrice`,
      'ceilingPrice must not be below floorPrice or targetPrice',
    );
  }
}

/** Conditions that can hold: a budget range and a flight window in order. */
function checkConditions(fact: Pick<PricingFactInput, 'conditions'>, field: string): void {
  const { budget, flight } = fact.conditions ?? {};
  if (budget?.min !== undefined && budget.max !== undefined && budget.min > budget.max) {
    throw badPrice(`${field}.budget.max`, 'budget.max must not be below budget.min');
  }
  if (flight?.start && flight.end && flight.start > flight.end) {
    throw badPrice(`${field}.flight.end`, 'flight.end must not be before flight.start');
  }
}

/**
 * A storefront's rate card: hosted `compositionPricing` (read and replaced whole through the
 * storefront profile) and its pricing facts one by one (Interchange's additive CRUD). Callers
 * pass the storefront id of the caller's own storefront: isolation is by that id.
 */
export function createRateCardsService(deps: RateCardsDeps) {
  const { db } = deps;
  // get_products reads the card on every call: held briefly, cleared by every write here.
  const cache = createReadCache();
  const store = writesClear(rawStore, ['findCard', 'listFacts', 'findFact'], cache);

  async function getFactRow(storefrontId: number, factId: string) {
    const row = await store.findFact(db, storefrontId, factId);
    if (!row) throw factNotFound();
    return row;
  }

  return {
    /** The card as hosted's `compositionPricing`; empty when never written. */
    async compositionPricing(storefrontId: number): Promise<CompositionPricing> {
      const [card, facts] = await Promise.all([
        store.findCard(db, storefrontId),
        store.listFacts(db, storefrontId),
      ]);
      return compositionPricingView(card, facts);
    },

    /** Replaces the whole card (hosted PUT /storefront `compositionPricing`). */
    async replaceCompositionPricing(
      storefrontId: number,
      input: CompositionPricingInput,
      field = 'compositionPricing',
    ): Promise<CompositionPricing> {
      const seen = new Set<string>();
      input.rateCard.facts.forEach((fact, i) => {
        const at = `${field}.rateCard.facts.${i}`;
        if (seen.has(fact.id)) throw duplicateFactId(`${at}.id`, fact.id);
        seen.add(fact.id);
        checkPrice(fact, `${at}.pricing`);
        checkConditions(fact, `${at}.conditions`);
      });
      await db.transaction(async (tx) => {
        await store.lockCard(tx, storefrontId, {
          targetPercentile: input.targetPercentile,
          currency: input.rateCard.currency ?? null,
        });
        await store.replaceFacts(tx, storefrontId, input.rateCard.facts.map(storedFactOf));
      });
      return this.compositionPricing(storefrontId);
    },

    async listFacts(storefrontId: number): Promise<PricingFact[]> {
      return (await store.listFacts(db, storefrontId)).map(pricingFactView);
    },

    /** One fact; another storefront's (or none) is not_found. */
    async getFact(storefrontId: number, factId: string): Promise<PricingFact> {
      return pricingFactView(await getFactRow(storefrontId, factId));
    },

    /** Appends a fact; an id the card has is a conflict, a full card too. */
    async createFact(storefrontId: number, input: PricingFactInput): Promise<PricingFact> {
      checkPrice(input, 'pricing');
      checkConditions(input, 'conditions');
      const row = await db.transaction(async (tx) => {
        await store.lockCard(tx, storefrontId);
        if ((await store.countFacts(tx, storefrontId)) >= maxFactsPerCard) {
          throw cardFull(maxFactsPerCard);
        }
        return store.insertFact(tx, storefrontId, storedFactOf(input));
      });
      return pricingFactView(row);
    },

    /** Replaces one fact whole, keeping its place in the card; not_found when absent. */
    async replaceFact(
      storefrontId: number,
      factId: string,
      input: PricingFactReplace,
    ): Promise<PricingFact> {
      checkPrice(input, 'pricing');
      checkConditions(input, 'conditions');
      const { factId: _id, ...fact } = storedFactOf({ ...input, id: factId });
      const row = await db.transaction(async (tx) => {
        await store.lockCard(tx, storefrontId);
        return store.updateFact(tx, storefrontId, factId, fact);
      });
      if (!row) throw factNotFound();
      return pricingFactView(row);
    },

    /** Removes one fact; not_found when absent. */
    async deleteFact(storefrontId: number, factId: string): Promise<PricingFact> {
      const row = await db.transaction(async (tx) => {
        await store.lockCard(tx, storefrontId);
        return store.deleteFact(tx, storefrontId, factId);
      });
      if (!row) throw factNotFound();
      return pricingFactView(row);
    },

    /** What get_products prices with: the facts in order and the card's currency. */
    rateCardOf(storefrontId: number): Promise<RateCard> {
      return cache.get(`card:${storefrontId}`, async () => {
        const [card, facts] = await Promise.all([
          store.findCard(db, storefrontId),
          store.listFacts(db, storefrontId),
        ]);
        return { currency: card?.currency ?? null, facts: facts.map(pricingFactView) };
      });
    },
  };
}
