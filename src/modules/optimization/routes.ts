import { defineRoute } from '../../platform/http/route.js';
import {
  listSuggestionsQuery,
  rejectSuggestionBody,
  suggestionDetailSchema,
  suggestionListSchema,
  suggestionParams,
  suggestionStatusSchema,
} from './schemas.js';
import type { OptimizationService } from './service.js';

const tags = ['Optimization Suggestions'];
const base = '/api/v2/buyer/optimization-suggestions';

/** The hosted optimization-suggestions family; another customer's suggestion is 404. */
export function optimizationRoutes(optimization: OptimizationService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listOptimizationSuggestions',
      summary: 'List optimization suggestions (newest first; by campaign, media buy or status)',
      description:
        'Suggestions move budget between the packages of one media buy toward its campaign’s ' +
        'primary performance goal (docs/buying.md “Optimization suggestions”).',
      tags,
      auth: 'customer',
      query: listSuggestionsQuery,
      response: suggestionListSchema,
      handler: ({ principal, query }) => optimization.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:suggestionId`,
      operationId: 'getOptimizationSuggestion',
      summary: 'One optimization suggestion, with the package budgets it changes',
      tags,
      auth: 'customer',
      params: suggestionParams,
      response: suggestionDetailSchema,
      handler: ({ principal, params }) => optimization.get(principal, params.suggestionId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:suggestionId/approve`,
      operationId: 'approveOptimizationSuggestion',
      summary: 'Approve a suggestion waiting for you (HIL_WAITING): it is queued for applying',
      description:
        'The change reaches the seller through update-media-buy; the suggestion then reads ' +
        'APPLIED, APPLIED_FAIL, or EXPIRED when the buy’s budgets changed meanwhile.',
      tags,
      auth: 'customer',
      params: suggestionParams,
      response: suggestionStatusSchema,
      handler: ({ principal, params }) => optimization.approve(principal, params.suggestionId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:suggestionId/reject`,
      operationId: 'rejectOptimizationSuggestion',
      summary: 'Reject a suggestion (HIL_WAITING, or an AUTO one not applied yet)',
      tags,
      auth: 'customer',
      params: suggestionParams,
      body: rejectSuggestionBody,
      response: suggestionStatusSchema,
      handler: ({ principal, params, body }) =>
        optimization.reject(principal, params.suggestionId, body.reason),
    }),
  ];
}
