import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Publishers, startPublishers } from '../fixtures/publishers.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Gating on compliance at the storefront agent: under the strict policy a source whose latest
 * run did not pass is left out of get_products and buys cannot route to it; under warn (the
 * default) it keeps serving. The runs themselves (storyboards against real sellers) are tested
 * in test/modules/compliance; here a finished run is written as the runner records one, so the
 * outcome is the input and the agent's behaviour is what is checked.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;
let unlisted: RunningSeller;
let publishers: Publishers;

beforeAll(async () => {
  publishers = await startPublishers();
  h = await createHarness({
    INTERCHANGE_COMPLIANCE_POLICY: 'strict',
    INTERCHANGE_ADAGENTS_URL: publishers.template,
  });
  base = await listen(h);
  [seller, unlisted] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
  // The test sellers sell demo-publisher.example, whose file lists the first seller's agent only.
  publishers.serve('demo-publisher.example', {
    json: {
      authorized_agents: [
        {
          url: seller.url.replace(/\/mcp$/, ''),
          authorized_for: 'All inventory',
          authorization_type: 'property_tags',
          property_tags: ['all'],
        },
      ],
    },
  });
});
afterAll(async () => {
  await Promise.all([seller?.close(), unlisted?.close(), publishers?.close()]);
  await h?.close();
});

/** Reads the storefront's publishers' adagents.json now (otherwise a job does). */
async function readAuthorizations(sellerKey: string) {
  const res = await h.call('POST', '/api/v2/storefront/readiness/publisher-domains/refresh', {
    key: sellerKey,
  });
  expect(res.status, res.text).toBe(200);
}

async function recordRun(storefrontId: number, sourceId: string, passed: boolean) {
  const { rows } = await h.database.queryable.query(
    `select s.id, f.customer_id from inventory_sources s join storefronts f on f.id = s.storefront_id
      where s.storefront_id = $1 and s.source_id = $2`,
    [storefrontId, sourceId],
  );
  const row = rows[0] as { id: string; customer_id: number };
  await h.database.queryable.query(
    `insert into compliance_runs (run_uid, customer_id, storefront_id, inventory_source_id, source_id,
       agent_id, agent_url, protocol, trigger, status, passed, summary, storyboards, checked_at)
     values ($1, $2, $3, $4, $5, 'agent', $6, 'MCP', 'refresh', 'completed', $7, 'recorded', '[]', now())`,
    [randomUUID(), row.customer_id, storefrontId, row.id, sourceId, seller.url, passed],
  );
}

const sourcesOf = (products: Array<{ product_id: string }>) =>
  [...new Set(products.map((p) => p.product_id.split(/[_:~.]/)[0]))].sort();

describe('compliance gating at the storefront agent', () => {
  it('leaves a failing source out under strict, and serves it under warn', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'good', url: seller.url },
      { sourceId: 'bad', url: seller.url },
    ]);
    await readAuthorizations(sf.seller.key);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const ask = { buying_mode: 'brief', brief: 'video', brand: { domain: 'acme.example' } };

    const agent = await agentClient(base, sf.platformId, buyer.key);
    let badProduct: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };
    try {
      const before = await agent.call('get_products', ask);
      expect(sourcesOf(before.products)).toEqual(['bad', 'good']);
      badProduct = before.products.find((p: { product_id: string }) =>
        p.product_id.startsWith('bad'),
      );
      await recordRun(sf.id, 'good', true);
      await recordRun(sf.id, 'bad', false);

      const strict = await agent.call('get_products', ask);
      expect(sourcesOf(strict.products)).toEqual(['good']);
      const refused = await agent.call('create_media_buy', buyOf(badProduct));
      expect(refused.isError).toBe(true);
    } finally {
      await agent.close();
    }

    // The same storefront and runs on an instance whose policy is warn: the failing one serves.
    const warn = await h.buildApp({ INTERCHANGE_COMPLIANCE_POLICY: 'warn' }, { services: true });
    await warn.listen({ host: '127.0.0.1', port: 0 });
    const warnBase = `http://127.0.0.1:${(warn.server.address() as AddressInfo).port}`;
    const warnAgent = await agentClient(warnBase, sf.platformId, buyer.key);
    try {
      const served = await warnAgent.call('get_products', ask);
      expect(sourcesOf(served.products)).toEqual(['bad', 'good']);
    } finally {
      await warnAgent.close();
    }
    const readiness = await h.call('GET', '/api/v2/storefront/readiness', {
      key: sf.seller.key,
      app: warn,
    });
    const bad = readiness.body.data.sourceDiagnostics.find(
      (d: { sourceId: string }) => d.sourceId === 'bad',
    );
    expect(bad.compliance).toMatchObject({ passed: false, gated: false });
  }, 90_000);

  it('offers under strict only the products of publisher domains that authorize the storefront or the source', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'listed', url: seller.url },
      { sourceId: 'unlisted', url: unlisted.url },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const ask = { buying_mode: 'brief', brief: 'video', brand: { domain: 'acme.example' } };
    try {
      // Not read yet: held back until a read says the domain authorizes us.
      expect((await agent.call('get_products', ask)).products).toEqual([]);
      await readAuthorizations(sf.seller.key);
      const answer = await agent.call('get_products', ask);
      expect(sourcesOf(answer.products)).toEqual(['listed']);
    } finally {
      await agent.close();
    }
  });
});
