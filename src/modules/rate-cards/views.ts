import type { PricingFactHints } from './tables.js';
import type { CompositionPricing, PricingFact, PricingFactInput, FactStrength } from './schemas.js';
import type { NewPricingFact, PricingFactRow, RateCardRow } from './store.js';

type Model = PricingFact['pricing']['pricingModel'];

/** The one mapping from a stored fact to the hosted wire shape. */
export function pricingFactView(row: PricingFactRow): PricingFact {
  return {
    id: row.factId,
    label: row.label,
    appliesWhen: row.appliesWhen,
    hints: row.hints,
    ...(row.conditions !== null && { conditions: row.conditions }),
    pricing: {
      pricingModel: row.pricingModel as Model,
      ...(row.currency !== null && { currency: row.currency }),
      ...(row.targetPrice !== null && { targetPrice: row.targetPrice }),
      ...(row.floorPrice !== null && { floorPrice: row.floorPrice }),
      ...(row.ceilingPrice !== null && { ceilingPrice: row.ceilingPrice }),
    },
    strength: row.strength as FactStrength,
    ...(row.provenance !== null && { provenance: row.provenance }),
    ...(row.notes !== null && { notes: row.notes }),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The card as hosted's `compositionPricing` answers it; a card never written is empty. */
export function compositionPricingView(
  card: RateCardRow | undefined,
  facts: PricingFactRow[],
): CompositionPricing {
  return {
    targetPercentile: (card?.targetPercentile ?? 'p75') as CompositionPricing['targetPercentile'],
    rateCard: {
      ...(card?.currency && { currency: card.currency }),
      facts: facts.map(pricingFactView),
    },
  };
}

/** The stored columns of a fact as written (absent optional fields are stored as NULL). */
export function storedFactOf(fact: PricingFactInput): NewPricingFact {
  const hints: PricingFactHints = Object.fromEntries(
    Object.entries(fact.hints ?? {}).filter(([, values]) => values.length > 0),
  );
  return {
    factId: fact.id,
    label: fact.label,
    appliesWhen: fact.appliesWhen,
    hints,
    conditions: fact.conditions && Object.keys(fact.conditions).length > 0 ? fact.conditions : null,
    pricingModel: fact.pricing.pricingModel,
    currency: fact.pricing.currency ?? null,
    targetPrice: fact.pricing.targetPrice ?? null,
    floorPrice: fact.pricing.floorPrice ?? null,
    ceilingPrice: fact.pricing.ceilingPrice ?? null,
    strength: fact.strength,
    provenance: fact.provenance ?? null,
    notes: fact.notes ?? null,
  };
}
