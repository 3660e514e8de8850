import { defineRoute } from '../../../platform/http/route.js';
import {
  connectionSchema,
  importSchema,
  statusQuery,
  statusSchema,
  syncHistoryQuery,
  syncHistorySchema,
  testConnectionSchema,
} from '../answer-schemas.js';
import {
  orderListQuery,
  orderListSchema,
  productListQuery,
  productListSchema,
} from '../catalog/schemas.js';
import { adServerConfigBody, adServerParams } from '../schemas.js';
import type { AdServersService } from '../service.js';

const base = '/api/v2/storefront/inventory-sources';
const tags = ['Ad-server sources'];

/** The seller's ad-server (MANAGED_SALES_AGENT) sources; the storefront comes from the API key. */
export function adServerRoutes(service: AdServersService) {
  const { connections, operations, catalog } = service;
  const save = (method: 'PUT' | 'PATCH') =>
    defineRoute({
      method,
      url: `${base}/:sourceId/ad-server`,
      operationId: method === 'PUT' ? 'putInventorySourceAdServer' : 'patchInventorySourceAdServer',
      summary:
        method === 'PUT'
          ? 'Save the ad-server config (creating the source when the sourceId is new), then provision it'
          : 'Alias of PUT …/ad-server',
      description:
        'Full replacement. An Ad Manager body without serviceAccountKey acts as the instance’s service account (serviceAccountEmail names it); a key sent is sealed at rest and never returned. The connection is tested at once and provisioningStatus says the outcome.',
      tags,
      auth: 'seller',
      params: adServerParams,
      body: adServerConfigBody,
      response: connectionSchema,
      handler: ({ principal, params, body }) => connections.save(principal, params.sourceId, body),
    });
  return [
    save('PUT'),
    save('PATCH'),
    defineRoute({
      method: 'PUT',
      url: `${base}/:sourceId/adapter-config`,
      operationId: 'rotateInventorySourceAdapterCredentials',
      summary: 'Rotate the ad-server credentials in place (products and sync history survive)',
      tags,
      auth: 'seller',
      params: adServerParams,
      body: adServerConfigBody,
      response: connectionSchema,
      handler: ({ principal, params, body }) =>
        connections.save(principal, params.sourceId, body, true),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/esa`,
      operationId: 'getInventorySourceEsa',
      summary:
        'The ad-server connection: provisioning status, last error, inventory sync (never credentials)',
      tags,
      auth: 'seller',
      params: adServerParams,
      response: connectionSchema,
      handler: ({ principal, params }) => connections.view(principal, params.sourceId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/test-connection`,
      operationId: 'testInventorySourceEsaConnection',
      summary:
        'Probe the ad server with the stored credentials (a failed probe is 200 with success false)',
      tags,
      auth: 'seller',
      params: adServerParams,
      response: testConnectionSchema,
      handler: ({ principal, params }) => connections.testConnection(principal, params.sourceId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/status`,
      operationId: 'getInventorySourceEsaStatus',
      summary:
        'Operational snapshot: adapter, syncs, open workflows, packages, products, delivery import age',
      tags,
      auth: 'seller',
      params: adServerParams,
      query: statusQuery,
      response: statusSchema,
      handler: ({ principal, params, query }) =>
        operations.status(principal, params.sourceId, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/sync-history`,
      operationId: 'listInventorySourceEsaSyncHistory',
      summary: 'Sync runs, newest first',
      tags,
      auth: 'seller',
      params: adServerParams,
      query: syncHistoryQuery,
      response: syncHistorySchema,
      handler: ({ principal, params, query }) =>
        operations.syncHistory(principal, params.sourceId, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/deactivate`,
      operationId: 'deactivateInventorySourceEsa',
      summary: 'Soft-delete: the source stops selling; the connection is kept for reactivation',
      tags,
      auth: 'seller',
      params: adServerParams,
      response: connectionSchema,
      handler: ({ principal, params }) => connections.deactivate(principal, params.sourceId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/reactivate`,
      operationId: 'reactivateInventorySourceEsa',
      summary: 'Reactivate: the connection is tested again and sells once active',
      tags,
      auth: 'seller',
      params: adServerParams,
      response: connectionSchema,
      handler: ({ principal, params }) => connections.reactivate(principal, params.sourceId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/ad-server/delivery/import`,
      operationId: 'importInventorySourceAdServerDelivery',
      summary: 'Interchange addition: import delivery from the ad server’s reports now',
      tags,
      auth: 'seller',
      params: adServerParams,
      response: importSchema,
      handler: ({ principal, params }) => operations.importDelivery(principal, params.sourceId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/ad-server/products`,
      operationId: 'listInventorySourceAdServerProducts',
      summary:
        'Interchange addition: the products the synced inventory makes, as buyers are offered them',
      tags,
      auth: 'seller',
      params: adServerParams,
      query: productListQuery,
      response: productListSchema,
      handler: ({ principal, params, query }) =>
        catalog.products(principal, params.sourceId, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/ad-server/orders`,
      operationId: 'listInventorySourceAdServerOrders',
      summary:
        'Interchange addition: the orders placed in the ad server, newest first (approving: waiting for its approval)',
      tags,
      auth: 'seller',
      params: adServerParams,
      query: orderListQuery,
      response: orderListSchema,
      handler: ({ principal, params, query }) => catalog.orders(principal, params.sourceId, query),
    }),
  ];
}
