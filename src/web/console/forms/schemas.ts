import { z } from 'zod';

/** What a console form learns from the route it submits to: its body's JSON Schema. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  minItems?: number;
  format?: string;
};

export interface RouteSchemas {
  /** The JSON Schema (input side) of a route's body; undefined for a route without one. */
  bodyOf(route: string): JsonSchema | undefined;
}

/**
 * The body schemas of the app's routes, as their zod schemas declare them (converted once per
 * route to JSON Schema, input side: what a client may send).
 */
export function routeSchemas(
  catalog: Array<{ method: string; url: string; schema: Record<string, unknown> | undefined }>,
): RouteSchemas {
  const cache = new Map<string, JsonSchema | undefined>();
  return {
    bodyOf(route) {
      if (cache.has(route)) return cache.get(route);
      const [method, url] = route.split(' ');
      const entry = catalog.find((r) => r.method === method && r.url === url);
      const body = entry?.schema?.body as z.ZodType | undefined;
      let json: JsonSchema | undefined;
      if (body) {
        try {
          json = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
        } catch {
          json = undefined;
        }
      }
      cache.set(route, json);
      return json;
    },
  };
}

/** A field's schema and whether the body requires it, following nullable and union branches. */
export function fieldSchema(
  root: JsonSchema | undefined,
  path: string,
): { schema?: JsonSchema; required: boolean } {
  let node = root;
  let required = true;
  for (const part of path.split('.')) {
    if (/^\d+$/.test(part)) {
      node = nonNull(node)?.items;
      continue;
    }
    node = objectBranch(node, part);
    if (!node?.properties?.[part]) return { required: false };
    required = required && (node.required ?? []).includes(part);
    const next: JsonSchema = node.properties[part];
    if (next.default !== undefined) required = false;
    node = next;
  }
  const leaf = nonNull(node);
  if (leaf !== node) required = false;
  return { schema: leaf, required };
}

/** The object branch (of a union or nullable) that has `property`. */
function objectBranch(node: JsonSchema | undefined, property: string): JsonSchema | undefined {
  if (!node) return undefined;
  if (node.properties?.[property]) return node;
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const found = objectBranch(branch, property);
    if (found) return found;
  }
  return node;
}

function nonNull(node: JsonSchema | undefined): JsonSchema | undefined {
  const branches = node?.anyOf ?? node?.oneOf;
  if (!branches) return node;
  const real = branches.filter((b) => b.type !== 'null');
  return real.length === 1 ? nonNull(real[0]) : node;
}

/** The limits the browser enforces and the page shows, from the field's schema. */
export function limitsOf(schema: JsonSchema | undefined) {
  const s = schema ?? {};
  return {
    maxLength: s.maxLength ?? s.items?.maxLength,
    minLength: s.minLength,
    maximum: s.maximum,
    minimum: s.minimum ?? s.exclusiveMinimum,
    maxItems: s.type === 'array' ? s.maxItems : undefined,
    minItems: s.type === 'array' ? s.minItems : undefined,
    enum: (s.enum ?? s.items?.enum)?.map(String),
  };
}
