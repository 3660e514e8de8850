import { defineRoute } from '../../../platform/http/route.js';
import {
  accountListSchema,
  acceptTermsBody,
  createChildBody,
  currentAccountSchema,
  customerDomainAnswer,
  customerDomainBody,
  customerIdPathParams,
  switchAccountBody,
  termsSchema,
  userContextSchema,
} from '../schemas.js';
import type { IdentityService } from '../service.js';

const tags = ['Accounts'];

/** /api/v2/accounts: outside both personas, for any customer key. */
export function accountRoutes(identity: IdentityService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/accounts/current',
      operationId: 'accounts.current',
      summary: 'Get the active customer of this API key',
      tags,
      auth: 'customer',
      response: currentAccountSchema,
      handler: ({ principal }) => identity.getCurrentAccount(principal),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v2/accounts/current',
      operationId: 'accounts.updateCurrent',
      summary: "Set the active customer's domain (ADMIN)",
      description:
        'Storefronts name a buyer’s domain as the operator of its accounts at their sources: a ' +
        'buyer without one discovers almost nothing. The domain is claimed, not verified.',
      tags,
      auth: 'customer',
      body: customerDomainBody,
      response: customerDomainAnswer,
      handler: ({ principal, body }) =>
        identity.setCustomerDomain(principal, principal.customerId, body.customerDomain),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v2/accounts/:customerId/domain',
      operationId: 'updateCustomerDomain',
      summary: "Set a customer's domain (ADMIN of that customer)",
      tags,
      auth: 'customer',
      params: customerIdPathParams,
      body: customerDomainBody,
      response: customerDomainAnswer,
      handler: ({ principal, params, body }) =>
        identity.setCustomerDomain(principal, params.customerId, body.customerDomain),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/accounts',
      operationId: 'accounts.list',
      summary: "List the customers this key's user can switch into",
      tags,
      auth: 'customer',
      response: accountListSchema,
      handler: ({ principal }) => identity.listAccounts(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/accounts/create-child',
      operationId: 'accounts.createChild',
      summary: 'Create a child account (ADMIN); the first child makes this customer a PARENT',
      tags,
      auth: 'customer',
      status: 201,
      body: createChildBody,
      response: userContextSchema,
      handler: ({ principal, body }) => identity.createChild(principal, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/accounts/switch',
      operationId: 'accounts.switch',
      summary: 'Switch the active customer of this API key',
      tags,
      auth: 'customer',
      // Switching only changes which customer the key acts for; it writes no customer data.
      tosExempt: true,
      body: switchAccountBody,
      response: userContextSchema,
      handler: ({ principal, body }) => identity.switchCustomer(principal, body.customerId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/accounts/terms',
      operationId: 'accounts.getTerms',
      summary: 'Read the current terms of service and whether this customer accepted them',
      tags,
      auth: 'customer',
      response: termsSchema,
      handler: ({ principal }) => identity.getTerms(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/accounts/terms/accept',
      operationId: 'accounts.acceptTerms',
      summary: 'Accept the current terms of service for this customer (ADMIN)',
      tags,
      auth: 'customer',
      tosExempt: true,
      body: acceptTermsBody,
      response: termsSchema,
      handler: ({ principal, body }) => identity.acceptTerms(principal, body?.version),
    }),
  ];
}
