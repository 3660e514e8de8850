import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';

type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, unknown>;
  [key: string]: unknown;
};

/**
 * The paths hosted serves on the API root for either persona (its documents set `servers` to
 * /api/v2 per path): accounts, and the notification inbox and preferences.
 */
const sharedPrefixes = [
  '/api/v2/accounts',
  '/api/v2/notifications',
  '/api/v2/notification-preferences',
  '/api/v2/notification-delivery-preferences',
];

/** The published documents: each persona sees its own paths plus the shared ones. */
export const documents = {
  buyer: {
    title: 'Interchange Buyer API',
    prefixes: ['/api/v2/buyer/', ...sharedPrefixes],
  },
  storefront: {
    title: 'Interchange Storefront API',
    prefixes: ['/api/v2/storefront/', ...sharedPrefixes],
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
