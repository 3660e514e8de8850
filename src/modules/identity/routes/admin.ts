import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { limitOffsetQuery, pageOf, pageSchema } from '../../../platform/http/pagination.js';
import {
  apiKeyCreatedSchema,
  apiKeyIdParams,
  apiKeyRevokedSchema,
  createApiKeyBody,
  createCustomerApiKeyBody,
  createCustomerBody,
  customerIdParams,
  customerSchema,
} from '../schemas.js';
import type { IdentityService } from '../service.js';

const tags = ['Admin'];

/** Platform-admin bootstrap: customers and their API keys (DESIGN.md admin contract). */
export function adminIdentityRoutes(identity: IdentityService) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v2/admin/customers',
      operationId: 'admin.customers.create',
      summary: 'Create a customer (a SELLER gets its storefront at once)',
      tags,
      auth: 'admin',
      status: 201,
      body: createCustomerBody,
      response: customerSchema,
      handler: ({ body }) => identity.createCustomer(body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/admin/customers',
      operationId: 'admin.customers.list',
      summary: 'List customers, oldest first',
      tags,
      auth: 'admin',
      query: limitOffsetQuery({ defaultLimit: 20, maxLimit: 100 }),
      response: pageSchema(customerSchema),
      handler: async ({ query }) => {
        const { items, total } = await identity.listCustomers(query);
        return pageOf(items, total, query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/admin/customers/:id',
      operationId: 'admin.customers.get',
      summary: 'Get a customer',
      tags,
      auth: 'admin',
      params: customerIdParams,
      response: customerSchema,
      handler: ({ params }) => identity.getCustomer(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/admin/customers/:id/api-keys',
      operationId: 'admin.apiKeys.create',
      summary: "Create an API key for the customer's first ADMIN user (the key is shown once)",
      tags,
      auth: 'admin',
      status: 201,
      params: customerIdParams,
      body: createCustomerApiKeyBody,
      response: apiKeyCreatedSchema,
      handler: ({ params, body }) =>
        identity.createCustomerApiKey(params.id, body?.name ?? null, body?.sandbox === true),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/admin/api-keys',
      operationId: 'admin.apiKeys.createAdmin',
      summary: 'Create another platform admin key (shown once)',
      tags,
      auth: 'admin',
      status: 201,
      body: createApiKeyBody,
      response: z.object({ id: z.string(), key: z.string(), createdAt: z.iso.datetime() }),
      handler: ({ body }) => identity.createAdminApiKey(body?.name ?? null),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v2/admin/api-keys/:id',
      operationId: 'admin.apiKeys.revoke',
      summary: 'Revoke an API key; later calls with it answer 401',
      tags,
      auth: 'admin',
      params: apiKeyIdParams,
      response: apiKeyRevokedSchema,
      handler: ({ params }) => identity.revokeApiKey(params.id),
    }),
  ];
}
