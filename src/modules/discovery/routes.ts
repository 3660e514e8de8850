import { defineRoute } from '../../platform/http/route.js';
import {
  addProductsBody,
  applyProposalBody,
  applyProposalSchema,
  browseQuery,
  detailsQuery,
  discoverBody,
  discoveryPageSchema,
  discoveryParams,
  productDetailsSchema,
  productParams,
  removeProductsBody,
  selectionsSchema,
} from './schemas.js';
import type { DiscoveryService } from './service.js';

const tags = ['Discovery'];
const base = '/api/v2/buyer/discovery';

/** Buyer discovery (issue 14): sessions are the caller's own; another buyer's answer 404. */
export function discoveryRoutes(discovery: DiscoveryService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/discover-products`,
      operationId: 'discoverProducts',
      summary: 'Discover products across every storefront agent you may use',
      description:
        'Asks each storefront agent (AdCP get_products, as you) in parallel within a per-agent and a ' +
        'total time budget. A slow or failing agent is reported in agentResults (and, when it ran out ' +
        'of time, incompleteAgents); it never fails the request. Without discoveryId a new session is ' +
        'created; with one, the session is asked again (revision + 1) and its selections are kept.',
      tags,
      auth: 'customer',
      body: discoverBody,
      response: discoveryPageSchema,
      handler: ({ principal, body }) => discovery.discover(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:discoveryId/discover-products`,
      operationId: 'browseProducts',
      summary: 'Browse a discovery session (filter and page without asking the agents again)',
      tags,
      auth: 'customer',
      params: discoveryParams,
      query: browseQuery,
      response: discoveryPageSchema,
      handler: ({ principal, params, query }) =>
        discovery.browse(principal, params.discoveryId, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:discoveryId/products`,
      operationId: 'getProducts',
      summary: 'The products selected in a discovery session',
      tags,
      auth: 'customer',
      params: discoveryParams,
      response: selectionsSchema,
      handler: ({ principal, params }) => discovery.selections(principal, params.discoveryId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:discoveryId/products`,
      operationId: 'addProducts',
      summary: 'Select discovered products (bidPrice required on auction pricing)',
      description:
        'Each product must have been discovered in this session; name its salesAgentId when two ' +
        'agents offer the same productId. pricingOptionId defaults to the product’s first option. ' +
        'Selecting a product again updates it; replace=true drops the other selections.',
      tags,
      auth: 'customer',
      params: discoveryParams,
      body: addProductsBody,
      response: selectionsSchema,
      handler: ({ principal, params, body }) =>
        discovery.addProducts(principal, params.discoveryId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:discoveryId/products`,
      operationId: 'removeProducts',
      summary: 'Deselect products',
      tags,
      auth: 'customer',
      params: discoveryParams,
      body: removeProductsBody,
      response: selectionsSchema,
      handler: ({ principal, params, body }) =>
        discovery.removeProducts(principal, params.discoveryId, body.productIds),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:discoveryId/apply-proposal`,
      operationId: 'applyProposal',
      summary: 'Select a seller proposal’s products with its budget split',
      description:
        'Auction-priced lines are skipped (productsSkipped): a proposal carries no bid; select ' +
        'them yourself with a bidPrice.',
      tags,
      auth: 'customer',
      params: discoveryParams,
      body: applyProposalBody,
      response: applyProposalSchema,
      handler: ({ principal, params, body }) =>
        discovery.applyProposal(principal, params.discoveryId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:discoveryId/products/:productId/details`,
      operationId: 'getProductDetails',
      summary: 'One discovered product in full (pricing options, formats, publishers)',
      tags,
      auth: 'customer',
      params: productParams,
      query: detailsQuery,
      response: productDetailsSchema,
      handler: ({ principal, params, query }) =>
        discovery.productDetails(
          principal,
          params.discoveryId,
          params.productId,
          query.salesAgentId,
        ),
    }),
  ];
}
