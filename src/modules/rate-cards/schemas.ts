import { z } from 'zod';

/** AdCP pricing models a fact may anchor (hosted StorefrontPricingFactPrice.pricingModel). */
export const pricingModels = [
  'cpm',
  'vcpm',
  'cpc',
  'cpcv',
  'cpv',
  'cpp',
  'cpa',
  'flat_rate',
  'time',
] as const;
export const factStrengths = ['hard_floor', 'default', 'guidance'] as const;
export type FactStrength = (typeof factStrengths)[number];

const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals (e.g. USD)')
  .describe('ISO 4217 currency');
const words = (max: number, itemMax: number) =>
  z.array(z.string().trim().min(1).max(itemMax)).max(max);
const domain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a domain');

export const pricingFactHintsSchema = z
  .object({
    channels: words(32, 80).describe(
      'AdCP channel codes (olv, ctv, dooh, …), matched exactly against the product’s channels; any may match',
    ),
    creativeTerms: words(64, 120).describe(
      'Words matched in the product’s name, description, format ids and placements',
    ),
    publisherDomains: z
      .array(domain)
      .max(128)
      .describe('Publisher domains of the product’s publisher_properties'),
    countries: z
      .array(z.string().regex(/^[A-Z0-9_-]{2,32}$/, 'must be a country code such as GB'))
      .max(64)
      .describe('Countries the buyer asks for (filters.countries or named in the brief)'),
    advertiserVerticals: words(64, 120).describe('Verticals matched as words of the brief'),
    seasonality: words(32, 120).describe(
      'Seasons matched as words of the brief or the month names of its flight',
    ),
    signalTags: words(64, 120).describe('Words matched in the product’s text'),
    placementTags: words(64, 120).describe('Words matched in the product’s text and placements'),
  })
  .partial()
  .strict()
  .describe(
    'Structured hints for deterministic matching: within a category any value may match, across populated categories every one must match; no hints match every product',
  )
  .meta({ id: 'StorefrontPricingFactHints' });
export type PricingFactHintsInput = z.infer<typeof pricingFactHintsSchema>;

/**
 * An object of conditions whose unknown keys are refused each at its own field (zod's strict
 * mode names only the object), so the seller sees which condition cannot be matched.
 */
function onlyKnown<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z
    .object(shape)
    .partial()
    .catchall(z.unknown())
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `not a condition the storefront can match (it matches ${known.join(', ')})`,
        });
      }
    });
}

/**
 * What `appliesWhen` says that can be matched deterministically (Interchange addition: hosted
 * leaves the condition to a language model's reading of the prose). A key outside these is
 * refused at write, named by its field.
 */
export const pricingFactConditionsSchema = onlyKnown({
  budget: onlyKnown({
    min: z.number().min(0).describe('Applies from this campaign budget on'),
    max: z.number().positive().describe('Applies up to this campaign budget'),
  }).describe(
    'The buyer’s campaign budget (the brief’s or filters.budget_range at get_products; the packages’ budgets summed at create_media_buy), in the fact’s currency',
  ),
  flight: onlyKnown({
    start: z.iso.date().describe('First day of the window (UTC)'),
    end: z.iso.date().describe('Last day of the window (UTC)'),
  }).describe('Applies when the buyer’s flight overlaps this window'),
  brandDomains: z
    .array(domain)
    .max(128)
    .describe('Applies to these brands only (the request’s brand.domain)'),
})
  .describe(
    'Deterministic conditions of appliesWhen; all populated ones must hold. When the buyer’s ask is silent on one, a hard_floor applies anyway, a default or guidance fact does not',
  )
  .meta({ id: 'StorefrontPricingFactConditions' });
export type PricingFactConditions = z.infer<typeof pricingFactConditionsSchema>;

/** The conditions as answered (what was written, so no key outside them). */
const pricingFactConditionsOutput = z
  .object({
    budget: z.object({ min: z.number().optional(), max: z.number().optional() }),
    flight: z.object({ start: z.string().optional(), end: z.string().optional() }),
    brandDomains: z.array(z.string()),
  })
  .partial()
  .meta({ id: 'StorefrontPricingFactConditionsOutput' });

