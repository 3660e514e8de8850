import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { consoleClient, type Browserish } from '../web/console-client.js';

/*
 * No path parameter answers a 5xx (docs/security.md, "Bad input"). Every route the app
 * registered (Fastify's own list, so the agents', downloads', join pages' and console's routes
 * count as much as the documented API), each of its path parameters in turn given NUL, an
 * encoded lone surrogate, invalid UTF-8, values past the router's and the columns' lengths,
 * integers past int4 and other odd ids, the other parameters naming live objects of the caller
 * so the request reaches as deep as it can, with the credential the route takes (its persona's
 * key, both console sessions with their CSRF token, none). Kept to one app over app.inject.
 */

/** Hostile values of one path segment, as they travel in the URL. */
const hostile: Record<string, string> = {
  nul: 'a%00b',
  'lone surrogate': '%ED%A0%80',
  'invalid UTF-8': '%FF',
  'control characters': 'a%01b%1F',
  'at the router limit': 'x'.repeat(255),
  'past the router limit': 'x'.repeat(256),
  'past int4': '9'.repeat(25),
  negative: '-1',
  'encoded slash': 'a%2Fb',
};

let h: Harness;
const live: Record<string, string> = {};
interface Credential {
  name: string;
  headers: Record<string, string>;
  /** A console form's CSRF token, sent as the form field its POSTs check. */
  csrf?: string;
}
let credentials: Credential[] = [];
const client = consoleClient(() => h.app);

beforeAll(async () => {
  h = await createHarness();
  const seller = await createCustomer(h, { role: 'SELLER' });
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const storefront = await h.call('GET', '/api/v2/storefront', { key: seller.key });
  const source = await h.call('POST', '/api/v2/storefront/inventory-sources/modular/feed', {
    key: seller.key,
    body: { name: 'Fuzz avails', sourceId: 'fuzz-modular', booking: { mode: 'manual' } },
  });
  expect(source.status, source.text).toBeLessThan(300);
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId: storefront.body.data.id, approvalPolicy: 'manual_approve' },
  });
  expect(link.status, link.text).toBe(201);
  const advertiser = await h.call('POST', '/api/v2/buyer/advertisers', {
    key: buyer.key,
    body: { name: 'Fuzz advertiser', brand: 'fuzz.example', primaryCurrency: 'USD' },
  });
  expect(advertiser.status, advertiser.text).toBe(201);
  Object.assign(live, {
    storefrontId: String(storefront.body.data.id),
    agentId: `storefront-${storefront.body.data.platformId}`,
    sourceId: 'fuzz-modular',
    slug: link.body.data.slug,
    linkId: String(link.body.data.id),
    advertiserId: String(advertiser.body.data.id),
    customerId: String(buyer.id),
    buyerId: String(buyer.id),
    kind: 'gam',
    action: 'approve',
  });
  const sessionOf = (name: string, session: Browserish): Credential => ({
    name,
    headers: { cookie: session.cookie },
    csrf: session.csrf,
  });
  credentials = [
    { name: 'none', headers: {} },
    { name: 'seller key', headers: as(seller.key) },
    { name: 'buyer key', headers: as(buyer.key) },
    { name: 'admin key', headers: as(h.adminKey) },
    sessionOf('seller console', await client.signIn(seller.key)),
    sessionOf('buyer console', await client.signIn(buyer.key)),
  ];
}, 120_000);
afterAll(() => h?.close());

/**
 * The credentials a route takes: the key of its persona, a console page's sessions (a page of the
 * other persona redirects at once), no credential on a public route.
 */
function credentialsFor(route: { url: string; auth: string }) {
  const named = (...names: string[]) => credentials.filter((c) => names.includes(c.name));
  if (route.url.startsWith('/console/')) return named('seller console', 'buyer console');
  if (route.auth === 'admin') return named('admin key');
  if (route.url.startsWith('/api/v2/storefront/')) return named('seller key');
  if (route.auth === 'seller' || route.auth === 'customer') return named('buyer key');
  return named('none');
}

/** Headers and body: a form with the CSRF token to the console, an empty JSON object elsewhere. */
function requestOf(method: string, credential: Credential) {
  if (method === 'GET' || method === 'DELETE') return { headers: credential.headers };
  if (credential.csrf === undefined) return { headers: credential.headers, payload: {} };
  return {
    headers: { ...credential.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ csrf: credential.csrf }).toString(),
  };
}

describe('every route’s path parameters', () => {
  it('refuses a NUL in a feed webhook’s subscription id as a 400 naming it', async () => {
    const res = await h.call('POST', '/adcp/feed-signals/a%00b', { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'id',
      details: { location: 'params' },
    });
    expect(res.body.error.message).toContain('NUL');
  });

  it('answer a 4xx, never a 5xx, to NUL, bad Unicode, overlong and odd values', async () => {
    const routes = h.app.routeCatalog.filter((r) => r.url.includes('/:') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(250);
    const requests: { label: string; send: () => Promise<{ statusCode: number; body: string }> }[] =
      [];
    for (const route of routes) {
      const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const name of names) {
        for (const [what, value] of Object.entries(hostile)) {
          const url = route.url.replace(/:(\w+)/g, (_, param: string) =>
            param === name ? value : (live[param] ?? '1'),
          );
          for (const credential of credentialsFor(route)) {
            requests.push({
              label: `${route.method} ${route.url} :${name} = ${what} (${credential.name})`,
              send: () =>
                h.app.inject({
                  method: route.method as 'GET',
                  url,
                  ...requestOf(route.method, credential),
                }),
            });
          }
        }
      }
    }
    // A few at a time, as clients would send them: one waits on the database while another runs.
    const failures: string[] = [];
    const queue = [...requests];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const res = await next.send();
        if (res.statusCode >= 500) failures.push(`${res.statusCode} ${next.label}: ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const sent = requests.length;
    expect(sent).toBeGreaterThan(3000);
    expect(failures).toEqual([]);
  }, 300_000);
});
