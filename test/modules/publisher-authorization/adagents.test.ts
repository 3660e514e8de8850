import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Publishers, startPublishers } from '../../fixtures/publishers.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { eventually } from '../../support/eventually.js';

/**
 * Publisher authorization from adagents.json served by real publisher servers on a loopback
 * socket: each domain a storefront sells must list the storefront's agent, or the source agent
 * it resells, to be authorized; readiness shows each domain's verdict and why.
 */
let h: Harness;
let publishers: Publishers;
let seller: TestCustomer;
let source: RunningSeller;
let platformId: string;

const domains = [
  'authorized.example',
  'via-source.example',
  'signals-only.example',
  'untyped.example',
  'not-listed.example',
  'missing.example',
  'malformed.example',
  'pointer.example',
  'moved.example',
];

type Entry = {
  publisherDomain: string;
  status: string;
  adagentsStatus: string;
  authorizationReason: string | null;
  authorizedAgents: string[];
  lastSyncedAt: string | null;
  expiresAt: string | null;
  resolvedPropertyCount: number | null;
};
const byDomain = (entries: Entry[]) => new Map(entries.map((e) => [e.publisherDomain, e]));
const agentUrl = () => `${h.config.publicUrl}/adcp/storefront-${platformId}`;

beforeAll(async () => {
  publishers = await startPublishers();
  source = await startSeller('mcp');
  h = await createHarness({
    INTERCHANGE_ADAGENTS_URL: publishers.template,
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  });
  seller = await createCustomer(h, { role: 'SELLER' });
  const profile = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { businessProfile: { publisherDomains: domains } },
  });
  expect(profile.status, profile.text).toBe(200);
  platformId = profile.body.data.platformId;
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: seller.key,
    body: { name: 'Seller', sourceId: 'seller', endpointUrl: source.url, protocol: 'MCP' },
  });
  expect(created.status).toBe(201);
  expect(
    (
      await h.call('PUT', '/api/v2/storefront/inventory-sources/seller', {
        key: seller.key,
        body: { status: 'ACTIVE' },
      })
    ).status,
  ).toBe(200);
  const property = { property_type: 'website', name: 'Site', identifiers: [] };
  const listing = (url: string, type?: string) => ({
    url,
    authorized_for: 'All inventory',
    ...(type && { authorization_type: type, property_tags: ['all'] }),
  });
  publishers.serve('authorized.example', {
    json: {
      properties: [property, property],
      authorized_agents: [listing(`${agentUrl()}/mcp`, 'property_tags')],
    },
    maxAge: 600,
  });
  publishers.serve('via-source.example', {
    json: { authorized_agents: [listing(source.url.replace(/\/mcp$/, ''), 'inline_properties')] },
  });
  publishers.serve('signals-only.example', {
    json: { authorized_agents: [listing(agentUrl(), 'signal_ids')] },
  });
  publishers.serve('untyped.example', { json: { authorized_agents: [listing(agentUrl())] } });
  publishers.serve('not-listed.example', {
    json: { authorized_agents: [listing('https://someone-else.example/mcp', 'property_tags')] },
  });
  publishers.serve('malformed.example', { raw: '{"authorized_agents": [' });
  publishers.serve('pointer.example', {
    json: {
      authoritative_location: `${publishers.origin}/authorized.example/.well-known/adagents.json`,
    },
  });
  publishers.serve('moved.example', { redirect: '/authorized.example/.well-known/adagents.json' });
});

afterAll(async () => {
  await Promise.all([publishers?.close(), source?.close()]);
  await h?.close();
});

