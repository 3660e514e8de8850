/** Product rules: a storefront operator's include/exclude/rename/price/package rules over the products its Merchandising Agent shows. */
export { createProductRulesService } from './service.js';
export type { ProductRulesService } from './service.js';
export { productRuleRoutes } from './routes.js';
export { applyProductRules } from './apply.js';
export type { ApplicableProductRule, PackagedComponent } from './apply.js';
export type { ProductRule, ProductRuleKind, ProductRuleMatch } from './schemas.js';
export { createProductRulePreview } from './preview.js';
export type {
  PreviewProductsDoor,
  PreviewSourceOutcome,
  ProductRulePreviewService,
} from './preview.js';
export type { ProductRulePreview, PreviewProduct, PreviewEffect } from './preview-schemas.js';
export type { RuleEffect, RuleTrace } from './apply.js';
