import fc from 'fast-check';
import { expect } from 'vitest';
import type { CallResult, Harness } from '../harness.js';

/**
 * What the fuzz suite drives, read from our own OpenAPI documents: every documented operation
 * with its path parameters, query parameters and JSON body schema, and the auth it declared.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  $ref?: string;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/v2/storefront/product-rules/{ruleId}. */
  path: string;
  auth: string;
  pathParams: string[];
  queryParams: string[];
  body: JsonSchema | undefined;
  /** Statuses documented as a text page rather than the envelope (the hosted OAuth page). */
  pageStatuses: Set<number>;
}

type OpenApiOperation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};

export async function loadOperations(h: Harness): Promise<Operation[]> {
  const operations = new Map<string, Operation>();
  for (const name of ['buyer', 'storefront', 'admin']) {
    const doc = (await h.call('GET', `/api/v2/${name}/openapi.json`)).body;
    const components = (doc.components?.schemas ?? {}) as Record<string, JsonSchema>;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
      for (const [lower, raw] of Object.entries(methods as Record<string, OpenApiOperation>)) {
        const method = lower.toUpperCase();
        if (operations.has(`${method} ${path}`)) continue;
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        const route = h.app.routeCatalog.find((r) => r.method === method && r.url === url);
        if (!route) throw new Error(`documented but not routed: ${method} ${path}`);
        const params = raw.parameters ?? [];
        const body = raw.requestBody?.content?.['application/json']?.schema;
        const pageStatuses = new Set(
          Object.entries(raw.responses ?? {})
            .filter(([, r]) => Object.values(r.content ?? {}).some((c) => isText(c.schema)))
            .map(([status]) => Number(status)),
        );
        operations.set(`${method} ${path}`, {
          method,
          path,
          auth: route.auth,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
          body: body && inlineRefs(body, components),
          pageStatuses,
        });
      }
    }
  }
  return [...operations.values()];
}

/** A documented text answer (an HTML page), alone or as one of the answers. */
const isText = (schema: JsonSchema | undefined): boolean =>
  schema?.type === 'string' || (schema?.anyOf ?? schema?.oneOf ?? []).some(isText);

function inlineRefs(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const seen = new Set<string>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as JsonSchema).$ref;
    if (ref) {
      const name = ref.split('/').pop()!;
      if (seen.has(name)) return {};
      seen.add(name);
      const resolved = walk(components[name]);
      seen.delete(name);
      return resolved;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema) as JsonSchema;
}

export const missing = Symbol('missing field');

/** A field no schema declares, added beside the declared ones of every object in a body. */
export const extraField = 'fuzzExtra';

// Strings that satisfy each pattern our schemas use, tried in order.
const patternCandidates = ['fuzz-1', 'fuzz.example', 'US', 'USD', 'en', '#336699', '123'];

function sampleString(schema: JsonSchema): string {
  if (schema.format === 'email') return 'fuzz@example.com';
  if (schema.format === 'date-time') return new Date(Date.now() + 7 * 86_400_000).toISOString();
  // Port 9 (discard) refuses at once: a probe of it fails fast instead of timing out.
  if (schema.format === 'uri') return 'http://127.0.0.1:9/fuzz';
  const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
  const text = patternCandidates.find((c) => !pattern || pattern.test(c)) ?? 'fuzz';
  return text.padEnd(schema.minLength ?? 0, 'z').slice(0, schema.maxLength ?? Infinity);
}

/**
 * A value the schema accepts, as far as a sampler can tell: every property set, one item per
 * array. `fields` gives the value of properties by name wherever they appear (live ids, values
 * only the service can judge); `missing` leaves one out.
 */
export function sampleOf(schema: JsonSchema, fields: Record<string, unknown> = {}): unknown {
  const sample = (s: JsonSchema) => sampleOf(s, fields);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.[0]) return sample(branches[0]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sample(s) as object));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || (!type && schema.properties)) {
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([k]) => fields[k] !== missing)
        .map(([k, s]) => [k, k in fields ? fields[k] : sample(s)]),
    );
  }
  if (type === 'array') return schema.maxItems === 0 ? [] : [sample(schema.items ?? {})];
  if (type === 'string') return sampleString(schema);
  if (type === 'integer' || type === 'number') {
    const low = schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
    return Math.min(low, schema.maximum ?? low);
  }
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  return 'fuzz';
}

export type Path = (string | number)[];