export const pricingFactPriceSchema = z
  .object({
    pricingModel: z
      .enum(pricingModels)
      .default('cpm')
      .describe('The AdCP pricing model this fact prices; options of other models are untouched'),
    currency: currency
      .optional()
      .describe('Currency of the prices; falls back to the rate card currency'),
    targetPrice: z
      .number()
      .positive()
      .optional()
      .describe(
        'Preferred buyer-facing price; a `default` fact sets it where the source gave none',
      ),
    floorPrice: z
      .number()
      .min(0)
      .optional()
      .describe('Minimum buyer-facing price; a `hard_floor` fact never lets a price below it'),
    ceilingPrice: z
      .number()
      .positive()
      .optional()
      .describe('Maximum buyer-facing price when the fact applies (never below a hard floor)'),
  })
  .strict()
  .meta({ id: 'StorefrontPricingFactPrice' });

export const pricingFactIdSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    'letters, digits, _ and - (starting with a letter or digit)',
  )
  .describe('Stable operator-facing id of the fact, unique within the storefront');

const factFields = {
  label: z.string().trim().min(1).max(160).describe('Short display label'),
  appliesWhen: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe(
      'Natural-language condition, shown to operators; what of it can be matched goes in `conditions`',
    ),
  hints: pricingFactHintsSchema.default({}),
  conditions: pricingFactConditionsSchema.optional(),
  pricing: pricingFactPriceSchema,
  strength: z
    .enum(factStrengths)
    .default('default')
    .describe(
      '`hard_floor`: no price below floorPrice (else targetPrice) after every discount; `default`: targetPrice where the source gave no price; `guidance`: shown and recorded only',
    ),
  provenance: z.string().max(500).optional().describe('Where this fact came from'),
  notes: z.string().max(2000).optional().describe('Rationale or caveats for operators'),
};

/** A fact as written: checked so that it can price something (see priceProblemOf). */
export const pricingFactBody = z
  .object({ id: pricingFactIdSchema, ...factFields })
  .strict()
  .meta({ id: 'StorefrontPricingFact' });
export type PricingFactInput = z.infer<typeof pricingFactBody>;

/** PUT …/pricing-facts/{factId}: the whole fact; the id is the path's. */
export const pricingFactReplaceBody = z.object(factFields).strict();
export type PricingFactReplace = z.infer<typeof pricingFactReplaceBody>;

export const pricingFactSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    appliesWhen: z.string(),
    hints: pricingFactHintsSchema,
    conditions: pricingFactConditionsOutput.optional(),
    pricing: pricingFactPriceSchema.extend({ pricingModel: z.enum(pricingModels) }),
    strength: z.enum(factStrengths),
    provenance: z.string().optional(),
    notes: z.string().optional(),
    updatedAt: z.iso.datetime().describe('Last change (Interchange addition)'),
  })
  .meta({ id: 'StorefrontPricingFactOutput' });
export type PricingFact = z.infer<typeof pricingFactSchema>;

export const compositionPricingBody = z
  .object({
    targetPercentile: z
      .enum(['p50', 'p75', 'p90'])
      .default('p75')
      .describe('Deprecated (hosted): kept for explainability only, it sets no price'),
    rateCard: z
      .object({
        currency: currency.optional().describe('Default currency of the facts'),
        facts: z.array(pricingFactBody).max(500).default([]),
      })
      .strict()
      .default({ facts: [] })
      .describe('Seller pricing facts; replaces the whole card'),
  })
  .strict()
  .describe(
    'Replace the storefront rate card (seller pricing facts). Facts are matched by their hints when products are priced for a buyer',
  )
  .meta({ id: 'StorefrontCompositionPricing' });
export type CompositionPricingInput = z.infer<typeof compositionPricingBody>;

export const compositionPricingSchema = z
  .object({
    targetPercentile: z.enum(['p50', 'p75', 'p90']),
    rateCard: z.object({
      currency: z.string().optional(),
      facts: z.array(pricingFactSchema),
    }),
  })
  .meta({ id: 'StorefrontCompositionPricingOutput' });
export type CompositionPricing = z.infer<typeof compositionPricingSchema>;

export const pricingFactParams = z.object({ factId: pricingFactIdSchema });
export const pricingFactListSchema = z.object({
  items: z.array(pricingFactSchema),
  total: z.number().int(),
});
