import { expansionsOf, impliedMethods, terms } from './capability-text.js';

/** The parts of an OpenAPI 3.1 document the search reads. */
export interface OpenApiLike {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

type Schema = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema?: Schema }>;
  requestSchema?: Schema;
  responseSchema?: Schema;
  /** The path's own words (no parameters): what the endpoint is about. */
  pathTerms: string[];
  /** Weighted terms per field: path and summary say what an endpoint is for; schemas what it holds. */
  fields: Array<{ weight: number; terms: Set<string> }>;
  enums: Array<{ field: string; values: unknown[] }>;
}

export interface CapabilityMatch {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  score: number;
  parameters: Operation['parameters'];
  requestSchema?: Schema;
  responseSchema?: Schema;
  /** Fields with a fixed set of values the question touched (e.g. every `status` a buy can have). */
  enumFields: Array<{ field: string; values: unknown[] }>;
  exampleCall: { tool: 'api_call'; arguments: Record<string, unknown> };
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];
const weights = {
  path: 3,
  summary: 2.5,
  fieldName: 1.5,
  enumValue: 1.2,
  description: 1,
  prose: 0.6,
};

/** A searchable index of one OpenAPI document's operations. Built once per document. */
export function capabilityIndex(document: OpenApiLike) {
  const resolve = refResolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const op = item[method] as Schema | undefined;
      if (op) operations.push(operationOf(method.toUpperCase(), path, op, resolve));
    }
  }
  // Inverse document frequency: a term every endpoint carries ("api", "v2") decides nothing.
  const documentFrequency = new Map<string, number>();
  for (const op of operations) {
    const seen = new Set(op.fields.flatMap((f) => [...f.terms]));
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  // Words most endpoints share (api, v2, the persona's own root) say nothing about any one.
  const commonTerms = new Set(
    [...documentFrequency].filter(([, n]) => n > operations.length / 2).map(([t]) => t),
  );
  const idf = (term: string) =>
    Math.log(1 + (operations.length + 1) / ((documentFrequency.get(term) ?? 0) + 0.5));

  return {
    size: operations.length,
    search(question: string, limit = 5): CapabilityMatch[] {
      const asked = [...new Set(terms(question))];
      if (asked.length === 0) return [];
      const wantedMethods = impliedMethods(asked);
      const scored = operations.map((op) => {
        let score = 0;
        for (const term of asked) {
          const direct = fieldWeight(op, term);
          const expanded = Math.max(0, ...expansionsOf(term).map((t) => fieldWeight(op, t) * 0.6));
          const best = Math.max(direct, expanded);
          if (best > 0) score += best * idf(direct >= expanded ? term : bestExpansion(op, term));
        }
        // Matching more of the question beats matching one word very well.
        const covered = asked.filter(
          (t) => fieldWeight(op, t) > 0 || expansionsOf(t).some((e) => fieldWeight(op, e) > 0),
        ).length;
        score *= 0.5 + covered / asked.length;
        // And an endpoint about just what was asked beats a deeper one that also mentions it:
        // "create an advertiser" is POST /advertisers, not POST /advertisers/{id}/creatives.
        const extra = op.pathTerms.filter(
          (t) => !commonTerms.has(t) && !asked.some((a) => a === t || expansionsOf(a).includes(t)),
        ).length;
        score /= 1 + 0.25 * extra;
        if (score > 0 && wantedMethods.size > 0) {
          score *= wantedMethods.has(op.method) ? 1.3 : 0.85;
        }
        return { op, score };
      });
      return scored
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score || a.op.path.length - b.op.path.length)
        .slice(0, limit)
        .map(({ op, score }) => matchOf(op, score, asked));
    },
  };
}

function bestExpansion(op: Operation, term: string): string {
  let best = term;
  let weight = 0;
  for (const t of expansionsOf(term)) {
    const w = fieldWeight(op, t);
    if (w > weight) [best, weight] = [t, w];
  }
  return best;
}

function fieldWeight(op: Operation, term: string): number {
  let best = 0;
  for (const field of op.fields)
    if (field.weight > best && field.terms.has(term)) best = field.weight;
  return best;
}

