import type { FastifyInstance } from 'fastify';
import { type DocumentName, openApiDocument, openApiYaml } from './documents.js';

export const documentNames: DocumentName[] = ['buyer', 'storefront', 'admin'];

/** Serves each persona's OpenAPI document, as JSON and as YAML. */
export function registerOpenApiRoutes(app: FastifyInstance): void {
  for (const name of documentNames) {
    app.get(`/api/v2/${name}/openapi.json`, { schema: { hide: true } }, async () =>
      openApiDocument(app, name),
    );
    app.get(`/api/v2/${name}/openapi.yaml`, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('application/yaml').send(openApiYaml(app, name)),
    );
  }
}
