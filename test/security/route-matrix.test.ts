import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteCatalogEntry } from '../../src/app.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/**
 * The auth half of the isolation matrix, run against EVERY protected /api/v2 route the app
 * registers, so a new route cannot ship without its guard: no key and a revoked key are 401, a
 * BUYER key on a seller route is 403 CUSTOMER_ROLE_DENIED, the wrong kind of key is 403.
 * (Cross-customer NOT_FOUND is data-dependent and lives in each module's security tests.)
 */
let h: Harness;
let buyer: TestCustomer;
let seller: TestCustomer;
let revoked: TestCustomer;
let routes: RouteCatalogEntry[];

beforeAll(async () => {
  h = await createHarness();
  await h.app.ready();
  buyer = await createCustomer(h, { role: 'BUYER' });
  seller = await createCustomer(h, { role: 'SELLER' });
  revoked = await createCustomer(h, { role: 'SELLER' });
  await h.call('DELETE', `/api/v2/admin/api-keys/${revoked.keyId}`, { key: h.adminKey });
  routes = h.app.routeCatalog.filter(
    (r) => r.url.startsWith('/api/v2/') && r.method !== 'HEAD' && r.auth !== 'public',
  );
});
afterAll(() => h.close());

function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => (/id$/i.test(name) ? '1' : 'probe-value'));
}

async function hit(route: RouteCatalogEntry, key?: string) {
  return h.call(route.method, concrete(route.url), {
    ...(key && { key }),
    ...(['POST', 'PUT', 'PATCH'].includes(route.method) && { body: {} }),
  });
}

describe('route security matrix', () => {
  it('covers a meaningful set of routes', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(new Set(routes.map((r) => r.auth))).toEqual(new Set(['admin', 'customer', 'seller']));
  });

  it('answers 401 UNAUTHORIZED without a key and with a revoked key, on every protected route', async () => {
    for (const route of routes) {
      for (const key of [undefined, revoked.key]) {
        const res = await hit(route, key);
        expect(res.status, `${route.method} ${route.url} ${key ? 'revoked' : 'no key'}`).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('answers 403 CUSTOMER_ROLE_DENIED to a BUYER key on every seller route', async () => {
    for (const route of routes.filter((r) => r.auth === 'seller')) {
      const res = await hit(route, buyer.key);
      expect(res.status, `${route.method} ${route.url}`).toBe(403);
      expect(res.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
    }
  });

  it('refuses customer keys on admin routes and the admin key on customer routes', async () => {
    for (const route of routes) {
      const key = route.auth === 'admin' ? seller.key : h.adminKey;
      const res = await hit(route, key);
      expect(res.status, `${route.method} ${route.url}`).toBe(403);
    }
  });
});
