import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adServerRoutes } from '../../src/modules/ad-servers/index.js';
import { inventorySourceRoutes } from '../../src/modules/inventory-sources/index.js';
import { modularSourceRoutes } from '../../src/modules/modular-sources/index.js';
import { providerAdapterRoutes } from '../../src/modules/provider-adapters/index.js';
import { isSetupForm, kindDescriptors } from '../../src/source-kinds/descriptors.js';
import { kindOpeners } from '../../src/source-kinds/registry.js';
import { fieldSchema, type JsonSchema } from '../../src/web/console/forms/schemas.js';
import { notices } from '../../src/web/console/notices.js';
import { sections } from '../../src/web/console/seller/sources/kinds.js';
import { customPanels } from '../../src/web/console/seller/sources/create.js';

/*
 * One descriptor per kind (issue 72, item 1): the registry opens exactly the described kinds,
 * each descriptor names a console section the console draws and a create panel it has, and its
 * setup route is a route of the API whose zod body the console's create form is drawn from.
 */

// Route lists are declarations: building them calls no service (so none is given).
const routes = [
  ...inventorySourceRoutes({} as never),
  ...modularSourceRoutes({} as never, {} as never),
  ...adServerRoutes({} as never),
  ...providerAdapterRoutes({} as never),
];
const bodyOf = (route: string) => {
  const [method, url] = route.split(' ');
  return routes.find((r) => r.method === method && r.url === url)?.body as z.ZodType | undefined;
};

describe('kind descriptors', () => {
  it('registers exactly the described kinds, once each', () => {
    const described = kindDescriptors.map((d) => d.executionType);
    expect(new Set(described).size).toBe(described.length);
    expect(Object.keys(kindOpeners).sort()).toEqual([...described].sort());
  });

  it('gives every kind a console section and a create panel the console draws', () => {
    for (const d of kindDescriptors) {
      expect(sections[d.console.section], d.executionType).toBeTypeOf('function');
      const create = d.console.create;
      if (isSetupForm(create)) expect(Object.keys(notices)).toContain(create.notice);
      else expect(customPanels[create.panel], d.executionType).toBeTypeOf('function');
    }
  });

  it('sets each kind up through an API route with a zod body, whose fields its form names', () => {
    for (const d of kindDescriptors) {
      const body = bodyOf(d.setup.route);
      expect(body, d.setup.route).toBeInstanceOf(z.ZodType);
      if (!body || !isSetupForm(d.console.create)) continue;
      const json = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' });
      for (const field of d.console.create.fields) {
        // The console's own reading of a body's JSON Schema (forms/schemas.ts).
        expect(fieldSchema(json as JsonSchema, field.name).schema, field.name).toBeDefined();
      }
    }
  });

  it('says what serves each kind that is not an agent of its own', () => {
    for (const d of kindDescriptors) {
      const agent = d.capabilities.declaredBy === 'probe';
      expect('servedBy' in d, d.executionType).toBe(!agent);
    }
  });
});