/** Every place in a sampled body a fuzzed value can go: the body itself and each field in it. */
export function fieldPathsOf(value: unknown, path: Path = []): Path[] {
  const here = [path];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((v, i) => fieldPathsOf(v, [...path, i]))];
  if (value !== null && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => fieldPathsOf(v, [...path, k]))];
  }
  return here;
}

/** Where an extra field goes: inside the body and inside each object in it. */
export function extraFieldPathsOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => extraFieldPathsOf(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return [
    [...path, extraField],
    ...Object.entries(value).flatMap(([k, v]) => extraFieldPathsOf(v, [...path, k])),
  ];
}

/** Values an extra field gets: plain, and the troublesome kinds. */
export const extraFieldValues: unknown[] = ['extra', 'a\u0000b', 2147483648, {}];

/** `base` with the value at `path` replaced (or removed, for `missing`). */
export function withValue(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === missing) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

/** JSON text sent as is: nesting deeper than JSON.stringify (and jsonb) can take. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The request body's text, with each RawJson spliced in. */
export function toJson(body: unknown): string {
  const raws: RawJson[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) =>
    value instanceof RawJson ? `\u0000raw${raws.push(value) - 1}` : value,
  );
  return raws.reduce((out, raw, i) => out.replace(`"\\u0000raw${i}"`, raw.text), text);
}

/** One megabyte of text: within the default INTERCHANGE_BODY_LIMIT (1 MiB) with room for JSON. */
export const oneMegabyte = 'x'.repeat(1_000_000);

/** Values every body field gets: bad text, integers past int4 and int8, wrong types, huge text. */
export const bodyValues: unknown[] = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  2147483648,
  -2147483649,
  new RawJson('9007199254740993'), // past 2^53: JSON.parse rounds it
  1e308,
  -1,
  0,
  1.5,
  '2147483648',
  '99999999999999999999',
  null,
  true,
  '',
  ' ',
  {},
  [],
  [null],
  { 'a\u0000': 1 },
  { fuzzExtra: '\ud800' },
  oneMegabyte,
  new RawJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  missing,
];

/** Raw (already percent-encoded) values for query and path parameters. */
export const urlValues: string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80', // the UTF-8-style encoding of a lone surrogate: not valid UTF-8
  '%F0%9F',
  '%',
  '%zz',
  '2147483648',
  '99999999999999999999',
  '-1',
  '0',
  '1.5',
  '1e400',
  '0x10',
  '%20',
  'null',
  '[]',
  'x'.repeat(255),
  'x'.repeat(256),
  'x'.repeat(10_000),
];

/** A UTF-16 unit, often a troublesome one: NUL, a lone surrogate, or any code point. */
const nastyUnit = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** Random JSON for a body field, besides the fixed values. */
export const jsonValueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3, stringUnit: nastyUnit }),
  fc.string({ unit: nastyUnit, maxLength: 64 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Percent-encodes any string, a lone surrogate as the (invalid) bytes a careless client sends. */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    out +=
      char.length === 1 && code >= 0xd800 && code <= 0xdfff
        ? `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`
        : encodeURIComponent(char);
  }
  return out;
}

/** Random raw values for a query or path parameter, besides the fixed ones. */
export const urlValueArbitrary: fc.Arbitrary<string> = fc
  .string({ unit: nastyUnit, maxLength: 64 })
  .map(encodeLoosely);

/** The contract every /api/v2 answer keeps, whatever it was sent: no 5xx, and the envelope. */
export function expectEnvelope(res: CallResult, what: string, pageStatuses = new Set<number>()) {
  expect(res.status, `${what} answered ${res.status}: ${res.text.slice(0, 500)}`).toBeLessThan(500);
  if (pageStatuses.has(res.status) && String(res.headers['content-type']).startsWith('text/html')) {
    return;
  }
  expect(res.headers['content-type'], what).toMatch(/^application\/json/);
  const body = res.body as Record<string, unknown> | undefined;
  expect(Object.keys(body ?? {}).sort(), `${what}: ${res.text.slice(0, 300)}`).toEqual([
    'data',
    'error',
    'meta',
  ]);
  expect(body!.meta).toMatchObject({
    requestId: expect.any(String),
    timestamp: expect.any(String),
  });
  if (res.status >= 400) {
    expect(body!.data, what).toBeNull();
    expect(body!.error, what).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
    });
    const field = (body!.error as { field?: unknown }).field;
    expect(field === undefined || typeof field === 'string', what).toBe(true);
  } else {
    expect(body!.error, what).toBeNull();
  }
}
