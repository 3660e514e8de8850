import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { productRuleBody, productRuleKinds } from './schemas.js';

/**
 * POST /api/v2/storefront/product-rules/preview: the storefront's rules as they are, and, when
 * the body carries changes, as they would be once saved (each change is what one save would
 * be: a create, a PUT or a DELETE). Nothing is saved.
 */
export const productRulePreviewBody = z
  .object({
    storefrontId: positiveIdSchema
      .optional()
      .describe("The caller's storefront (the API key's); another storefront answers 404"),
    add: z
      .array(productRuleBody)
      .max(50, 'must list at most 50 rules')
      .optional()
      .describe('Rules about to be created (the POST body of each)'),
    replace: z
      .array(z.object({ ruleId: positiveIdSchema, rule: productRuleBody }).strict())
      .max(50, 'must list at most 50 rules')
      .optional()
      .describe('Saved rules about to be replaced (the PUT body of each)'),
    remove: z
      .array(positiveIdSchema)
      .max(200, 'must list at most 200 rules')
      .optional()
      .describe('Saved rules about to be deleted'),
  })
  .strict()
  .default({});
export type ProductRulePreviewInput = z.infer<typeof productRulePreviewBody>;

const ruleRef = z
  .object({
    ruleId: z.string().nullable().describe('The saved rule; null for a rule in `add`'),
    ref: z.string().describe('The saved rule id, or `add.N` for the Nth rule of `add`'),
    name: z.string(),
    kind: z.enum(productRuleKinds),
    draft: z.boolean().describe('Added or replaced by the changes previewed'),
  })
  .meta({ id: 'ProductRuleRef' });

const effect = z
  .object({
    change: z
      .enum(['included', 'not_included', 'excluded', 'renamed', 'marked_up', 'floored', 'packaged'])
      .describe(
        'included: kept by an include rule; not_included: hidden, no include rule matches it; ' +
          'excluded: hidden by an exclude rule; renamed: name or description set; marked_up / ' +
          'floored: a price rule applied (moved says whether a price changed); packaged: ' +
          'bundled into a package product',
      ),
    rule: ruleRef.nullable(),
    message: z.string().describe('What the rule did, in a sentence'),
    field: z.enum(['name', 'description']).optional(),
    to: z.string().optional().describe('The new name or description'),
    markupPercent: z.number().optional(),
    floorCpm: z.number().optional(),
    moved: z.boolean().optional(),
    packageId: z.string().optional(),
  })
  .meta({ id: 'ProductRuleEffect' });

const price = z.object({
  pricingOptionId: z.string(),
  pricingModel: z.string(),
  currency: z.string(),
  fixedPrice: z.number().optional().describe('As buyers see it, rules applied'),
  floorPrice: z.number().optional().describe('As buyers see it, rules applied'),
  sourceFixedPrice: z.number().optional().describe('As the source answered it'),
  sourceFloorPrice: z.number().optional().describe('As the source answered it'),
});

const previewProduct = z
  .object({
    productId: z.string(),
    name: z.string(),
    sourceName: z.string().optional().describe('The source the product came from, if one'),
    sourceId: z.string().nullable().describe('null for a package product'),
    channels: z.array(z.string()),
    prices: z.array(price),
    components: z
      .array(z.string())
      .optional()
      .describe('A package product: the product ids it bundles'),
    effects: z.array(effect).describe('What each rule did to it, in the order they applied'),
    product: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The AdCP product as get_products shows it (shown products only)'),
  })
  .meta({ id: 'ProductRulePreviewProduct' });

const outcome = z.object({
  rules: z.array(ruleRef).describe('The active rules, in the order they apply'),
  products: z.array(previewProduct).describe('What buyers are shown'),
  hidden: z.array(previewProduct).describe('Source products the rules hide or bundle away'),
});

export const productRulePreviewSchema = z
  .object({
    storefrontId: z.string(),
    rulesApply: z
      .boolean()
      .describe('false for a passthrough storefront: rules are kept but not applied'),
    fetchedAt: z.iso.datetime(),
    sources: z.array(
      z.object({
        sourceId: z.string(),
        name: z.string(),
        ok: z.boolean(),
        productCount: z.number().int(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    current: outcome.describe('Under the saved rules'),
    draft: outcome
      .nullable()
      .describe('Under the saved rules with the changes applied; null when none were sent'),
  })
  .meta({ id: 'ProductRulePreview' });
export type ProductRulePreview = z.infer<typeof productRulePreviewSchema>;
export type PreviewProduct = z.infer<typeof previewProduct>;
export type PreviewOutcome = z.infer<typeof outcome>;
export type PreviewRuleRef = z.infer<typeof ruleRef>;
export type PreviewEffect = z.infer<typeof effect>;
