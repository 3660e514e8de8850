import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.app.ready();
});
afterAll(() => h.close());

describe('OpenAPI documents', () => {
  for (const name of ['buyer', 'storefront', 'admin']) {
    it(`serves a valid OpenAPI 3.1 document for ${name}, as JSON and YAML`, async () => {
      const json = await h.call('GET', `/api/v2/${name}/openapi.json`);
      expect(json.status).toBe(200);
      expect(json.body.openapi).toBe('3.1.0');
      await SwaggerParser.validate(structuredClone(json.body));
      const yaml = await h.call('GET', `/api/v2/${name}/openapi.yaml`);
      expect(yaml.status).toBe(200);
      expect(parse(yaml.text)).toEqual(json.body);
    });
  }

  it('puts account operations in both persona documents and admin ones only in admin', async () => {
    const buyer = (await h.call('GET', '/api/v2/buyer/openapi.json')).body;
    const storefront = (await h.call('GET', '/api/v2/storefront/openapi.json')).body;
    const admin = (await h.call('GET', '/api/v2/admin/openapi.json')).body;
    expect(buyer.paths['/api/v2/accounts/current']).toBeDefined();
    expect(storefront.paths['/api/v2/accounts/current']).toBeDefined();
    expect(buyer.paths['/api/v2/admin/customers']).toBeUndefined();
    expect(admin.paths['/api/v2/admin/customers'].post.requestBody).toBeDefined();
  });

  it('documents every /api/v2 route with an operation id, a summary and a response schema', async () => {
    const documented = new Set<string>();
    for (const name of ['buyer', 'storefront', 'admin']) {
      const doc = (await h.call('GET', `/api/v2/${name}/openapi.json`)).body;
      for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
        for (const method of Object.keys(methods))
          documented.add(`${method.toUpperCase()} ${path}`);
      }
    }
    const undocumented: string[] = [];
    for (const route of h.app.routeCatalog) {
      if (!route.url.startsWith('/api/v2/') || route.method === 'HEAD') continue;
      if (route.url.endsWith('/openapi.json') || route.url.endsWith('/openapi.yaml')) continue;
      const schema = route.schema as
        { operationId?: string; summary?: string; response?: Record<string, unknown> } | undefined;
      const openApiPath = route.url.replace(/:(\w+)/g, '{$1}');
      const ok =
        schema?.operationId &&
        schema.summary &&
        schema.response &&
        Object.keys(schema.response).some((s) => s.startsWith('2')) &&
        documented.has(`${route.method} ${openApiPath}`);
      if (!ok) undocumented.push(`${route.method} ${route.url}`);
    }
    expect(undocumented).toEqual([]);
    expect(h.app.routeCatalog.length).toBeGreaterThan(10);
  });
});
