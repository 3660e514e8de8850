import { defineRoute } from '../../../platform/http/route.js';
import { createdSourceSchema, projectionSchema } from '../schemas/responses.js';
import {
  createFeedSourceBody,
  credentialBody,
  credentialParams,
  credentialSchema,
  moduleConfigBody,
  moduleParams,
  modularParams,
  rotateCredentialBody,
} from '../schemas/setup.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

export function setupRoutes(service: ModularSourcesService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/modular/feed`,
      operationId: 'createFeedModularInventorySource',
      summary:
        'Create a modular source: the avails feed, the booking ledger and the modules its modes name',
      description:
        'Starts ACTIVE: it sells as soon as avails are committed. booking/execution/reporting/creative ' +
        'modes decide which stages Interchange automates and which become work items.',
      tags,
      auth: 'seller',
      status: 201,
      body: createFeedSourceBody,
      response: createdSourceSchema,
      handler: ({ principal, body }) => service.setup.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/modular`,
      operationId: 'getModularInventorySourceReadiness',
      summary:
        'Where a modular source stands: modules, missing setup, lifecycleSummary per stage, counts',
      tags,
      auth: 'seller',
      params: modularParams,
      response: projectionSchema,
      handler: async ({ principal, params }) =>
        service.setup.projection(await service.owned(principal, params.sourceId)),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:sourceId/modular/modules/:moduleInstanceId/config`,
      operationId: 'updateModularInventorySourceModuleConfig',
      summary: "Set a module's non-secret config (deep-merged unless merge=false) and status",
      tags,
      auth: 'seller',
      params: moduleParams,
      body: moduleConfigBody,
      response: projectionSchema,
      handler: async ({ principal, params, body }) =>
        service.setup.updateModuleConfig(
          await service.owned(principal, params.sourceId),
          params.moduleInstanceId,
          body,
        ),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/modules/:moduleInstanceId/credentials`,
      operationId: 'createModularModuleCredential',
      summary: 'Store a module credential (sealed at rest, never returned)',
      tags,
      auth: 'seller',
      status: 201,
      params: moduleParams,
      body: credentialBody,
      response: credentialSchema,
      handler: async ({ principal, params, body }) =>
        service.setup.addCredential(
          await service.owned(principal, params.sourceId),
          params.moduleInstanceId,
          body,
        ),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:sourceId/modular/modules/:moduleInstanceId/credentials/:credentialId`,
      operationId: 'rotateModularModuleCredential',
      summary: "Rotate a module credential's secret",
      tags,
      auth: 'seller',
      params: credentialParams,
      body: rotateCredentialBody,
      response: credentialSchema,
      handler: async ({ principal, params, body }) =>
        service.setup.rotateCredential(
          await service.owned(principal, params.sourceId),
          params.moduleInstanceId,
          params.credentialId,
          body.secret,
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:sourceId/modular/modules/:moduleInstanceId/credentials/:credentialId`,
      operationId: 'revokeModularModuleCredential',
      summary: 'Revoke a module credential (its secret is erased)',
      tags,
      auth: 'seller',
      params: credentialParams,
      response: credentialSchema,
      handler: async ({ principal, params }) =>
        service.setup.revokeCredential(
          await service.owned(principal, params.sourceId),
          params.moduleInstanceId,
          params.credentialId,
        ),
    }),
  ];
}
