import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../platform/openapi/documents.js';
import { documentNames } from '../platform/openapi/routes.js';
import { renderApiReference } from './api-reference.js';

/** The /docs API reference page, rendered from every persona's OpenAPI document. */
export function registerDocsPage(app: FastifyInstance): void {
  app.get('/docs', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(
      renderApiReference(
        documentNames.map((name) => ({
          name,
          specUrl: `/api/v2/${name}/openapi.json`,
          doc: openApiDocument(app, name) as Parameters<typeof renderApiReference>[0][0]['doc'],
        })),
      ),
    ),
  );
}
