import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxIntegerId } from '../../src/platform/formats.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';

/*
 * Integer ids a client sends (bodies, paths, queries) are bounded by the shared id schema
 * (platform/formats.ts positiveIdSchema): an id past PostgreSQL's `integer` is a 400 naming the
 * field, never a database error answered 500. The published OpenAPI documents are generated
 * from the zod schemas, so walking them finds every integer id field a route accepts, including
 * one a new route adds without the shared schema.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a field name names an id (`id`, `storefrontId`, `buyerCustomerIds`, `media_buy_id`). */
const namesAnId = (name: string) => /(^id$|Ids?$|_ids?$)/.test(name);

/** The integer id fields of `schema` (refs resolved) whose maximum is missing or too large. */
function unboundedIds(schema: unknown, components: Json, path: string, seen = new Set()): string[] {
  if (!isObject(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = components[ref.replace('#/components/schemas/', '')];
    return unboundedIds(target, components, path, seen);
  }
  const found: string[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      for (const branch of branches) found.push(...unboundedIds(branch, components, path, seen));
    }
  }
  if (isObject(schema['items'])) {
    found.push(...unboundedIds(schema['items'], components, `${path}[]`, seen));
  }
  for (const [name, property] of Object.entries((schema['properties'] as Json | undefined) ?? {})) {
    const at = `${path}.${name}`;
    if (namesAnId(name)) found.push(...unboundedInteger(property, components, at));
    found.push(...unboundedIds(property, components, at, seen));
  }
  if (isObject(schema['additionalProperties'])) {
    found.push(...unboundedIds(schema['additionalProperties'], components, `${path}{}`, seen));
  }
  return found;
}

/** `at` itself, when it is a number (or a list of numbers) without a bound that fits. */
function unboundedInteger(schema: unknown, components: Json, at: string): string[] {
  if (!isObject(schema)) return [];
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    return unboundedInteger(components[ref.replace('#/components/schemas/', '')], components, at);
  }
  const branches = [
    ...((schema['anyOf'] as unknown[] | undefined) ?? []),
    ...((schema['oneOf'] as unknown[] | undefined) ?? []),
  ];
  if (branches.length > 0) return branches.flatMap((b) => unboundedInteger(b, components, at));
  if (schema['type'] === 'array') return unboundedInteger(schema['items'], components, `${at}[]`);
  // A number field named as an id is an id too (a `z.number()` without `.int()` included).
  if (schema['type'] !== 'integer' && schema['type'] !== 'number') return [];
  const max = schema['maximum'] ?? schema['exclusiveMaximum'];
  return typeof max === 'number' && max <= maxIntegerId ? [] : [at];
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.app.ready();
});
afterAll(() => h?.close());

describe('integer ids clients send', () => {
  it('are bounded to what PostgreSQL stores, in every body, path and query the API documents', async () => {
    const unbounded: string[] = [];
    for (const name of ['buyer', 'storefront', 'admin']) {
      const doc = (await h.call('GET', `/api/v2/${name}/openapi.json`)).body as Json;
      const components = ((doc['components'] as Json | undefined)?.['schemas'] ?? {}) as Json;
      for (const [path, methods] of Object.entries(doc['paths'] as Json)) {
        for (const [method, operation] of Object.entries(methods as Json)) {
          if (!isObject(operation)) continue;
          const where = `${method.toUpperCase()} ${path}`;
          const content = ((operation['requestBody'] as Json | undefined)?.['content'] ??
            {}) as Json;
          for (const [type, media] of Object.entries(content)) {
            const schema = (media as Json)['schema'];
            unbounded.push(...unboundedIds(schema, components, `${where} ${type} body`));
          }
          for (const parameter of (operation['parameters'] as Json[] | undefined) ?? []) {
            const name = String(parameter['name']);
            if (!namesAnId(name)) continue;
            const at = `${where} ${String(parameter['in'])} ${name}`;
            unbounded.push(...unboundedInteger(parameter['schema'], components, at));
          }
        }
      }
    }
    expect([...new Set(unbounded)].sort()).toEqual([]);
  });

  it('answers 400 naming buyerCustomerId for a compliance refresh with an id past the bound', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: seller.key,
      body: { buyerCustomerId: maxIntegerId + 1 },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'buyerCustomerId' });
  });

  it('answers 400 for a test-runs query naming a storefront past the bound', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call(
      'GET',
      `/api/v2/storefront/test-runs?storefrontId=${maxIntegerId + 1}`,
      { key: seller.key },
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'storefrontId' });
  });
});
