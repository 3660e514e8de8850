import { defineRoute } from '../../platform/http/route.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  pricingFactBody,
  pricingFactListSchema,
  pricingFactParams,
  pricingFactReplaceBody,
  pricingFactSchema,
} from './schemas.js';
import type { RateCardsService } from './service.js';

const tags = ['Storefront'];
const base = '/api/v2/storefront/pricing-facts';

/**
 * The rate card's facts one by one (Interchange addition: hosted replaces the whole card through
 * PUT /storefront `compositionPricing`, which this serves too). The storefront is the caller's
 * own (`ownStorefrontId`), so another seller's fact id answers not found.
 */
export function rateCardRoutes(
  rateCards: RateCardsService,
  ownStorefrontId: (principal: CustomerPrincipal) => Promise<number>,
) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'pricingFacts.list',
      summary: "List the storefront rate card's pricing facts, in the card's order",
      tags,
      auth: 'seller',
      response: pricingFactListSchema,
      handler: async ({ principal }) => {
        const items = await rateCards.listFacts(await ownStorefrontId(principal));
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'pricingFacts.create',
      summary: 'Add a pricing fact to the rate card (409 when its id is taken)',
      description:
        'A hard_floor fact needs floorPrice (or targetPrice); a default fact needs targetPrice; ' +
        'floorPrice ≤ targetPrice ≤ ceilingPrice. At most 500 facts per card.',
      tags,
      auth: 'seller',
      status: 201,
      body: pricingFactBody,
      response: pricingFactSchema,
      handler: async ({ principal, body }) =>
        rateCards.createFact(await ownStorefrontId(principal), body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:factId`,
      operationId: 'pricingFacts.get',
      summary: 'Get one pricing fact',
      tags,
      auth: 'seller',
      params: pricingFactParams,
      response: pricingFactSchema,
      handler: async ({ principal, params }) =>
        rateCards.getFact(await ownStorefrontId(principal), params.factId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:factId`,
      operationId: 'pricingFacts.replace',
      summary: 'Replace one pricing fact whole (it keeps its place in the card)',
      tags,
      auth: 'seller',
      params: pricingFactParams,
      body: pricingFactReplaceBody,
      response: pricingFactSchema,
      handler: async ({ principal, params, body }) =>
        rateCards.replaceFact(await ownStorefrontId(principal), params.factId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:factId`,
      operationId: 'pricingFacts.delete',
      summary: 'Remove one pricing fact; answers the fact removed',
      tags,
      auth: 'seller',
      params: pricingFactParams,
      response: pricingFactSchema,
      handler: async ({ principal, params }) =>
        rateCards.deleteFact(await ownStorefrontId(principal), params.factId),
    }),
  ];
}