describe('publisher authorization', () => {
  it("reads each domain's adagents.json and says per domain: authorized, not listed, file missing or invalid", async () => {
    const res = await h.call('POST', '/api/v2/storefront/readiness/publisher-domains/refresh', {
      key: seller.key,
    });
    expect(res.status, res.text).toBe(200);
    const entries = byDomain(res.body.data as Entry[]);
    expect(entries.get('authorized.example')).toMatchObject({
      status: 'authorized',
      adagentsStatus: 'resolved',
      authorizationReason: 'authorized',
      authorizedAgents: ['storefront'],
      resolvedPropertyCount: 2,
    });
    expect(entries.get('via-source.example')).toMatchObject({
      status: 'authorized',
      authorizedAgents: ['seller'],
    });
    expect(entries.get('signals-only.example')).toMatchObject({
      status: 'unauthorized',
      authorizationReason: 'agent_not_property_bound',
    });
    expect(entries.get('untyped.example')).toMatchObject({
      status: 'unknown',
      authorizationReason: 'agent_untyped',
    });
    expect(entries.get('not-listed.example')).toMatchObject({
      status: 'unauthorized',
      authorizationReason: 'agent_not_listed',
    });
    expect(entries.get('missing.example')).toMatchObject({
      status: 'unauthorized',
      adagentsStatus: 'no_adagents',
      authorizationReason: 'no_file',
    });
    expect(entries.get('malformed.example')).toMatchObject({
      status: 'unauthorized',
      adagentsStatus: 'invalid',
      authorizationReason: 'file_invalid',
    });
    // authoritative_location and an HTTP redirect are followed (each hop guarded).
    expect(entries.get('pointer.example')).toMatchObject({ status: 'authorized' });
    expect(entries.get('moved.example')).toMatchObject({ status: 'authorized' });
  });

  it('keeps each read until its own expiry: readiness does not read the files again', async () => {
    const before = publishers.hits('authorized.example');
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    const entries = byDomain(res.body.data.publisherDomains as Entry[]);
    const authorized = entries.get('authorized.example') as Entry;
    // max-age=600 from the file; the default TTL (a day) for a file that names none.
    const ttl = (e: Entry) =>
      (Date.parse(e.expiresAt as string) - Date.parse(e.lastSyncedAt as string)) / 1000;
    expect(ttl(authorized)).toBe(600);
    expect(ttl(entries.get('via-source.example') as Entry)).toBe(86_400);
    expect(publishers.hits('authorized.example')).toBe(before);
    const check = res.body.data.checks.find(
      (c: { id: string }) => c.id === 'publisher_authorization',
    );
    expect(check).toMatchObject({ status: 'partial', isBlocker: false });
    expect(check.details).toMatch(/missing\.example \(no_file\)/);
  });

  it('reads a domain it meets for the first time in a job, and answers pending until then', async () => {
    await h.services.jobs.start();
    publishers.serve('late.example', {
      json: {
        authorized_agents: [
          { url: agentUrl(), authorization_type: 'property_ids', property_ids: ['a'] },
        ],
      },
    });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { businessProfile: { publisherDomains: [...domains, 'late.example'] } },
    });
    const first = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(byDomain(first.body.data.publisherDomains).get('late.example')?.status).toBe('pending');
    const later = await eventually(
      async () =>
        byDomain(
          (await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key })).body.data
            .publisherDomains,
        ).get('late.example'),
      (entry) => entry?.status === 'authorized',
      20_000,
    );
    expect(later?.adagentsStatus).toBe('resolved');
  });

  it("keeps one storefront's reads its own", async () => {
    const other = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: other.key,
      body: { businessProfile: { publisherDomains: ['authorized.example'] } },
    });
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: other.key });
    // The file lists the first storefront's agent, not this one's; and nothing was read for it yet.
    expect(byDomain(res.body.data.publisherDomains).get('authorized.example')?.status).toBe(
      'pending',
    );
    const refreshed = await h.call(
      'POST',
      '/api/v2/storefront/readiness/publisher-domains/refresh',
      {
        key: other.key,
      },
    );
    expect(byDomain(refreshed.body.data).get('authorized.example')).toMatchObject({
      status: 'unauthorized',
      authorizationReason: 'agent_not_listed',
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const asBuyer = await h.call('POST', '/api/v2/storefront/readiness/publisher-domains/refresh', {
      key: buyer.key,
    });
    expect(asBuyer.status).toBe(403);
  });
});

describe('adagents.json through the guarded client', () => {
  it('refuses a redirect to a private address, and reports the domain as unreadable', async () => {
    // An instance that refuses private networks; the publisher server stands in for a public
    // host (its host:port is exempt, as this deployment's own origin is), and redirects to a
    // private address.
    const closed = await h.buildApp(
      { INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0', INTERCHANGE_ADAGENTS_URL: publishers.template },
      { services: true },
    );
    h.servicesOf(closed).trustOwnOrigin(publishers.origin);
    publishers.serve('sneaky.example', { redirect: 'http://10.0.0.7/.well-known/adagents.json' });
    const owner = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: owner.key,
      body: { businessProfile: { publisherDomains: ['sneaky.example'] } },
      app: closed,
    });
    const started = Date.now();
    const res = await h.call('POST', '/api/v2/storefront/readiness/publisher-domains/refresh', {
      key: owner.key,
      app: closed,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const entry = byDomain(res.body.data).get('sneaky.example') as Entry & { error: string };
    expect(entry).toMatchObject({ status: 'error', adagentsStatus: 'error' });
    expect(entry.error).toMatch(/10\.0\.0\.7/);
  });
});
