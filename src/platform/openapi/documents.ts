import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';

type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, unknown>;
  [key: string]: unknown;
};

/** The published documents: each persona sees its own paths plus the shared account ones. */
export const documents = {
  buyer: {
    title: 'Interchange Buyer API',
    prefixes: ['/api/v2/buyer/', '/api/v2/accounts'],
  },
  storefront: {
    title: 'Interchange Storefront API',
    prefixes: ['/api/v2/storefront/', '/api/v2/accounts'],
  },
  admin: {
    title: 'Interchange Admin API',
    prefixes: ['/api/v2/admin/'],
  },
} as const;

export type DocumentName = keyof typeof documents;

export function openApiDocument(app: FastifyInstance, name: DocumentName): OpenApiDocument {
  const full = app.swagger() as OpenApiDocument;
  const { title, prefixes } = documents[name];
  const paths = Object.fromEntries(
    Object.entries(full.paths ?? {}).filter(([path]) =>
      prefixes.some((p) => path.startsWith(p) || `${path}/` === p),
    ),
  );
  return { ...full, info: { ...full.info, title }, paths };
}

export function openApiYaml(app: FastifyInstance, name: DocumentName): string {
  return stringify(openApiDocument(app, name));
}
