import type { FastifyInstance } from 'fastify';
import { renderApiReference } from '../../web/api-reference.js';
import { type DocumentName, openApiDocument, openApiYaml } from './documents.js';

/** Serves each persona's OpenAPI document (JSON and YAML) and the /docs reference page. */
export function registerOpenApiRoutes(app: FastifyInstance): void {
  const names: DocumentName[] = ['buyer', 'storefront', 'admin'];
  for (const name of names) {
    app.get(`/api/v2/${name}/openapi.json`, { schema: { hide: true } }, async () =>
      openApiDocument(app, name),
    );
    app.get(`/api/v2/${name}/openapi.yaml`, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('application/yaml').send(openApiYaml(app, name)),
    );
  }
  app.get('/docs', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(
      renderApiReference(
        names.map((name) => ({
          name,
          specUrl: `/api/v2/${name}/openapi.json`,
          doc: openApiDocument(app, name) as Parameters<typeof renderApiReference>[0][0]['doc'],
        })),
      ),
    ),
  );
}