function operationOf(
  method: string,
  path: string,
  op: Schema,
  resolve: (schema: unknown) => Schema | undefined,
): Operation {
  const parameters = ((op.parameters as Schema[] | undefined) ?? []).map((p) => ({
    name: String(p.name),
    in: String(p.in),
    required: p.required === true,
    schema: resolve(p.schema),
    description: p.description,
  }));
  const requestSchema = resolve(
    ((op.requestBody as Schema | undefined)?.content as Schema | undefined)?.['application/json'] &&
      (((op.requestBody as Schema).content as Record<string, Schema>)['application/json'] as Schema)
        .schema,
  );
  const responses = (op.responses ?? {}) as Record<string, Schema>;
  const success = Object.keys(responses).find((code) => /^2\d\d$/.test(code));
  const responseSchema = success
    ? resolve(
        (responses[success]?.content as Record<string, Schema> | undefined)?.['application/json']
          ?.schema,
      )
    : undefined;

  const names = new Set<string>();
  const enumValues = new Set<string>();
  const prose: string[] = [];
  const enums: Operation['enums'] = [];
  const walk = (schema: Schema | undefined, field: string, depth: number) => {
    if (!schema || depth > 8) return;
    if (typeof schema.description === 'string') prose.push(schema.description);
    if (Array.isArray(schema.enum)) {
      enums.push({ field, values: schema.enum });
      for (const value of schema.enum) for (const t of terms(String(value))) enumValues.add(t);
    }
    for (const [name, child] of Object.entries(
      (schema.properties ?? {}) as Record<string, unknown>,
    )) {
      for (const t of terms(name)) names.add(t);
      walk(resolve(child), name, depth + 1);
    }
    walk(resolve(schema.items), field, depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      for (const part of (schema[key] as unknown[] | undefined) ?? [])
        walk(resolve(part), field, depth + 1);
    }
  };
  for (const p of parameters) {
    for (const t of terms(p.name)) names.add(t);
    if (typeof p.description === 'string') prose.push(p.description);
    walk(p.schema, p.name, 0);
  }
  walk(requestSchema, 'body', 0);
  walk(responseSchema, 'data', 0);

  const pathTerms = terms(
    path
      .split('/')
      .filter((segment) => !/^[{:]/.test(segment))
      .join(' '),
  );
  const set = (words: string[]) => new Set(words);
  return {
    method,
    path,
    operationId: op.operationId as string | undefined,
    summary: op.summary as string | undefined,
    description: op.description as string | undefined,
    parameters: parameters.map(({ name, in: where, required, schema }) => ({
      name,
      in: where,
      required,
      schema,
    })),
    requestSchema,
    responseSchema,
    enums,
    pathTerms,
    fields: [
      { weight: weights.path, terms: set(pathTerms) },
      {
        weight: weights.summary,
        terms: set([...terms(String(op.summary ?? '')), ...terms(String(op.operationId ?? ''))]),
      },
      { weight: weights.fieldName, terms: names },
      { weight: weights.enumValue, terms: enumValues },
      {
        weight: weights.description,
        terms: set([
          ...terms(String(op.description ?? '')),
          ...terms(((op.tags as string[] | undefined) ?? []).join(' ')),
        ]),
      },
      { weight: weights.prose, terms: set(terms(prose.join(' '))) },
    ],
  };
}

function matchOf(op: Operation, score: number, asked: string[]): CapabilityMatch {
  const askedSet = new Set(asked.flatMap((t) => [t, ...expansionsOf(t)]));
  const enumFields = op.enums.filter(
    (e) => terms(e.field).some((t) => askedSet.has(t)) && e.values.length > 0,
  );
  return {
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    // not money: a ranking score, to two places
    score: Math.round(score * 100) / 100,
    parameters: op.parameters,
    requestSchema: op.requestSchema,
    responseSchema: op.responseSchema,
    enumFields: dedupe(enumFields),
    exampleCall: exampleCallOf(op),
  };
}

function dedupe(fields: Array<{ field: string; values: unknown[] }>) {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const key = `${f.field}:${JSON.stringify(f.values)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An api_call an agent can adapt: path parameters shown as placeholders, the required body. */
function exampleCallOf(op: Operation): CapabilityMatch['exampleCall'] {
  const query = Object.fromEntries(
    op.parameters
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => [p.name, exampleOf(p.schema, 0)]),
  );
  return {
    tool: 'api_call',
    arguments: {
      method: op.method,
      path: op.path.replace(/\{(\w+)\}/g, ':$1'),
      ...(Object.keys(query).length > 0 && { query }),
      ...(op.requestSchema && { body: exampleOf(op.requestSchema, 0) }),
    },
  };
}

function exampleOf(schema: Schema | undefined, depth: number): unknown {
  if (!schema || depth > 4) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants?.length)
    return exampleOf(variants.find((v) => v.type !== 'null') ?? variants[0], depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set(
        (schema.required as string[] | undefined) ?? Object.keys(properties),
      );
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => required.has(name))
          .map(([name, child]) => [name, exampleOf(child, depth + 1)]),
      );
    }
    case 'array':
      return [exampleOf(schema.items as Schema | undefined, depth + 1)].filter(
        (v) => v !== undefined,
      );
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'string':
      return schema.format === 'uri'
        ? 'https://example.com'
        : schema.format === 'email'
          ? 'ops@example.com'
          : 'string';
    default:
      return undefined;
  }
}

/** Resolves local `$ref`s (the hosted documents use components; ours are inlined). */
function refResolver(document: OpenApiLike) {
  const resolve = (schema: unknown, depth = 0): Schema | undefined => {
    if (!schema || typeof schema !== 'object') return undefined;
    const ref = (schema as Schema).$ref;
    if (typeof ref !== 'string' || depth > 10) return schema as Schema;
    const name = ref.replace(/^#\/components\/schemas\//, '');
    return resolve(document.components?.schemas?.[name], depth + 1);
  };
  return (schema: unknown) => resolve(schema);
}
