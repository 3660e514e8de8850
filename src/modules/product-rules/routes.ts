import { defineRoute } from '../../platform/http/route.js';
import {
  deletedProductRuleSchema,
  productRuleBody,
  productRuleListSchema,
  productRuleParams,
  productRuleSchema,
} from './schemas.js';
import type { ProductRulesService } from './service.js';
import { productRulePreviewBody, productRulePreviewSchema } from './preview-schemas.js';
import type { ProductRulePreviewService } from './preview.js';

const tags = ['Product rules'];
const base = '/api/v2/storefront/product-rules';

const semantics =
  'kind is include, exclude, rename, price or package; action depends on it (none for ' +
  'include/exclude; {name?, description?} for rename; {floorCpm?, markupPercent?} for price; ' +
  '{productId, name, description?} for package). match criteria are all optional and ANDed: ' +
  'sourceIds, channels, formatIds, publisherDomains, productIds. At get_products, when any ' +
  'include rule is active only products matching one are shown; exclude rules then drop ' +
  'products; rename and price rules adjust them (per field, the lowest priority matching rule ' +
  'wins); package rules replace the products they match with one storefront product.';

/** The storefront operator's product rules; the storefront comes from the API key. */
export function productRuleRoutes(rules: ProductRulesService, preview: ProductRulePreviewService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/preview`,
      operationId: 'productRules.preview',
      summary:
        "Preview the products buyers would see under the storefront's rules, saved or about to be",
      description:
        "Asks the storefront's active sources for their products now (as get_products does, for no " +
        'buyer: sources that need a buyer’s own credential are reported not connected), and applies ' +
        'the saved rules (`current`) and, when the body carries changes (`add`, `replace`, ' +
        '`remove`, each what a create, PUT or DELETE would send), the rules as they would be once ' +
        'saved (`draft`). Each product says what each rule did to it. Nothing is saved, and no ' +
        'discovery run or analytics event is recorded. A rule id that is not this storefront’s ' +
        'answers 404 naming the field; a package productId used twice 409. ' +
        semantics,
      tags,
      auth: 'seller',
      body: productRulePreviewBody,
      response: productRulePreviewSchema,
      // A body of null or none previews the saved rules.
      handler: ({ principal, body }) => preview.preview(principal, body ?? {}),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'productRules.list',
      summary: "List the storefront's product rules in the order they apply (priority, then id)",
      tags,
      auth: 'seller',
      response: productRuleListSchema,
      handler: ({ principal }) => rules.list(principal),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'productRules.create',
      summary: 'Create a product rule',
      description: `${semantics} A package productId is unique per storefront (409 CONFLICT).`,
      tags,
      auth: 'seller',
      status: 201,
      body: productRuleBody,
      response: productRuleSchema,
      handler: ({ principal, body }) => rules.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:ruleId`,
      operationId: 'productRules.get',
      summary: 'Get one product rule',
      tags,
      auth: 'seller',
      params: productRuleParams,
      response: productRuleSchema,
      handler: ({ principal, params }) => rules.get(principal, params.ruleId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:ruleId`,
      operationId: 'productRules.replace',
      summary: 'Replace a product rule (the whole rule, as on create; omitted fields reset)',
      description: semantics,
      tags,
      auth: 'seller',
      params: productRuleParams,
      body: productRuleBody,
      response: productRuleSchema,
      handler: ({ principal, params, body }) => rules.replace(principal, params.ruleId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:ruleId`,
      operationId: 'productRules.delete',
      summary: 'Delete a product rule',
      description: 'Answers 200 with {id, deleted: true} in the standard envelope.',
      tags,
      auth: 'seller',
      params: productRuleParams,
      response: deletedProductRuleSchema,
      handler: ({ principal, params }) => rules.remove(principal, params.ruleId),
    }),
  ];
}
